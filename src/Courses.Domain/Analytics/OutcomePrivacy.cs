namespace Courses.Domain.Analytics;

/// <summary>
/// Outcome analytics group courses by concern, depth, serum and protocol version: a group of so few courses could
/// point to a person, so its figures are shown only from <see cref="MinCoursesPerGroup"/> courses on.
/// </summary>
public static class OutcomePrivacy
{
    public const int MinCoursesPerGroup = 3;

    public static bool Shown(int courses) => courses >= MinCoursesPerGroup;
}
