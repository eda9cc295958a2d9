using Courses.Domain.Protocol;

namespace Courses.Domain.Courses;

public sealed record PauseCourse(Guid CourseId, string Reason, string By);

public static class PauseCourseDecision
{
    public static Decision Decide(TreatmentRecord record, PauseCourse command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (!record.Courses.TryGetValue(command.CourseId, out var course)) return Decision.Unknown("course", command.CourseId);

        return CourseRules.NotActive(course, "paused")
            ?? (course.Status == CourseStatus.Paused
                ? Decision.Refuse(RuleCodes.CoursePaused, "This course is already paused.")
                : null)
            ?? Decision.Accept(new CoursePaused(record.Id, course.Id, command.Reason, false, null, now, command.By));
    }
}
