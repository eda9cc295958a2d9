using System.Security.Claims;
using System.Text.Json.Serialization;
using Courses.Api.Http;
using Courses.Api.Webhooks;
using Courses.Domain;
using Courses.Domain.Aftercare;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Sessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
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
    /// <summary>The decision on the session described, or what is wrong with the body; shared by course and maintenance sessions.</summary>
    public static (Decision, ProblemDetails) Decide(RecordSessionRequest? request, Func<SessionInput, Decision> decide)
    {
        if (request is null) return Verdicts.Invalid(InputErrors.MissingBody());
        var input = new InputErrors();
        var session = new SessionInput(
            input.Time("performedAt", request.PerformedAt),
            input.RequiredText("practitionerId", request.PractitionerId),
            input.Areas("areas", request.Areas),
            input.Serum("serum", request.Serum, lotRequired: true),
            input.Flag("numbingCreamApplied", request.NumbingCreamApplied),
            input.Flag("calmingMaskApplied", request.CalmingMaskApplied),
            input.Flag("spfApplied", request.SpfApplied),
            input.OptionalText("notes", request.Notes));
        return input.ThenDecide(() => decide(session));
    }
}

public sealed record SessionInput(DateTimeOffset PerformedAt, string PractitionerId, IReadOnlyList<AreaDepth> Areas, Serum Serum,
    bool NumbingCreamApplied, bool CalmingMaskApplied, bool SpfApplied, string? Notes);

/// <summary>A recorded session's answer: 201 at its course, with the record's new version.</summary>
public abstract record SessionAnswer(
    [property: JsonIgnore] Guid ClientId,
    [property: JsonIgnore] Guid CourseId,
    [property: JsonIgnore] long NewVersion) : WriteAnswer
{
    protected override long Version() => NewVersion;
    protected override string Location() => $"/api/clients/{ClientId}/courses/{CourseId}";
}

public sealed record SessionRecordedAnswer(
    Guid SessionId,
    int SessionNumber,
    IReadOnlyList<AftercareInstruction> Aftercare,
    IReadOnlyList<Condition> Precautions,
    DateOnly? NextSessionDueOn,
    bool CourseCompleted,
    DateOnly? MaintenanceDueOn,
    Guid ClientId,
    Guid CourseId,
    long NewVersion) : SessionAnswer(ClientId, CourseId, NewVersion);

public static class RecordSessionEndpoint
{
    public static (Decision, ProblemDetails) Validate(RecordSessionRequest? request, Guid courseId, TreatmentRecord record,
        ClinicProtocol protocol, ClaimsPrincipal user, TimeProvider clock) =>
        RecordSessionRequest.Decide(request, s => RecordSessionDecision.Decide(record,
            new RecordSession(courseId, Guid.CreateVersion7(), s.PerformedAt, s.PractitionerId, s.Areas, s.Serum,
                s.NumbingCreamApplied, s.CalmingMaskApplied, s.SpfApplied, s.Notes, user.Subject()),
            protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/courses/{courseId}/sessions")]
    [Authorize(Policy = Policies.Clinical)]
    public static (SessionRecordedAnswer, Events, OutgoingMessages) Post(RecordSessionRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record, ClinicProtocol protocol, ClaimsPrincipal user)
    {
        var recorded = decision.Events.OfType<SessionRecorded>().Single();
        var completed = decision.Events.OfType<CourseCompleted>().SingleOrDefault();
        return (new SessionRecordedAnswer(recorded.SessionId, recorded.SessionNumber,
                AftercarePlan.For(recorded.PerformedAt, protocol), recorded.Precautions, recorded.NextSessionDueOn,
                completed is not null, completed?.MaintenanceDueOn, record.Id, recorded.CourseId,
                record.Version + decision.Events.Count),
            new Events(decision.Events), WebhookNotice.For(user.Clinic(), record, decision));
    }
}
