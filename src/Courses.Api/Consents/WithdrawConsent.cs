using System.Security.Claims;
using Courses.Domain.Consents;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Consents;

public sealed record WithdrawConsentRequest([Mandatory] DateTimeOffset? WithdrawnAt, [Mandatory] string? Reason);

public static class WithdrawConsentEndpoint
{
    public static (WithdrawConsent?, ProblemDetails) Validate(WithdrawConsentRequest? request, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        return input.Checked(new WithdrawConsent(input.Time("withdrawnAt", request.WithdrawnAt),
            input.RequiredText("reason", request.Reason, InputErrors.MaxTextLength), user.Subject()));
    }

    [Refuses(RuleCodes.FutureTime, RuleCodes.OutOfOrder, RuleCodes.NoConsentInForce)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(WithdrawConsent command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(WithdrawConsentDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/consents/withdraw")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events) Post(WithdrawConsentRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
