using System.Security.Claims;
using Courses.Api.Hosting;
using Courses.Domain;
using Courses.Domain.Aftercare;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Sessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Courses.Api.Sessions;

public sealed record RecordSessionRequest(
    DateTimeOffset? PerformedAt,
    string? PractitionerId,
    IReadOnlyList<AreaDepthInput?>? Areas,
    SerumInput? Serum,
    bool? NumbingCreamApplied,
    bool? CalmingMaskApplied,
    bool? SpfApplied,
    string? Notes)
{
    /// <summary>The body as a command, or what is wrong with it; shared by course and maintenance sessions.</summary>
    public (T? Command, ProblemDetails Problem) Parse<T>(Func<SessionInput, T> command) where T : class
    {
        var input = new InputErrors();
        var session = new SessionInput(
            input.Time("performedAt", PerformedAt),
            input.RequiredText("practitionerId", PractitionerId),
            input.Areas("areas", Areas),
            input.Serum("serum", Serum, lotRequired: true),
            input.Flag("numbingCreamApplied", NumbingCreamApplied),
            input.Flag("calmingMaskApplied", CalmingMaskApplied),
            input.Flag("spfApplied", SpfApplied),
            input.OptionalText("notes", Notes));
        return input.HasErrors ? (null, input.ToProblem()) : (command(session), WolverineContinue.NoProblems);
    }
}

public sealed record SessionInput(DateTimeOffset PerformedAt, string PractitionerId, IReadOnlyList<AreaDepth> Areas, Serum Serum,
    bool NumbingCreamApplied, bool CalmingMaskApplied, bool SpfApplied, string? Notes);

public sealed record SessionRecordedAnswer(
    Guid SessionId,
    int SessionNumber,
    IReadOnlyList<AftercareInstruction> Aftercare,
    IReadOnlyList<Condition> Precautions,
    DateOnly? NextSessionDueOn,
    bool CourseCompleted,
    DateOnly? MaintenanceDueOn,
    [property: System.Text.Json.Serialization.JsonIgnore] Guid ClientId,
    [property: System.Text.Json.Serialization.JsonIgnore] Guid CourseId,
    [property: System.Text.Json.Serialization.JsonIgnore] long NewVersion) : WriteAnswer
{
    protected override long Version() => NewVersion;
    protected override string Location() => $"/api/clients/{ClientId}/courses/{CourseId}";
}

public static class RecordSessionEndpoint
{
    public static (Decision, ProblemDetails) Validate(RecordSessionRequest? request, Guid courseId, TreatmentRecord record,
        ClinicProtocol protocol, ClaimsPrincipal user, TimeProvider clock)
    {
        if (request is null) return Verdicts.Invalid(InputErrors.MissingBody());
        var (command, problem) = request.Parse(s => new RecordSession(courseId, Guid.CreateVersion7(), s.PerformedAt,
            s.PractitionerId, s.Areas, s.Serum, s.NumbingCreamApplied, s.CalmingMaskApplied, s.SpfApplied, s.Notes, user.Subject()));
        return command is null
            ? Verdicts.Invalid(problem)
            : Verdicts.Of(RecordSessionDecision.Decide(record, command, protocol, clock.GetUtcNow()));
    }

    [WolverinePost("/api/clients/{clientId}/courses/{courseId}/sessions")]
    [Authorize(Policy = Policies.Clinical)]
    public static (SessionRecordedAnswer, Events) Post(RecordSessionRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record, ClinicProtocol protocol)
    {
        var recorded = decision.Events.OfType<SessionRecorded>().Single();
        var completed = decision.Events.OfType<CourseCompleted>().SingleOrDefault();
        return (new SessionRecordedAnswer(recorded.SessionId, recorded.SessionNumber,
                AftercarePlan.For(recorded.PerformedAt, protocol), recorded.Precautions, recorded.NextSessionDueOn,
                completed is not null, completed?.MaintenanceDueOn, record.Id, recorded.CourseId,
                record.Version + decision.Events.Count),
            new Events(decision.Events));
    }
}
