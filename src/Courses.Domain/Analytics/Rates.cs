namespace Courses.Domain.Analytics;

/// <summary>The rates analytics report; each is null when nothing was there to count, rather than a misleading zero.</summary>
public static class Rates
{
    /// <summary>Completed courses among those that ended, completed or cancelled, to 4 decimals.</summary>
    public static decimal? CompletionRate(int completed, int cancelled) => Rate(completed, completed + cancelled, 1m, 4);

    /// <summary>Reactions per 100 sessions, to 2 decimals.</summary>
    public static decimal? ReactionsPer100Sessions(int reactions, int sessions) => Rate(reactions, sessions, 100m, 2);

    /// <summary>The share of courses that improved, to 4 decimals.</summary>
    public static decimal? Share(int count, int of) => Rate(count, of, 1m, 4);

    /// <summary>A mean change on a scale, to 2 decimals.</summary>
    public static decimal? Mean(decimal sum, int count) =>
        count == 0 ? null : Math.Round(sum / count, 2, MidpointRounding.AwayFromZero);

    private static decimal? Rate(int count, int of, decimal per, int decimals) =>
        of == 0 ? null : Math.Round(per * count / of, decimals, MidpointRounding.AwayFromZero);
}
