using System.Security.Claims;
using Courses.Api.Webhooks;
using Courses.Domain.Aftercare;
using Courses.Domain.Protocol;
using Courses.Domain.Sessions;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Sessions;

public sealed record MaintenanceSessionRecordedAnswer(
    Guid SessionId,
    int SessionNumber,
    IReadOnlyList<AftercareInstruction> Aftercare,
    IReadOnlyList<Condition> Precautions,
    DateOnly MaintenanceDueOn,
    Guid ClientId,
    Guid CourseId,
    long NewVersion) : SessionAnswer(ClientId, CourseId, NewVersion);

public static class RecordMaintenanceSessionEndpoint
{
    public static (RecordMaintenanceSession?, ProblemDetails) Validate(RecordSessionRequest? request, Guid courseId,
        ClaimsPrincipal user) =>
        RecordSessionRequest.Read(request, session => session.AfterCourse(courseId, user.Subject()));

    [Refuses(RuleCodes.MaintenanceNotAllowed, RuleCodes.AlreadyRecorded, RuleCodes.OutOfOrder,
            RuleCodes.FutureTime, RuleCodes.TooSoon, RuleCodes.Contraindicated, RuleCodes.ConsentRequired,
            RuleCodes.UnresolvedReaction, RuleCodes.AreasInvalid, RuleCodes.AreaNotPlanned,
            RuleCodes.DepthOutOfRange, RuleCodes.FirstSessionTooDeep, RuleCodes.EscalationTooSteep,
            RuleCodes.NumbingRequired, RuleCodes.SerumAllergy, RuleCodes.ProductAllergy, RuleCodes.LotRequired,
            RuleCodes.StillInflamed)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(RecordMaintenanceSession command, TreatmentRecord record,
        ClinicProtocol protocol, TimeProvider clock) =>
        Verdicts.Of(RecordMaintenanceSessionDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/courses/{courseId}/maintenance-sessions")]
    [Authorize(Policy = Policies.Clinical)]
    public static (MaintenanceSessionRecordedAnswer, Events, OutgoingMessages) Post(RecordSessionRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record, ClinicProtocol protocol, ClaimsPrincipal user, Subscriptions subscriptions) =>
        SessionAnswer.Effects(decision, record, user, subscriptions, (MaintenanceSessionRecorded recorded, long version) =>
            new MaintenanceSessionRecordedAnswer(recorded.SessionId, recorded.SessionNumber,
                AftercarePlan.For(recorded.PerformedAt, protocol), recorded.Precautions, recorded.MaintenanceDueOn, record.Id,
                recorded.CourseId, version));
}
