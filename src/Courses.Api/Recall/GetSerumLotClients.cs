using Courses.Projections.Recall;

namespace Courses.Api.Recall;

public sealed record RecalledSession(Guid SessionId, Guid CourseId, DateTimeOffset PerformedAt, string Product, bool Maintenance);

/// <summary>FullName is null only if the client's profile is missing, which the record never allows.</summary>
public sealed record RecalledClient(Guid ClientId, string? FullName, IReadOnlyList<RecalledSession> Sessions);

public sealed record SerumLotClients(string Lot, IReadOnlyList<RecalledClient> Clients);

/// <summary>The serum recall of part one, kept for the clients built on it: the lot recall's serum sessions, in its shape.</summary>
public static class GetSerumLotClientsEndpoint
{
    [WolverineGet("/api/serum-lots/{lot}/clients")]
    [ProducesResponseType<SerumLotClients>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.Recall)]
    public static async Task<IResult> Get(string lot, IQuerySession session, CancellationToken cancellation)
    {
        var recall = await LotRecall.Read(session, lot, ProductKind.Serum, cancellation);
        if (recall is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Serum lot not found",
                detail: $"No session in this clinic used serum lot '{lot.Trim()}'.");
        return Results.Ok(new SerumLotClients(recall.Lot, [.. recall.Clients.Select(c => new RecalledClient(c.ClientId,
            c.Profile?.FullName, [.. c.Sessions.Select(s => new RecalledSession(s.SessionId, s.CourseId, s.PerformedAt, s.Product, s.Maintenance))]))]));
    }
}
