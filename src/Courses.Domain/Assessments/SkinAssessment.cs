using System.Collections.Immutable;

namespace Courses.Domain.Assessments;

/// <summary>
/// Why the skin was scored: before a course, between sessions, while a session heals (the session it follows), or at the
/// end of a course (with GAIS).
/// </summary>
public enum AssessmentKind { Baseline, Progress, HealingCheck, Outcome }

/// <summary>One value on one scale; Area is null when the score is of the whole skin assessed, not of one area.</summary>
public sealed record SkinScore(string Scale, decimal Value, Area? Area);

/// <summary>
/// The skin was scored. CourseId is the course named, or for a healing check the course of its session. Scales are the
/// definitions the scores were checked against, so a reader of the event alone knows each range and better direction.
/// An outcome carries what it concluded about its course (<see cref="CourseOutcome"/>).
/// </summary>
public sealed record SkinAssessed(
    Guid ClientId,
    Guid AssessmentId,
    DateTimeOffset AssessedAt,
    AssessmentKind Kind,
    Guid? CourseId,
    Guid? SessionId,
    string AssessorId,
    IReadOnlyList<SkinScore> Scores,
    IReadOnlyList<SkinScale> Scales,
    IReadOnlyList<Guid> PhotoIds,
    string? Notes,
    long ProtocolVersion,
    string By,
    CourseOutcome? Outcome = null);

/// <summary>
/// A course's result: the GAIS given, and per scored scale and area its course baseline, its end value and the change
/// (end − baseline); Course is what analytics group it by.
/// </summary>
public sealed record CourseOutcome(decimal? Gais, IReadOnlyList<ScoreChange> Changes, CourseFacts Course);

public sealed record ScoreChange(string Scale, Area? Area, decimal Baseline, decimal End, decimal Change);

/// <summary>
/// The course as it stood at its outcome: each concern with the scale it is judged on, the deepest depth any of its
/// sessions reached, the serum and protocol version of its first session, its sessions and the reactions that followed them.
/// </summary>
public sealed record CourseFacts(
    IReadOnlyList<ConcernScale> Concerns,
    decimal DeepestDepthMm,
    string Serum,
    long ProtocolVersion,
    int Sessions,
    int Reactions);

public sealed record ConcernScale(Concern Concern, string Scale);

/// <summary>An assessment as the record keeps it: what the rules on sessions and later outcomes look back at.</summary>
public sealed record SkinAssessment(
    Guid Id,
    DateTimeOffset AssessedAt,
    AssessmentKind Kind,
    Guid? CourseId,
    Guid? SessionId,
    string AssessorId,
    ImmutableList<SkinScore> Scores,
    string? Notes)
{
    /// <summary>The photos taken with the assessment.</summary>
    public ImmutableList<Guid> PhotoIds { get; init; } = [];

    public static SkinAssessment From(SkinAssessed e) =>
        new(e.AssessmentId, e.AssessedAt, e.Kind, e.CourseId, e.SessionId, e.AssessorId, [.. e.Scores], e.Notes) { PhotoIds = [.. e.PhotoIds ?? []] };
}
