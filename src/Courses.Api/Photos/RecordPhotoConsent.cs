using System.Security.Claims;
using Courses.Domain.Photos;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Photos;

/// <summary>uses: what the client lets the clinic use their photos for; clinicalRecord is what taking a photo needs.</summary>
public sealed record RecordPhotoConsentRequest([Mandatory] DateTimeOffset? SignedAt, [Mandatory] string? FormVersion,
    [Mandatory, OneOf(typeof(PhotoUse))] IReadOnlyList<string?>? Uses);

public static class RecordPhotoConsentEndpoint
{
    public static (RecordPhotoConsent?, ProblemDetails) Validate(RecordPhotoConsentRequest? request, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        return input.Checked(new RecordPhotoConsent(input.Time("signedAt", request.SignedAt),
            input.RequiredText("formVersion", request.FormVersion), input.EnumList<PhotoUse>("uses", request.Uses, atLeastOne: true),
            user.Subject()));
    }

    [Refuses(RuleCodes.FutureTime)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(RecordPhotoConsent command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(RecordPhotoConsentDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/photo-consents")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events) Post(RecordPhotoConsentRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
