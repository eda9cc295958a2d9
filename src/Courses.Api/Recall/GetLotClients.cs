using Courses.Projections.Clients;
using Courses.Projections.Recall;

namespace Courses.Api.Recall;

public sealed record LotRecallSession(Guid SessionId, DateTimeOffset PerformedAt, string Product, ProductKind Kind);

/// <summary>
/// Someone a lot reached, with the phone and email to reach them by (null when unknown or erased); ClientName is null only
/// if the client's profile is missing, which the record never allows.
/// </summary>
public sealed record LotRecallClient(Guid ClientId, string? ClientName, string? Phone, string? Email, IReadOnlyList<LotRecallSession> Sessions);

public sealed record LotClients(string Lot, IReadOnlyList<LotRecallClient> Items);

public static class GetLotClientsEndpoint
{
    /// <summary>Every client a lot of any product reached (serum, numbing cream, needle cartridge), by name.</summary>
    [WolverineGet("/api/lots/{lot}/clients")]
    [ProducesResponseType<LotClients>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.Recall)]
    public static async Task<IResult> Get(string lot, IQuerySession session, CancellationToken cancellation)
    {
        var recall = await LotRecall.Read(session, lot, kind: null, cancellation);
        if (recall is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Lot not found",
                detail: $"No session in this clinic used a product of lot '{lot.Trim()}'.");
        return Results.Ok(new LotClients(recall.Lot, [.. recall.Clients.Select(c => new LotRecallClient(c.ClientId,
            c.Profile?.FullName, c.Profile?.Phone, c.Profile?.Email,
            [.. c.Sessions.Select(s => new LotRecallSession(s.SessionId, s.PerformedAt, s.Product, s.Kind))]))]));
    }
}

/// <summary>A lot's recall as both routes read it: the clients it reached, by name, each with their sessions in time order.</summary>
internal sealed record LotRecall(string Lot, IReadOnlyList<(Guid ClientId, ClientProfile? Profile, IReadOnlyList<LotSession> Sessions)> Clients)
{
    /// <summary>
    /// Two round trips whatever the lot's reach: the lot's documents by their indexed key, then the profiles in one batch.
    /// Null when no session of this clinic used the lot (as a product of <paramref name="kind"/>, when given).
    /// </summary>
    public static async Task<LotRecall?> Read(IQuerySession session, string lot, ProductKind? kind, CancellationToken cancellation)
    {
        var usages = string.IsNullOrWhiteSpace(lot) ? []
            : (await session.Query<LotUsage>().Where(u => u.LotKey == LotUsage.Key(lot)).ToListAsync(cancellation))
                .Select(u => u with { Sessions = kind is null ? u.Sessions : u.Sessions.RemoveAll(s => s.Kind != kind) })
                .Where(u => u.Sessions.Count > 0)
                .ToList();
        if (usages.Count == 0) return null;

        var profiles = (await session.LoadManyAsync<ClientProfile>(cancellation, usages.Select(u => u.ClientId))).ToDictionary(p => p.Id);
        var clients = usages
            .Select(u => (u.ClientId, profiles.GetValueOrDefault(u.ClientId),
                (IReadOnlyList<LotSession>)[.. u.Sessions.OrderBy(s => s.PerformedAt).ThenBy(s => s.Kind)]))
            .OrderBy(c => c.Item2?.FullName, StringComparer.OrdinalIgnoreCase)
            .ThenBy(c => c.ClientId)
            .ToList();
        // The spelling the clinic first typed for the lot (of two first used at the same moment, the same one every time).
        var firstTyped = usages.OrderBy(u => u.Sessions.Min(s => s.PerformedAt)).ThenBy(u => u.Lot, StringComparer.Ordinal).First().Lot;
        return new LotRecall(firstTyped, clients);
    }
}
