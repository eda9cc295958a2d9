namespace Courses.Domain;

/// <summary>The stable problem codes of DESIGN.md §3; clients match on these strings.</summary>
public static class RuleCodes
{
    public const string FutureTime = "future-time";
}
