using Courses.Domain.Courses;
using Courses.Domain.Protocol;

namespace Courses.Domain.Assessments;

/// <summary>
/// The practitioner scores the skin. A healing check names the session whose healing it follows (SessionId); an outcome
/// names its course (CourseId). PhotoIds are the photos taken with it, kept as given.
/// </summary>
public sealed record RecordSkinAssessment(
    Guid AssessmentId,
    DateTimeOffset AssessedAt,
    AssessmentKind Kind,
    Guid? CourseId,
    Guid? SessionId,
    string AssessorId,
    IReadOnlyList<SkinScore> Scores,
    IReadOnlyList<Guid> PhotoIds,
    string? Notes,
    string By);

public static class RecordSkinAssessmentDecision
{
    /// <summary>
    /// Checks, in order: already-recorded (assessment id); unknown-course, unknown-session (a healing check needs its
    /// session, of the course when one is named; an outcome needs its course); future-time; assessment-before-session;
    /// for an outcome, outcome-before-sessions and already-recorded (one outcome a course); then each score's
    /// scale-unknown and score-out-of-range. An outcome concludes its course: each scored scale's change from the
    /// course baseline, and the course's facts for analytics.
    /// </summary>
    public static Decision Decide(TreatmentRecord record, RecordSkinAssessment command, ClinicProtocol protocol, DateTimeOffset now)
    {
        var session = command.SessionId is { } sessionId ? record.FindSession(sessionId) : null;
        var course = command.CourseId is { } courseId
            ? record.Courses.GetValueOrDefault(courseId)
            : command.SessionId is { } checkedSession ? record.SessionCourse(checkedSession) : null;

        var refusal = (record.Assessments.Any(a => a.Id == command.AssessmentId)
                ? Decision.Refuse(RuleCodes.AlreadyRecorded, $"Assessment {command.AssessmentId} is already on this client's record.")
                : null)
            ?? UnknownCourse(command, course)
            ?? UnknownSession(command, session, course)
            ?? Rules.FutureTime("Assessed at", command.AssessedAt, now, protocol)
            ?? (session is not null && command.AssessedAt < session.PerformedAt
                ? Decision.Refuse(RuleCodes.AssessmentBeforeSession,
                    $"The healing check is dated {ClinicWords.Time(command.AssessedAt)}, before the session it follows ({ClinicWords.Time(session.PerformedAt)}).")
                : null)
            ?? (command.Kind == AssessmentKind.Outcome ? OutcomeRefusal(record, course!, command.AssessedAt) : null)
            ?? EachScore(command.Scores, score => ScaleUnknown(score, protocol))
            ?? EachScore(command.Scores, score => ScoreOutOfRange(score, protocol.Scale(score.Scale)!));
        if (refusal is not null) return refusal;

        var scales = command.Scores.Select(s => s.Scale).Distinct().Select(name => protocol.Scale(name)!).ToList();
        return Decision.Accept(new SkinAssessed(record.Id, command.AssessmentId, command.AssessedAt, command.Kind, course?.Id,
            command.SessionId, command.AssessorId, [.. command.Scores], scales, [.. command.PhotoIds], command.Notes, protocol.Version,
            command.By, command.Kind == AssessmentKind.Outcome ? Outcome(record, course!, command, protocol) : null));
    }

    private static Decision? UnknownCourse(RecordSkinAssessment command, Course? course) =>
        command.CourseId is { } named && course is null
            ? Decision.Refuse(RuleCodes.UnknownCourse, $"This client's record has no course {named}.")
            : command.Kind == AssessmentKind.Outcome && course is null
                ? Decision.Refuse(RuleCodes.UnknownCourse, "An outcome is of a course: name the course it concludes.")
                : null;

    private static Decision? UnknownSession(RecordSkinAssessment command, CourseSession? session, Course? course)
    {
        if (command.SessionId is { } named && (session is null || course?.Sessions.Any(s => s.SessionId == named) != true))
            return Decision.Refuse(RuleCodes.UnknownSession, command.CourseId is { } courseId && session is not null
                ? $"Session {named} is not a session of course {courseId}."
                : $"This client's record has no session {named}.");
        return command.Kind == AssessmentKind.HealingCheck && session is null
            ? Decision.Refuse(RuleCodes.UnknownSession, "A healing check follows a session: name the session whose healing it checks.")
            : null;
    }

    private static Decision? OutcomeRefusal(TreatmentRecord record, Course course, DateTimeOffset assessedAt)
    {
        if (!course.CourseSessions.Any(s => s.PerformedAt <= assessedAt))
            return Decision.Refuse(RuleCodes.OutcomeBeforeSessions,
                $"An outcome judges a course's sessions; this course has none on or before {ClinicWords.Time(assessedAt)}.");
        return record.Assessments.Any(a => a.Kind == AssessmentKind.Outcome && a.CourseId == course.Id)
            ? Decision.Refuse(RuleCodes.AlreadyRecorded, "This course's outcome is already recorded; later scores are progress assessments.")
            : null;
    }

    private static Decision? ScaleUnknown(SkinScore score, ClinicProtocol protocol) =>
        protocol.Scale(score.Scale) is null
            ? Decision.Refuse(RuleCodes.ScaleUnknown,
                $"This clinic's protocol holds no scale '{score.Scale}'; it holds {string.Join(", ", protocol.Scales.Select(s => s.Name))}.")
            : null;

    private static Decision? ScoreOutOfRange(SkinScore score, SkinScale scale) =>
        scale.Holds(score.Value)
            ? null
            : Decision.Refuse(RuleCodes.ScoreOutOfRange,
                $"{scale.Name} runs from {scale.Min} to {scale.Max} in steps of {scale.Step}; {score.Value} was scored{(score.Area is { } area ? $" on {ClinicWords.For(area).ToLowerInvariant()}" : "")}.");

    /// <summary>
    /// Each outcome score on a scale with a better direction, against the course baseline of the same scale and area
    /// (the latest before the course's first session); GAIS is itself a change and has none.
    /// </summary>
    private static CourseOutcome Outcome(TreatmentRecord record, Course course, RecordSkinAssessment command, ClinicProtocol protocol)
    {
        var sessions = course.CourseSessions.Where(s => s.PerformedAt <= command.AssessedAt).ToList();
        var baselines = AssessmentRules.CourseBaselines(record, course, sessions[0].PerformedAt, protocol).ToList();
        var changes = command.Scores
            .Where(s => s.Scale != SkinScales.Gais && protocol.Scale(s.Scale)?.LowerIsBetter is not null)
            .Select(s => (Score: s, Baseline: baselines.LastOrDefault(b => b.Score.Scale == s.Scale && b.Score.Area == s.Area).Score))
            .Where(pair => pair.Baseline is not null)
            .Select(pair => new ScoreChange(pair.Score.Scale, pair.Score.Area, pair.Baseline!.Value, pair.Score.Value,
                pair.Score.Value - pair.Baseline.Value))
            .ToList();
        var facts = new CourseFacts(
            [.. course.Concerns.Distinct().Select(c => new ConcernScale(c, protocol.OutcomeScales.GetValueOrDefault(c) ?? ""))],
            sessions.Max(s => s.DeepestDepthMm),
            sessions[0].Serum.Product,
            sessions[0].ProtocolVersion,
            sessions.Count,
            record.Reactions.Values.Count(r => r.CourseId == course.Id && r.OccurredAt <= command.AssessedAt));
        return new CourseOutcome(command.Scores.FirstOrDefault(s => s.Scale == SkinScales.Gais)?.Value, changes, facts);
    }

    private static Decision? EachScore(IReadOnlyList<SkinScore> scores, Func<SkinScore, Decision?> rule) =>
        scores.Select(rule).FirstOrDefault(refusal => refusal is not null);
}
