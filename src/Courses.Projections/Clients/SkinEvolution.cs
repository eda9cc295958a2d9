using System.Text.Json.Serialization;
using Courses.Domain;
using Courses.Domain.Assessments;
using Courses.Domain.Sessions;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Courses.Projections.Clients;

/// <summary>
/// How a client's skin changed, per scale and area, with the depth it had been treated at by each point; the skin
/// type (Fitzpatrick, a trait) on its own. Treatments and Scores are what the series are computed from; the read
/// route answers with the series alone.
/// </summary>
public sealed record SkinEvolution
{
    public Guid Id { get; init; }
    public Guid ClientId => Id;

    /// <summary>The latest skin type scored (fitzpatrick, 1 – 6), if any.</summary>
    public decimal? Fitzpatrick { get; init; }

    public IReadOnlyList<SkinSeries> Series { get; init; } = [];

    /// <summary>Every area of every session, in the order performed: what each point's depth is read from.</summary>
    public IReadOnlyList<TreatedArea> Treatments { get; init; } = [];

    /// <summary>Every score in the order recorded, as the events gave them.</summary>
    public IReadOnlyList<ScoreTaken> Scores { get; init; } = [];
}

/// <summary>
/// One scale on one area (null: the whole skin), its points in time order; Baseline is the latest baseline point,
/// Latest the latest point, Change = Latest − Baseline (negative is better when LowerIsBetter).
/// </summary>
public sealed record SkinSeries(
    string Scale,
    Area? Area,
    bool? LowerIsBetter,
    IReadOnlyList<SkinPoint> Points,
    decimal? Baseline,
    decimal? Latest,
    decimal? Change);

/// <summary>
/// One score, with the session it follows: for a healing check the session it checks, otherwise the latest session
/// on that area (any area for a whole-skin score; of the named course when one is) at or before it, and that session's depth.
/// </summary>
public sealed record SkinPoint(
    Guid AssessmentId,
    DateTimeOffset AssessedAt,
    AssessmentKind Kind,
    decimal Value,
    Guid? CourseId,
    Guid? SessionId,
    int? SessionNumber,
    decimal? DepthMm);

/// <summary>A score as its event gave it: the series are recomputed from these whenever a score or a session arrives.</summary>
public sealed record ScoreTaken(
    Guid AssessmentId,
    DateTimeOffset AssessedAt,
    AssessmentKind Kind,
    Guid? CourseId,
    Guid? SessionId,
    string Scale,
    decimal Value,
    Area? Area,
    bool? LowerIsBetter);

public sealed record TreatedArea(Guid SessionId, Guid CourseId, int SessionNumber, bool Maintenance, DateTimeOffset PerformedAt, Area Area, decimal DepthMm);

public partial class SkinEvolutionProjection : SingleStreamProjection<SkinEvolution, Guid>
{
    public SkinEvolutionProjection()
    {
        IncludeType<SkinAssessed>();
        IncludeType<SessionRecorded>();
        IncludeType<MaintenanceSessionRecorded>();
    }

    // Recomputed whole on each event: a session entered after a later-dated assessment changes where its points stand,
    // and a late-entered assessment may change a series' baseline. A client has tens of scores, not thousands.
    public override SkinEvolution? Evolve(SkinEvolution? evolution, Guid id, IEvent e)
    {
        // The one-pass rebuild hands each member every event of the stream, not only the included types: a client with no
        // score and no session has no evolution.
        if (e.Data is not (SkinAssessed or ISessionRecorded)) return evolution;
        evolution ??= new SkinEvolution { Id = id };
        return e.Data switch
        {
            SkinAssessed assessed => Computed(evolution with
            {
                Scores = [.. evolution.Scores, .. assessed.Scores.Select(score => new ScoreTaken(assessed.AssessmentId, assessed.AssessedAt,
                    assessed.Kind, assessed.CourseId, assessed.SessionId, score.Scale, score.Value, score.Area,
                    assessed.Scales.FirstOrDefault(s => s.Name == score.Scale)?.LowerIsBetter))],
            }),
            ISessionRecorded session => Computed(evolution with
            {
                Treatments = [.. evolution.Treatments, .. session.Areas.Select(a => new TreatedArea(session.SessionId, session.CourseId,
                    session.SessionNumber, session.IsMaintenance, session.PerformedAt, a.Area, a.DepthMm))],
            }),
            _ => evolution,
        };
    }

    private static SkinEvolution Computed(SkinEvolution evolution)
    {
        var inTime = evolution.Scores.OrderBy(s => s.AssessedAt).ToList();
        return evolution with
        {
            Fitzpatrick = inTime.LastOrDefault(s => s.Scale == SkinScales.Fitzpatrick)?.Value,
            Series = [.. inTime.Where(s => s.Scale != SkinScales.Fitzpatrick)
                .GroupBy(s => (s.Scale, s.Area))
                .OrderBy(g => g.Key.Scale, StringComparer.Ordinal).ThenBy(g => g.Key.Area)
                .Select(g => Summarised(g.Key.Scale, g.Key.Area, g.Last().LowerIsBetter, [.. g.Select(s => Located(evolution.Treatments, s))]))],
        };
    }

    /// <summary>The session a score follows and the depth its area had there.</summary>
    private static SkinPoint Located(IReadOnlyList<TreatedArea> treatments, ScoreTaken score)
    {
        var session = score.Kind == AssessmentKind.HealingCheck
            ? treatments.LastOrDefault(t => t.SessionId == score.SessionId && (score.Area is null || t.Area == score.Area))
              ?? treatments.LastOrDefault(t => t.SessionId == score.SessionId)
            : treatments.LastOrDefault(t => t.PerformedAt <= score.AssessedAt && (score.CourseId is null || t.CourseId == score.CourseId)
                                             && (score.Area is null || t.Area == score.Area));
        if (session is null)
            return new SkinPoint(score.AssessmentId, score.AssessedAt, score.Kind, score.Value, score.CourseId, score.SessionId, null, null);
        var depth = score.Area is { } area && session.Area == area
            ? session.DepthMm
            : treatments.Where(t => t.SessionId == session.SessionId).Max(t => t.DepthMm);
        return new SkinPoint(score.AssessmentId, score.AssessedAt, score.Kind, score.Value, score.CourseId ?? session.CourseId,
            session.SessionId, session.SessionNumber, depth);
    }

    private static SkinSeries Summarised(string scale, Area? area, bool? lowerIsBetter, IReadOnlyList<SkinPoint> points)
    {
        var baseline = points.LastOrDefault(p => p.Kind == AssessmentKind.Baseline);
        var latest = points[^1];
        return new SkinSeries(scale, area, lowerIsBetter, points, baseline?.Value, latest.Value,
            baseline is null ? null : latest.Value - baseline.Value);
    }
}
