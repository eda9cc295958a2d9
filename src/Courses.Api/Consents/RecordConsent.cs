using System.Security.Claims;
using Courses.Domain.Consents;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Consents;

/// <summary>documentSha256: the SHA-256 of the text signed, as 64 hexadecimal digits; the rest is what shows the consent was informed.</summary>
public sealed record RecordConsentRequest([Mandatory] DateTimeOffset? SignedAt, [Mandatory] string? Procedure,
    [Mandatory] string? FormVersion, string? DocumentSha256 = null, string? ExplainedBy = null,
    [OneOf(typeof(ReactionKind))] IReadOnlyList<string?>? RisksExplained = null,
    [OneOf(typeof(ConsentMethod))] string? Method = null);

public static partial class RecordConsentEndpoint
{
    [System.Text.RegularExpressions.GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial System.Text.RegularExpressions.Regex Sha256 { get; }

    public static (RecordConsent?, ProblemDetails) Validate(RecordConsentRequest? request, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        var procedure = input.RequiredText("procedure", request.Procedure);
        if (request.Procedure is not null && procedure != Consent.Microneedling)
            input.Add("procedure", $"must be \"{Consent.Microneedling}\": the only procedure this service records.");
        if (request.DocumentSha256 is { } hash && !Sha256.IsMatch(hash))
            input.Add("documentSha256", "must be a SHA-256 hash as 64 hexadecimal digits.");
        var evidence = new ConsentEvidence(request.DocumentSha256,
            input.OptionalText("explainedBy", request.ExplainedBy, InputErrors.MaxNameLength),
            input.EnumList<ReactionKind>("risksExplained", request.RisksExplained, atLeastOne: false),
            request.Method is null ? null : input.Enum<ConsentMethod>("method", request.Method));
        var command = new RecordConsent(
            input.Time("signedAt", request.SignedAt), procedure, input.RequiredText("formVersion", request.FormVersion), user.Subject(),
            evidence);
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
