using Courses.Domain.Analytics;
using Courses.Projections.Analytics;

namespace Courses.Api.Analytics;

/// <summary>
/// What one group of courses achieved over the range: courses with a baseline and an outcome on the concern's scale,
/// their mean change on it, the share that improved by at least a step, their GAIS scores by value (1 very much improved
/// … 5 worse), and reactions per 100 of their sessions. A group <see cref="OutcomePrivacy"/> does not show has its figures
/// withheld (Suppressed).
/// </summary>
public sealed record OutcomeGroup(
    string Concern,
    string DepthBand,
    string Serum,
    long ProtocolVersion,
    string Scale,
    bool Suppressed,
    int? Courses,
    decimal? MeanChange,
    decimal? ShareImproved,
    IReadOnlyDictionary<string, int>? Gais,
    decimal? ReactionsPer100Sessions)
{
    public static OutcomeGroup From(OutcomeCell cell) => !OutcomePrivacy.Shown(cell.Courses)
        ? new(cell.Concern, cell.DepthBand, cell.Serum, cell.ProtocolVersion, cell.Scale, true, null, null, null, null, null)
        : new(cell.Concern, cell.DepthBand, cell.Serum, cell.ProtocolVersion, cell.Scale, false, cell.Courses,
            Rates.Mean(cell.SumOfChanges, cell.Courses), Rates.Share(cell.Improved, cell.Courses),
            Enumerable.Range(1, 5).Select(g => g.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Concat(cell.Gais.Keys.Order(StringComparer.Ordinal)).Distinct().ToDictionary(g => g, g => cell.Gais.GetValueOrDefault(g)),
            Rates.ReactionsPer100Sessions(cell.Reactions, cell.Sessions));
}

public sealed record OutcomeStatsAnswer(string From, string To, IReadOnlyList<OutcomeGroup> Groups);

public static class GetOutcomeStatsEndpoint
{
    [WolverineGet("/api/analytics/outcomes")]
    [ProducesResponseType<OutcomeStatsAnswer>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.Analytics)]
    public static async Task<IResult> Get(string? from, string? to, IQuerySession session, CancellationToken cancellation)
    {
        var input = new InputErrors();
        if (MonthRange.Read(input, from, to) is not { } months) return Results.Problem(input.ToProblem());
        var stored = await session.LoadManyAsync<ClinicOutcomeStats>(cancellation, months);
        var groups = stored.OrderBy(m => m.Id, StringComparer.Ordinal).SelectMany(m => m.Cells.Values)
            .GroupBy(cell => cell.Key)
            .Select(cells => cells.Aggregate((sum, cell) => sum.Plus(cell)))
            .OrderBy(c => c.Concern, StringComparer.Ordinal).ThenBy(c => DepthBands.Measured.IndexOf(c.DepthBand))
            .ThenBy(c => c.Serum, StringComparer.OrdinalIgnoreCase).ThenBy(c => c.ProtocolVersion)
            .Select(OutcomeGroup.From)
            .ToArray();
        return Results.Ok(new OutcomeStatsAnswer(months[0], months[^1], groups));
    }
}
