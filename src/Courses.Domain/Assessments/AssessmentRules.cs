using Courses.Domain.Courses;
using Courses.Domain.Protocol;

namespace Courses.Domain.Assessments;

/// <summary>What the skin's assessments decide about sessions, and the course baseline outcomes are measured from.</summary>
internal static class AssessmentRules
{
    /// <summary>
    /// No going deeper on an area than its previous session in the course while the latest healing check of that area
    /// since then (up to this session) scored erythema above the protocol's limit. A check scored without an area
    /// covers every area.
    /// </summary>
    public static Decision? StillInflamed(TreatmentRecord record, Course course, AreaDepth area, DateTimeOffset performedAt,
        ClinicProtocol protocol)
    {
        var previous = course.Sessions.LastOrDefault(s => s.DepthOn(area.Area) is not null);
        if (previous is null || area.DepthMm <= previous.DepthOn(area.Area)) return null;
        var check = record.Assessments
            .Where(a => a.Kind == AssessmentKind.HealingCheck && a.AssessedAt >= previous.PerformedAt && a.AssessedAt <= performedAt)
            .Select(a => (a.AssessedAt, Erythema: a.Scores.Where(s => s.Scale == SkinScales.Erythema && (s.Area is null || s.Area == area.Area))
                .Select(s => (decimal?)s.Value).Max()))
            .Where(a => a.Erythema is not null)
            .OrderBy(a => a.AssessedAt)
            .LastOrDefault();
        return check.Erythema is { } erythema && erythema > protocol.EscalationMaxErythema
            ? Decision.Refuse(RuleCodes.StillInflamed,
                $"{ClinicWords.For(area.Area)}'s healing check of {ClinicWords.Day(protocol.DayOf(check.AssessedAt))} scored erythema {erythema}, above this clinic's limit of {protocol.EscalationMaxErythema} for going deeper; it may stay at {ClinicWords.Mm(previous.DepthOn(area.Area)!.Value)} until a check shows it calmer, {ClinicWords.Mm(area.DepthMm)} was asked.")
            : null;
    }

    /// <summary>
    /// When the protocol asks for it, a course's first session needs a baseline of each concern's outcome scale, taken
    /// since the consultation (the day the course was planned) and no later than the session.
    /// </summary>
    public static Decision? BaselineRequired(TreatmentRecord record, Course course, DateTimeOffset performedAt, ClinicProtocol protocol)
    {
        if (!protocol.RequireBaselineAssessment || course.CourseSessions.Any()) return null;
        var taken = CourseBaselines(record, course, performedAt, protocol).Select(b => b.Score.Scale).ToHashSet();
        var missing = course.Concerns.Distinct().Select(c => protocol.OutcomeScales.GetValueOrDefault(c))
            .OfType<string>().Distinct().Where(scale => !taken.Contains(scale)).Order(StringComparer.Ordinal).ToList();
        return missing.Count == 0
            ? null
            : Decision.Refuse(RuleCodes.BaselineRequired,
                $"This clinic records a baseline before a course starts; no baseline on {string.Join(", ", missing)} was taken since the consultation of {ClinicWords.Day(protocol.DayOf(course.PlannedAt))}.");
    }

    /// <summary>
    /// The baseline scores of a course: baseline assessments naming the course or none, from the day it was planned up
    /// to <paramref name="until"/>, oldest first.
    /// </summary>
    public static IEnumerable<(SkinAssessment Assessment, SkinScore Score)> CourseBaselines(TreatmentRecord record, Course course,
        DateTimeOffset until, ClinicProtocol protocol)
    {
        var plannedOn = protocol.DayOf(course.PlannedAt);
        return record.Assessments
            .Where(a => a.Kind == AssessmentKind.Baseline && (a.CourseId is null || a.CourseId == course.Id)
                        && a.AssessedAt <= until && protocol.DayOf(a.AssessedAt) >= plannedOn)
            .OrderBy(a => a.AssessedAt)
            .SelectMany(a => a.Scores.Select(s => (a, s)));
    }
}
