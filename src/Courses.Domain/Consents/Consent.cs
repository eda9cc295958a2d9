namespace Courses.Domain.Consents;

/// <summary>
/// A signed consent. The evidence members are absent from consents recorded before evidence was kept:
/// DocumentSha256 is the SHA-256 (hex) of the text signed; RisksExplained the reactions the client was told of.
/// </summary>
public sealed record ConsentRecorded(Guid ClientId, string Procedure, string FormVersion, DateTimeOffset SignedAt, string By,
    string? DocumentSha256 = null, string? ExplainedBy = null, IReadOnlyList<ReactionKind>? RisksExplained = null,
    ConsentMethod? Method = null);

/// <summary>The client withdrew their consent: no session from WithdrawnAt until a new consent is signed.</summary>
public sealed record ConsentWithdrawn(Guid ClientId, string Procedure, DateTimeOffset WithdrawnAt, string Reason, string By);

/// <summary>What shows the consent was informed: the text signed, who explained it, the risks told, how it was signed.</summary>
public sealed record ConsentEvidence(string? DocumentSha256, string? ExplainedBy, IReadOnlyList<ReactionKind> RisksExplained, ConsentMethod? Method)
{
    public static ConsentEvidence? Of(ConsentRecorded consent) =>
        consent.DocumentSha256 is null && consent.ExplainedBy is null && consent.RisksExplained is not { Count: > 0 } && consent.Method is null
            ? null
            : new ConsentEvidence(consent.DocumentSha256, consent.ExplainedBy, consent.RisksExplained ?? [], consent.Method);
}

public sealed record Consent(string Procedure, string FormVersion, DateTimeOffset SignedAt, string By)
{
    public const string Microneedling = "microneedling";

    public ConsentEvidence? Evidence { get; init; }

    public bool IsFor(string procedure) => string.Equals(Procedure.Trim(), procedure.Trim(), StringComparison.OrdinalIgnoreCase);
}

public sealed record ConsentWithdrawal(string Procedure, DateTimeOffset WithdrawnAt, string Reason, string By)
{
    public bool IsFor(string procedure) => string.Equals(Procedure.Trim(), procedure.Trim(), StringComparison.OrdinalIgnoreCase);
}
