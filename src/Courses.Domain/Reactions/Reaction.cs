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
public sealed record SessionFacts(DateTimeOffset PerformedAt, decimal DeepestDepthMm, string SerumProduct, string? SerumLot, string PractitionerId);

public sealed record ReactionResolved(Guid ClientId, Guid ReactionId, DateTimeOffset ResolvedAt, string? Outcome, string By, Guid? CourseId = null);

/// <summary>The client is allergic to a serum product; ObservedAt is when the reaction that showed it occurred.</summary>
public sealed record SerumAllergyRecorded(Guid ClientId, string Product, Guid ReactionId, DateTimeOffset ObservedAt, string By);

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

public sealed record SerumAllergy(string Product, Guid ReactionId, DateTimeOffset ObservedAt);
