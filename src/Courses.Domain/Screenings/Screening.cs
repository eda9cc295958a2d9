using System.Collections.Immutable;

namespace Courses.Domain.Screenings;

public sealed record MedicalScreeningRecorded(
    Guid ClientId,
    DateTimeOffset ScreenedAt,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyList<string> KnownAllergies,
    string? Notes,
    string By);

/// <summary>A medical screening on the record: the conditions and allergies the client declared.</summary>
public sealed record Screening(
    DateTimeOffset ScreenedAt,
    ImmutableList<Condition> Conditions,
    ImmutableList<string> KnownAllergies,
    string? Notes,
    string By)
{
    /// <summary>
    /// Whether a screening replaces the one in force: the latest screened is in force, so one entered late with an
    /// earlier date does not replace it, and of two screened at the same time the one recorded later does.
    /// </summary>
    public static bool Replaces(DateTimeOffset screenedAt, DateTimeOffset? inForceScreenedAt) =>
        inForceScreenedAt is null || screenedAt >= inForceScreenedAt;

    /// <summary>The screening in force among screenings in the order they were recorded.</summary>
    public static Screening? InForce(IEnumerable<Screening> inRecordedOrder) =>
        inRecordedOrder.Aggregate((Screening?)null, (inForce, s) => Replaces(s.ScreenedAt, inForce?.ScreenedAt) ? s : inForce);
}
