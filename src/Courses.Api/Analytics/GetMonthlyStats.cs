using System.Globalization;
using Courses.Domain.Analytics;
using Courses.Projections.Analytics;

namespace Courses.Api.Analytics;

/// <summary>
/// One month of a clinic's activity. Every kind, severity and depth band is listed, with zeros; serums, creams, cartridges, practitioners
/// and decline reasons only as they occurred. Rates are null when their denominator is zero.
/// </summary>
public sealed record MonthlyStats(
    string Month,
    int ConsultationsBooked,
    int ConsultationsCompleted,
    int ConsultationsDeclined,
    int Conversions,
    IReadOnlyDictionary<string, int> DeclineReasons,
    int CoursesPlanned,
    int CoursesCompleted,
    int CoursesCancelled,
    decimal? CompletionRate,
    int Sessions,
    int MaintenanceSessions,
    IReadOnlyDictionary<string, int> SessionsByDepthBand,
    int Reactions,
    IReadOnlyDictionary<string, int> ReactionsByKind,
    IReadOnlyDictionary<string, int> ReactionsBySeverity,
    IReadOnlyDictionary<string, int> ReactionsByDepthBand,
    IReadOnlyDictionary<string, int> ReactionsBySerum,
    IReadOnlyDictionary<string, int> ReactionsByNumbingCream,
    IReadOnlyDictionary<string, int> ReactionsByNeedleCartridge,
    IReadOnlyDictionary<string, int> ReactionsByPractitioner,
    IReadOnlyDictionary<string, decimal?> ReactionRatePer100SessionsByDepthBand)
{
    public static MonthlyStats From(ClinicMonthlyStats stats) => new(
        stats.Id,
        stats.ConsultationsBooked,
        stats.ConsultationsCompleted,
        stats.ConsultationsDeclined,
        stats.Conversions,
        InOrder(DeclineReasonPrivacy.Shareable(stats.DeclineReasons), []),
        stats.CoursesPlanned,
        stats.CoursesCompleted,
        stats.CoursesCancelled,
        Rates.CompletionRate(stats.CoursesCompleted, stats.CoursesCancelled),
        stats.Sessions,
        stats.MaintenanceSessions,
        InOrder(stats.SessionsByDepthBand, DepthBands.Measured),
        stats.Reactions,
        InOrder(stats.ReactionsByKind, Enum.GetValues<ReactionKind>().Select(ClinicMonthlyStatsProjection.ApiName)),
        InOrder(stats.ReactionsBySeverity, Enum.GetValues<Severity>().Select(ClinicMonthlyStatsProjection.ApiName)),
        InOrder(stats.ReactionsByDepthBand, DepthBands.All),
        InOrder(stats.ReactionsBySerum, []),
        InOrder(stats.ReactionsByNumbingCream, []),
        InOrder(stats.ReactionsByNeedleCartridge, []),
        InOrder(stats.ReactionsByPractitioner, []),
        DepthBands.Measured.ToDictionary(band => band, band =>
            Rates.ReactionsPer100Sessions(stats.ReactionsByDepthBand.GetValueOrDefault(band), stats.SessionsByDepthBand.GetValueOrDefault(band))));

    /// <summary>Every key the vocabulary knows, zeros included, in its own order; then whatever else occurred, by name.</summary>
    private static Dictionary<string, int> InOrder(IReadOnlyDictionary<string, int> counts, IEnumerable<string> known) =>
        known.Concat(counts.Keys.Order(StringComparer.Ordinal)).Distinct().ToDictionary(key => key, key => counts.GetValueOrDefault(key));
}

public sealed record MonthlyStatsAnswer(string From, string To, IReadOnlyList<MonthlyStats> Months);

public static class GetMonthlyStatsEndpoint
{
    public const int MaxMonths = MonthRange.MaxMonths;

    [WolverineGet("/api/analytics/monthly")]

    [ProducesResponseType<MonthlyStatsAnswer>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.Analytics)]
    public static async Task<IResult> Get(string? from, string? to, IQuerySession session, CancellationToken cancellation)
    {
        var input = new InputErrors();
        if (MonthRange.Read(input, from, to) is not { } months) return Results.Problem(input.ToProblem());
        var stored = (await session.LoadManyAsync<ClinicMonthlyStats>(cancellation, months)).ToDictionary(m => m.Id);
        return Results.Ok(new MonthlyStatsAnswer(months[0], months[^1],
            months.Select(m => MonthlyStats.From(stored.GetValueOrDefault(m) ?? ClinicMonthlyStats.Empty(m))).ToArray()));
    }
}

/// <summary>The from / to months (yyyy-MM, both counted) of an analytics route, as the ids of its monthly documents.</summary>
public static class MonthRange
{
    public const int MaxMonths = 36;

    /// <summary>The months from first to last, or null with the reasons in <paramref name="input"/>.</summary>
    public static string[]? Read(InputErrors input, string? from, string? to)
    {
        var first = Month(input, "from", from);
        var last = Month(input, "to", to);
        if (first is { } f && last is { } l)
        {
            if (f > l) input.Add("to", "must not be before from.");
            else if (MonthsBetween(f, l) > MaxMonths) input.Add("to", $"must be at most {MaxMonths} months after from, counting both.");
        }
        if (input.HasErrors || first is not { } start || last is not { } end) return null;
        return Enumerable.Range(0, MonthsBetween(start, end)).Select(i => ClinicMonthlyStatsProjection.Month(start.AddMonths(i))).ToArray();
    }

    private static DateTimeOffset? Month(InputErrors input, string field, string? value)
    {
        input.Required(field, value);
        if (value is null) return null;
        if (DateTime.TryParseExact(value, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) && month.Year >= 1900)
            return new DateTimeOffset(month, TimeSpan.Zero);
        input.Add(field, "must be a month as yyyy-MM, e.g. 2026-01.");
        return null;
    }

    private static int MonthsBetween(DateTimeOffset first, DateTimeOffset last) =>
        (last.Year - first.Year) * 12 + last.Month - first.Month + 1;
}
