using System.Security.Claims;
using Courses.Domain.Photos;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Photos;

/// <summary>uses: the uses withdrawn; photos taken before stay on the record.</summary>
public sealed record WithdrawPhotoConsentRequest([Mandatory] DateTimeOffset? WithdrawnAt,
    [Mandatory, OneOf(typeof(PhotoUse))] IReadOnlyList<string?>? Uses);

public static class WithdrawPhotoConsentEndpoint
{
    public static (WithdrawPhotoConsent?, ProblemDetails) Validate(WithdrawPhotoConsentRequest? request, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        return input.Checked(new WithdrawPhotoConsent(input.Time("withdrawnAt", request.WithdrawnAt),
            input.EnumList<PhotoUse>("uses", request.Uses, atLeastOne: true), user.Subject()));
    }

    [Refuses(RuleCodes.FutureTime, RuleCodes.NoConsentInForce)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(WithdrawPhotoConsent command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(WithdrawPhotoConsentDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/photo-consents/withdraw")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events) Post(WithdrawPhotoConsentRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
