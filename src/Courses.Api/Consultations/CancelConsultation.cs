using System.Security.Claims;
using Courses.Domain.Consultations;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Consultations;

public sealed record CancelConsultationRequest([Mandatory] string? Reason);

public static class CancelConsultationEndpoint
{
    public static (CancelConsultation?, ProblemDetails) Validate(CancelConsultationRequest? request, Guid consultationId, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        var command = new CancelConsultation(consultationId,
            input.RequiredText("reason", request.Reason, InputErrors.MaxTextLength), user.Subject());
        return input.Checked(command);
    }

    [Refuses(RuleCodes.ConsultationNotOpen)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(CancelConsultation command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(CancelConsultationDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/consultations/{consultationId}/cancel")]
    [Authorize(Policy = Policies.FrontDesk)]
    public static (RecordedAnswer, Events) Post(CancelConsultationRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
