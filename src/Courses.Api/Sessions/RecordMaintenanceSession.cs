using System.Security.Claims;
using Courses.Api.Http;
using Courses.Api.Webhooks;
using Courses.Domain;
using Courses.Domain.Aftercare;
using Courses.Domain.Protocol;
using Courses.Domain.Sessions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine;
using Wolverine.Http;
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
    public static (Decision, ProblemDetails) Validate(RecordSessionRequest? request, Guid courseId, TreatmentRecord record,
        ClinicProtocol protocol, ClaimsPrincipal user, TimeProvider clock) =>
        RecordSessionRequest.Decide(request, s => RecordMaintenanceSessionDecision.Decide(record,
            new RecordMaintenanceSession(courseId, Guid.CreateVersion7(), s.PerformedAt, s.PractitionerId, s.Areas, s.Serum,
                s.NumbingCreamApplied, s.CalmingMaskApplied, s.SpfApplied, s.Notes, user.Subject()),
            protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/courses/{courseId}/maintenance-sessions")]
    [Authorize(Policy = Policies.Clinical)]
    public static (MaintenanceSessionRecordedAnswer, Events, OutgoingMessages) Post(RecordSessionRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record, ClinicProtocol protocol, ClaimsPrincipal user)
    {
        var recorded = decision.Events.OfType<MaintenanceSessionRecorded>().Single();
        return (new MaintenanceSessionRecordedAnswer(recorded.SessionId, recorded.SessionNumber,
                AftercarePlan.For(recorded.PerformedAt, protocol), recorded.Precautions, recorded.MaintenanceDueOn,
                record.Id, recorded.CourseId, record.Version + decision.Events.Count),
            new Events(decision.Events), WebhookNotice.For(user.Clinic(), record, decision));
    }
}
