using System.Security.Claims;
using System.Text.Json.Serialization;
using Courses.Api.Webhooks;
using Courses.Domain.Aftercare;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Sessions;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Sessions;

public sealed record RecordSessionRequest(
    [Mandatory] DateTimeOffset? PerformedAt,
    [Mandatory] string? PractitionerId,
    [Mandatory] IReadOnlyList<AreaDepthInput?>? Areas,
    [Mandatory] SerumInput? Serum,
    [Mandatory(When = "numbingCream is not given")] bool? NumbingCreamApplied,
    [Mandatory] bool? CalmingMaskApplied,
    [Mandatory] bool? SpfApplied,
    string? Notes,
    ProductLotInput? NumbingCream = null,
    ProductLotInput? NeedleCartridge = null,
    DeviceInput? Device = null)
{
    /// <summary>The command the session described makes, or what is wrong with the body; shared by course and maintenance sessions.</summary>
    public static (T?, ProblemDetails) Read<T>(RecordSessionRequest? request, Func<SessionInput, T> command) where T : class
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        var session = new SessionInput(
            input.Time("performedAt", request.PerformedAt),
            input.RequiredText("practitionerId", request.PractitionerId),
            input.Areas("areas", request.Areas),
            input.Serum("serum", request.Serum, lotRequired: true),
            CreamApplied(input, request),
            input.Flag("calmingMaskApplied", request.CalmingMaskApplied),
            input.Flag("spfApplied", request.SpfApplied),
            input.OptionalText("notes", request.Notes),
            input.ProductLot("numbingCream", request.NumbingCream),
            input.ProductLot("needleCartridge", request.NeedleCartridge),
            input.Device("device", request.Device));
        return input.Checked(command(session));
    }

    /// <summary>Naming the cream says it was applied; the flag alone, as bodies sent before creams were named, still does.</summary>
    private static bool CreamApplied(InputErrors input, RecordSessionRequest request)
    {
        if (request.NumbingCreamApplied is { } applied)
        {
            if (!applied && request.NumbingCream is not null)
                input.Add("numbingCreamApplied", "is false, yet numbingCream names the cream applied: leave it out or set it to true.");
            return applied;
        }
        if (request.NumbingCream is null) input.Add("numbingCreamApplied", "is required unless numbingCream is given.");
        return request.NumbingCream is not null;
    }
}

/// <summary>A session as the body describes it, before it is a course session or a maintenance session.</summary>
public sealed record SessionInput(DateTimeOffset PerformedAt, string PractitionerId, IReadOnlyList<AreaDepth> Areas, Serum Serum,
    bool NumbingCreamApplied, bool CalmingMaskApplied, bool SpfApplied, string? Notes, ProductLot? NumbingCream,
    ProductLot? NeedleCartridge, Device? Device)
{
    public RecordSession OnCourse(Guid courseId, string by) => new(courseId, Guid.CreateVersion7(), PerformedAt, PractitionerId,
        Areas, Serum, NumbingCreamApplied, CalmingMaskApplied, SpfApplied, Notes, by, NumbingCream, NeedleCartridge, Device);

    public RecordMaintenanceSession AfterCourse(Guid courseId, string by) => new(courseId, Guid.CreateVersion7(), PerformedAt,
        PractitionerId, Areas, Serum, NumbingCreamApplied, CalmingMaskApplied, SpfApplied, Notes, by, NumbingCream, NeedleCartridge, Device);
}

/// <summary>A recorded session's answer: 201 at its course, with the record's new version.</summary>
public abstract record SessionAnswer(
    [property: JsonIgnore] Guid ClientId,
    [property: JsonIgnore] Guid CourseId,
    [property: JsonIgnore] long NewVersion) : WriteAnswer
{
    protected override long Version() => NewVersion;
    protected override string Location() => $"/api/clients/{ClientId}/courses/{CourseId}";

    /// <summary>What both session routes do with an accepted session: this answer, the events, and the webhook notice.</summary>
    public static (TAnswer, Events, OutgoingMessages) Effects<TSession, TAnswer>(Decision decision, TreatmentRecord record,
        ClaimsPrincipal user, Subscriptions subscriptions, Func<TSession, long, TAnswer> answer)
        where TSession : ISessionRecorded where TAnswer : SessionAnswer =>
        (answer(decision.Events.OfType<TSession>().Single(), record.Version + decision.Events.Count),
            new Events(decision.Events), WebhookNotice.For(user.Clinic(), record, decision, subscriptions));
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
    public static (RecordSession?, ProblemDetails) Validate(RecordSessionRequest? request, Guid courseId, ClaimsPrincipal user) =>
        RecordSessionRequest.Read(request, session => session.OnCourse(courseId, user.Subject()));

    [Refuses(RuleCodes.CourseNotActive, RuleCodes.CoursePaused, RuleCodes.AlreadyRecorded, RuleCodes.OutOfOrder,
            RuleCodes.FutureTime, RuleCodes.TooSoon, RuleCodes.Contraindicated, RuleCodes.ConsentRequired,
            RuleCodes.UnresolvedReaction, RuleCodes.AreasInvalid, RuleCodes.AreaNotPlanned,
            RuleCodes.DepthOutOfRange, RuleCodes.FirstSessionTooDeep, RuleCodes.EscalationTooSteep,
            RuleCodes.NumbingRequired, RuleCodes.SerumAllergy, RuleCodes.ProductAllergy, RuleCodes.LotRequired,
            RuleCodes.StillInflamed, RuleCodes.BaselineRequired)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(RecordSession command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(RecordSessionDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/courses/{courseId}/sessions")]
    [Authorize(Policy = Policies.Clinical)]
    public static (SessionRecordedAnswer, Events, OutgoingMessages) Post(RecordSessionRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record, ClinicProtocol protocol, ClaimsPrincipal user, Subscriptions subscriptions)
    {
        var completed = decision.Events.OfType<CourseCompleted>().SingleOrDefault();
        return SessionAnswer.Effects(decision, record, user, subscriptions, (SessionRecorded recorded, long version) =>
            new SessionRecordedAnswer(recorded.SessionId, recorded.SessionNumber, AftercarePlan.For(recorded.PerformedAt, protocol),
                recorded.Precautions, recorded.NextSessionDueOn, completed is not null, completed?.MaintenanceDueOn, record.Id,
                recorded.CourseId, version));
    }
}
