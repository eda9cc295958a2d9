namespace Courses.Domain.Analytics;

/// <summary>
/// Decline reasons are typed by staff, so a rare one may carry a name or a health detail: a reason is shown only when
/// at least <see cref="MinDeclinesPerReason"/> declines of the month share it; the rest are counted as "other".
/// </summary>
public static class DeclineReasonPrivacy
{
    public const int MinDeclinesPerReason = 3;

    /// <summary>A decline recorded without a reason: it names nobody, so it is always shown.</summary>
    public const string Unspecified = "unspecified";

    public const string Other = "other";

    /// <summary>The month's reason counts as analysts may see them.</summary>
    public static IReadOnlyDictionary<string, int> Shareable(IReadOnlyDictionary<string, int> reasons)
    {
        var shown = reasons.Where(r => r.Value >= MinDeclinesPerReason || r.Key == Unspecified).ToDictionary(r => r.Key, r => r.Value);
        var other = reasons.Where(r => !shown.ContainsKey(r.Key)).Sum(r => r.Value);
        if (other > 0) shown[Other] = other;
        return shown;
    }
}
