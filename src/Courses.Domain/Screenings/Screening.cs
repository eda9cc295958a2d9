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
    string By);
