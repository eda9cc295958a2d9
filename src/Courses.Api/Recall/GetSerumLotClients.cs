using Courses.Projections.Clients;
using Courses.Projections.Recall;

namespace Courses.Api.Recall;

public sealed record RecalledSession(Guid SessionId, Guid CourseId, DateTimeOffset PerformedAt, string Product, bool Maintenance);

/// <summary>FullName is null only if the client's profile is missing, which the record never allows.</summary>
public sealed record RecalledClient(Guid ClientId, string? FullName, IReadOnlyList<RecalledSession> Sessions);

public sealed record SerumLotClients(string Lot, IReadOnlyList<RecalledClient> Clients);

public static class GetSerumLotClientsEndpoint
{
    [WolverineGet("/api/serum-lots/{lot}/clients")]
    [ProducesResponseType<SerumLotClients>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.Recall)]
    public static async Task<IResult> Get(string lot, IQuerySession session, CancellationToken cancellation)
    {
        var usages = string.IsNullOrWhiteSpace(lot) ? []
            : await session.Query<SerumLotUsage>().Where(u => u.LotKey == SerumLotUsage.Key(lot)).ToListAsync(cancellation);
        if (usages.Count == 0)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Serum lot not found",
                detail: $"No session in this clinic used serum lot '{lot.Trim()}'.");

        var profiles = (await session.LoadManyAsync<ClientProfile>(cancellation, usages.Select(u => u.ClientId)))
            .ToDictionary(p => p.Id);
        var clients = usages
            .Select(u => new RecalledClient(u.ClientId, profiles.GetValueOrDefault(u.ClientId)?.FullName,
                u.Sessions.OrderBy(s => s.PerformedAt)
                    .Select(s => new RecalledSession(s.SessionId, s.CourseId, s.PerformedAt, s.Product, s.Maintenance))
                    .ToArray()))
            .OrderBy(c => c.FullName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.ClientId)
            .ToArray();
        // The spelling the clinic first typed for the lot.
        var firstTyped = usages.MinBy(u => u.Sessions.Min(s => s.PerformedAt))!.Lot;
        return Results.Ok(new SerumLotClients(firstTyped, clients));
    }
}
