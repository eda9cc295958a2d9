using Courses.Domain.Assessments;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;

namespace Courses.Domain.Sessions;

public sealed record RecordSession(
    Guid CourseId,
    Guid SessionId,
    DateTimeOffset PerformedAt,
    string PractitionerId,
    IReadOnlyList<AreaDepth> Areas,
    Serum Serum,
    bool NumbingCreamApplied,
    bool CalmingMaskApplied,
    bool SpfApplied,
    string? Notes,
    string By,
    ProductLot? NumbingCream = null,
    ProductLot? NeedleCartridge = null,
    Device? Device = null) : ISessionPerformed;

public static class RecordSessionDecision
{
    /// <summary>
    /// Checks, in order: not-found (course), already-recorded (session id); course-not-active, course-paused;
    /// future-time, out-of-order, too-soon (minimum days since this course's previous session, then the healing window
    /// of the record's latest session); then the clinical rules of <see cref="SessionRules.Clinical"/>; then, for the
    /// course's first session under a protocol that asks for it, baseline-required. The course's last planned session also completes it.
    /// </summary>
    public static Decision Decide(TreatmentRecord record, RecordSession command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (!record.Courses.TryGetValue(command.CourseId, out var course)) return Decision.Unknown("course", command.CourseId);

        var refusal = SessionRules.Refusal(record, course, command, protocol, now,
            standing: CourseRules.NotActive(course, "given another session")
                ?? (course.Status == CourseStatus.Paused
                    ? Decision.Refuse(RuleCodes.CoursePaused, $"This course is paused ({course.PauseReason}); resume it before the next session.")
                    : null),
            spacing: TooSoonInCourse(course, command.PerformedAt, protocol))
            ?? AssessmentRules.BaselineRequired(record, course, command.PerformedAt, protocol);
        if (refusal is not null) return refusal;

        var number = course.SessionsCompleted + 1;
        var completesCourse = number >= course.PlannedSessions;
        var performedOn = protocol.DayOf(command.PerformedAt);
        var recorded = new SessionRecorded(
            record.Id, course.Id, command.SessionId, number, command.PerformedAt, command.PractitionerId,
            [.. command.Areas], SessionRules.Trimmed(command.Serum), command.NumbingCreamApplied, command.CalmingMaskApplied,
            command.SpfApplied, command.Notes, protocol.Version, SessionRules.Precautions(record, command.PerformedAt, protocol),
            completesCourse ? null : performedOn.AddMonths(protocol.CourseIntervalMonths), command.By,
            SessionRules.HealedOn(command, protocol), SessionRules.Trimmed(command.NumbingCream),
            SessionRules.Trimmed(command.NeedleCartridge), SessionRules.Trimmed(command.Device));

        return completesCourse
            ? Decision.Accept(recorded, new CourseCompleted(record.Id, course.Id, command.PerformedAt,
                performedOn.AddMonths(protocol.MaintenanceIntervalMonths), command.By))
            : Decision.Accept(recorded);
    }

    private static Decision? TooSoonInCourse(Course course, DateTimeOffset performedAt, ClinicProtocol protocol)
    {
        if (course.CourseSessions.LastOrDefault() is not { } previous) return null;
        var earliest = protocol.DayOf(previous.PerformedAt).AddDays(protocol.MinDaysBetweenCourseSessions);
        return protocol.DayOf(performedAt) < earliest
            ? Decision.Refuse(RuleCodes.TooSoon,
                $"Course sessions are at least {protocol.MinDaysBetweenCourseSessions} days apart; session {previous.Number} was on {ClinicWords.Day(protocol.DayOf(previous.PerformedAt))}, so the next can be on {ClinicWords.Day(earliest)} at the earliest, {ClinicWords.Day(protocol.DayOf(performedAt))} was asked.")
            : null;
    }
}
