namespace Courses.Domain.Reactions;

/// <summary>CourseId is the course of the session the reaction followed, when a session was named.</summary>
public sealed record ReactionReported(
    Guid ClientId,
    Guid ReactionId,
    DateTimeOffset OccurredAt,
    ReactionKind Kind,
    Severity Severity,
    Guid? SessionId,
    Guid? CourseId,
    string? SuspectedProduct,
    string? Notes,
    string By,
    SessionFacts? AfterSession = null,
    HealingOf? DuringHealingOf = null);

/// <summary>
/// The session in whose healing window the reaction came, as the decision found it on the clinic's calendar; SessionId
/// is null when it came in none. Absent from reactions recorded before the finding was kept.
/// </summary>
public sealed record HealingOf(Guid? SessionId);

/// <summary>What the session a reaction followed was like, recorded with the reaction so analytics need no lookup.</summary>
/// NumbingCream and NeedleCartridge are the products' names; NumbingCreamApplied is null on reactions recorded before they were kept.
public sealed record SessionFacts(DateTimeOffset PerformedAt, decimal DeepestDepthMm, string SerumProduct, string? SerumLot, string PractitionerId,
    bool? NumbingCreamApplied = null, string? NumbingCream = null, string? NeedleCartridge = null);

public sealed record ReactionResolved(Guid ClientId, Guid ReactionId, DateTimeOffset ResolvedAt, string? Outcome, string By, Guid? CourseId = null);

/// <summary>The client is allergic to a serum product; ObservedAt is when the reaction that showed it occurred.</summary>
public sealed record SerumAllergyRecorded(Guid ClientId, string Product, Guid ReactionId, DateTimeOffset ObservedAt, string By);

/// <summary>
/// The client is allergic to a product of a session other than its serum (its numbing cream or needle cartridge), as an
/// allergic reaction naming it showed; a serum keeps <see cref="SerumAllergyRecorded"/>.
/// </summary>
public sealed record ProductAllergyRecorded(Guid ClientId, string Product, ProductKind Kind, Guid ReactionId, DateTimeOffset ObservedAt, string By);

public sealed record Reaction(
    Guid Id,
    ReactionKind Kind,
    Severity Severity,
    DateTimeOffset OccurredAt,
    Guid? SessionId,
    Guid? CourseId,
    string? SuspectedProduct,
    string? Notes)
{
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? Outcome { get; init; }
    public bool IsResolved => ResolvedAt is not null;
}

/// <summary>An allergy a reaction revealed, to a product of the given kind.</summary>
public sealed record ProductAllergy(string Product, ProductKind Kind, Guid ReactionId, DateTimeOffset ObservedAt);
