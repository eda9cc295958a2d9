using Courses.Domain.Protocol;

namespace Courses.Domain.Courses;

public sealed record CancelCourse(Guid CourseId, string Reason, string By);

public static class CancelCourseDecision
{
    public static Decision Decide(TreatmentRecord record, CancelCourse command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (!record.Courses.TryGetValue(command.CourseId, out var course)) return Decision.Unknown("course", command.CourseId);

        return CourseRules.NotActive(course, "cancelled")
            ?? Decision.Accept(new CourseCancelled(record.Id, course.Id, command.Reason, now, command.By));
    }
}
