using System.Collections.Immutable;
using System.Globalization;
using Courses.Domain.Assessments;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Courses.Projections.Analytics;

/// <summary>
/// What the courses whose outcome fell in one calendar month (Id = "yyyy-MM") achieved, per concern × deepest depth band
/// × serum × protocol version: sums the route turns into means, shares and rates over any range of months. Counts and
/// sums only: no client, course or practitioner ids.
/// </summary>
public sealed record ClinicOutcomeStats
{
    public required string Id { get; init; }

    /// <summary>Keyed by <see cref="OutcomeCell.Key"/>.</summary>
    public ImmutableDictionary<string, OutcomeCell> Cells { get; init; } = ImmutableDictionary<string, OutcomeCell>.Empty;
}

/// <summary>
/// Courses with a baseline and an outcome on the concern's scale: the sum of their changes (each course's mean over the
/// areas scored), how many improved by at least one step, their GAIS scores by value, and their sessions and reactions.
/// </summary>
public sealed record OutcomeCell(
    string Concern,
    string DepthBand,
    string Serum,
    long ProtocolVersion,
    string Scale,
    int Courses,
    decimal SumOfChanges,
    int Improved,
    ImmutableDictionary<string, int> Gais,
    int Sessions,
    int Reactions)
{
    public string Key => $"{Concern}|{DepthBand}|{Serum.ToLowerInvariant()}|{ProtocolVersion}";

    /// <summary>Two months' cells of the same key, as one.</summary>
    public OutcomeCell Plus(OutcomeCell other) => this with
    {
        Courses = Courses + other.Courses,
        SumOfChanges = SumOfChanges + other.SumOfChanges,
        Improved = Improved + other.Improved,
        Gais = other.Gais.Aggregate(Gais, (counts, pair) => counts.SetItem(pair.Key, counts.GetValueOrDefault(pair.Key) + pair.Value)),
        Sessions = Sessions + other.Sessions,
        Reactions = Reactions + other.Reactions,
    };
}

public partial class ClinicOutcomeStatsProjection : MultiStreamProjection<ClinicOutcomeStats, string>
{
    public ClinicOutcomeStatsProjection()
    {
        Identities<SkinAssessed>(e => e.Outcome is null ? [] : [ClinicMonthlyStatsProjection.Month(e.AssessedAt)]);
    }

    public override ClinicOutcomeStats? Evolve(ClinicOutcomeStats? snapshot, string id, IEvent e)
    {
        var stats = snapshot ?? new ClinicOutcomeStats { Id = id };
        return e.Data is SkinAssessed { Outcome: { } outcome } assessed ? Counted(stats, assessed, outcome) : stats;
    }

    /// <summary>The course counts once under each of its concerns whose scale has a change from the baseline.</summary>
    private static ClinicOutcomeStats Counted(ClinicOutcomeStats stats, SkinAssessed assessed, CourseOutcome outcome)
    {
        var cells = stats.Cells;
        foreach (var concern in outcome.Course.Concerns)
        {
            var changes = outcome.Changes.Where(c => c.Scale == concern.Scale).Select(c => c.Change).ToList();
            if (changes.Count == 0 || assessed.Scales.FirstOrDefault(s => s.Name == concern.Scale) is not { } scale) continue;
            var change = changes.Average();
            var course = new OutcomeCell(ClinicMonthlyStatsProjection.ApiName(concern.Concern), DepthBands.Of(outcome.Course.DeepestDepthMm),
                outcome.Course.Serum.Trim(), outcome.Course.ProtocolVersion, concern.Scale, 1, change, scale.Improved(change) ? 1 : 0,
                outcome.Gais is { } gais
                    ? ImmutableDictionary<string, int>.Empty.Add(gais.ToString("0.##", CultureInfo.InvariantCulture), 1)
                    : ImmutableDictionary<string, int>.Empty,
                outcome.Course.Sessions, outcome.Course.Reactions);
            // The serum is typed by hand: the spelling seen first names the cell (event order is fixed, so a rebuild agrees).
            cells = cells.SetItem(course.Key, cells.TryGetValue(course.Key, out var existing) ? existing.Plus(course) : course);
        }
        return stats with { Cells = cells };
    }
}
