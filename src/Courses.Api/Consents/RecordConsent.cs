using System.Security.Claims;
using Courses.Domain.Consents;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Consents;

public sealed record RecordConsentRequest([Mandatory] DateTimeOffset? SignedAt, [Mandatory] string? Procedure,
    [Mandatory] string? FormVersion);

public static class RecordConsentEndpoint
{
    public static (RecordConsent?, ProblemDetails) Validate(RecordConsentRequest? request, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        var procedure = input.RequiredText("procedure", request.Procedure);
        if (request.Procedure is not null && procedure != Consent.Microneedling)
            input.Add("procedure", $"must be \"{Consent.Microneedling}\": the only procedure this service records.");
        var command = new RecordConsent(
            input.Time("signedAt", request.SignedAt), procedure, input.RequiredText("formVersion", request.FormVersion), user.Subject());
        return input.Checked(command);
    }

    [Refuses(RuleCodes.FutureTime)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(RecordConsent command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(RecordConsentDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/consents")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events) Post(RecordConsentRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
