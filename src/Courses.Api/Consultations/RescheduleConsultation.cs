using System.Security.Claims;
using Courses.Domain.Consultations;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Consultations;

public sealed record RescheduleConsultationRequest([Mandatory] DateTimeOffset? ScheduledAt, string? Reason);

public static class RescheduleConsultationEndpoint
{
    public static (RescheduleConsultation?, ProblemDetails) Validate(RescheduleConsultationRequest? request, Guid consultationId, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        var command = new RescheduleConsultation(consultationId, input.Time("scheduledAt", request.ScheduledAt),
            input.OptionalText("reason", request.Reason), user.Subject());
        return input.Checked(command);
    }

    [Refuses(RuleCodes.ConsultationNotOpen)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(RescheduleConsultation command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(RescheduleConsultationDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/consultations/{consultationId}/reschedule")]
    [Authorize(Policy = Policies.FrontDesk)]
    public static (RecordedAnswer, Events) Post(RescheduleConsultationRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
