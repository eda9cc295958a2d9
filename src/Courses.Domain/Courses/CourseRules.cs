namespace Courses.Domain.Courses;

internal static class CourseRules
{
    public static Decision? NotActive(Course course, string what) =>
        course.Status is CourseStatus.Completed or CourseStatus.Cancelled
            ? Decision.Refuse(RuleCodes.CourseNotActive,
                $"This course is {course.Status.ToString().ToLowerInvariant()}; it cannot be {what}.")
            : null;
}
