using Courses.Domain.Assessments;
using static Courses.Api.Demo.BusinessTime;

namespace Courses.Api.Demo;

/// <summary>
/// The skin's evolution: a baseline before the first session, a check while some sessions heal, now and then a progress
/// score before a session, and the outcome a few weeks after the last. Most courses improve; about one in ten worsens.
/// </summary>
internal sealed partial class ClientStory
{
    /// <summary>One concern's scale on the course's first area: where it starts and where the course takes it.</summary>
    private sealed record SkinTrack(SkinScale Scale, Area Area, decimal Baseline, decimal End)
    {
        public decimal At(double fraction) => Snap(Scale, Baseline + (End - Baseline) * (decimal)fraction);
    }

    private IReadOnlyList<SkinTrack> DrawSkin(PlannedCourse course)
    {
        var tracks = new List<SkinTrack>();
        foreach (var scale in course.Concerns.Select(_protocol.OutcomeScaleFor).OfType<SkinScale>().DistinctBy(s => s.Name))
        {
            var baseline = Snap(scale, scale.Min + (scale.Max - scale.Min) * _draw.Between(40, 90) / 100m);
            var steps = (baseline - scale.Min) / scale.Step;
            var improvement = steps <= 3 ? _draw.Between(1, (int)Math.Max(1, steps)) * scale.Step : Snap(scale, (baseline - scale.Min) * _draw.Between(10, 45) / 100m) - scale.Min;
            var end = _draw.Chance(0.1) ? baseline + scale.Step : _draw.Chance(0.15) ? baseline : baseline - improvement;
            tracks.Add(new SkinTrack(scale, course.Areas[0].Area, baseline, Snap(scale, end)));
        }
        return tracks;
    }

    private void Baseline(Guid courseId, IReadOnlyList<SkinTrack> skin, int day)
    {
        var fitzpatrick = new SkinScore(SkinScales.Fitzpatrick, _draw.Pick(1m, 2m, 2m, 3m, 3m, 3m, 4m, 4m, 5m, 6m), null);
        Assess(AssessmentKind.Baseline, Day(day, Hours(8) + Minutes(30)), courseId, null,
            [fitzpatrick, .. skin.Select(t => new SkinScore(t.Scale.Name, t.Baseline, t.Area))], "Before the course; photos taken in standard light.");
    }

    private void Progress(Guid courseId, IReadOnlyList<SkinTrack> skin, int day, double fraction) =>
        Assess(AssessmentKind.Progress, Day(day, Hours(8) + Minutes(45)), courseId, null,
            [.. skin.Select(t => new SkinScore(t.Scale.Name, t.At(fraction), t.Area))], null);

    /// <summary>Erythema and pain a few days after a session; whether the erythema stays above the protocol's limit for going deeper.</summary>
    private bool HealingCheck(Guid sessionId, Area area, int sessionDay)
    {
        var erythema = _draw.Pick(0m, 1m, 1m, 1m, 2m, 2m, 3m);
        var pain = _draw.Pick(0m, 1m, 1m, 2m, 3m);
        Assess(AssessmentKind.HealingCheck, Day(sessionDay + _draw.Between(2, 4), _draw.OpeningHours()), null, sessionId,
            [new SkinScore(SkinScales.Erythema, erythema, area), new SkinScore(SkinScales.Pain, pain, null)],
            erythema > _protocol.EscalationMaxErythema ? "Still red; stay at this depth next time." : null);
        return erythema > _protocol.EscalationMaxErythema;
    }

    private void Outcome(Guid courseId, IReadOnlyList<SkinTrack> skin, int day)
    {
        var change = skin.Count == 0 ? 0 : skin.Average(t => (t.End - t.Baseline) / t.Scale.Step);
        var gais = change switch
        {
            > 0 => _draw.Pick(4m, 5m),
            0 => 3m,
            >= -1 => 2m,
            _ => _draw.Pick(1m, 2m),
        };
        Assess(AssessmentKind.Outcome, Day(day, _draw.OpeningHours()), courseId, null,
            [new SkinScore(SkinScales.Gais, gais, null), .. skin.Select(t => new SkinScore(t.Scale.Name, t.End, t.Area))],
            change > 0 ? "Worse than at the start; discussed stopping." : null);
    }

    private void Assess(AssessmentKind kind, TimeSpan at, Guid? courseId, Guid? sessionId, IReadOnlyList<SkinScore> scores, string? notes)
    {
        var id = _draw.NewId();
        Add(at, _practitioner, (record, when, now) => RecordSkinAssessmentDecision.Decide(record!,
            new RecordSkinAssessment(id, when, kind, courseId, sessionId, _practitioner, scores, [], notes, _practitioner), _protocol, now));
    }

    /// <summary>A value on the scale's steps, within its range.</summary>
    private static decimal Snap(SkinScale scale, decimal value) =>
        Math.Clamp(scale.Min + Math.Round((value - scale.Min) / scale.Step, MidpointRounding.AwayFromZero) * scale.Step, scale.Min, scale.Max);
}
