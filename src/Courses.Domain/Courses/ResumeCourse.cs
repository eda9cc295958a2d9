using Courses.Domain.Protocol;

namespace Courses.Domain.Courses;

public sealed record ResumeCourse(Guid CourseId, string Reason, string By);

public static class ResumeCourseDecision
{
    /// <summary>A course a reaction paused stays paused until that reaction is resolved.</summary>
    public static Decision Decide(TreatmentRecord record, ResumeCourse command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (!record.Courses.TryGetValue(command.CourseId, out var course)) return Decision.Unknown("course", command.CourseId);

        if (course.Status != CourseStatus.Paused)
            return Decision.Refuse(RuleCodes.CourseNotPaused,
                $"This course is {course.Status.ToString().ToLowerInvariant()}, not paused; there is nothing to resume.");

        if (course.PausedByReactionId is { } reactionId
            && record.Reactions.TryGetValue(reactionId, out var reaction) && !reaction.IsResolved)
            return Decision.Refuse(RuleCodes.UnresolvedReaction,
                $"This course was paused for the {ClinicWords.For(reaction.Kind)} of {ClinicWords.Day(protocol.DayOf(reaction.OccurredAt))}, which is not resolved yet.");

        return Decision.Accept(new CourseResumed(record.Id, course.Id, command.Reason, now, command.By));
    }

    /// <summary>The status a resumed course returns to: active once it has had a course session, planned before.</summary>
    public static CourseStatus StatusOnResume(int sessionsCompleted) =>
        sessionsCompleted > 0 ? CourseStatus.Active : CourseStatus.Planned;
}
