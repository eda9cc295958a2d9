using System.Text.Json.Serialization;
using JasperFx.Events;

namespace Courses.Api.Audit;

public sealed record HistoryEntry(
    long Sequence,
    long Version,
    string Type,
    DateTimeOffset RecordedAt,
    DateTimeOffset? BusinessTime,
    string? RecordedBy,
    string? CorrelationId,
    string? Hash,
    object Data);

public sealed record HistoryPage(Guid ClientId, long AfterVersion, int Limit, long? NextAfterVersion, IReadOnlyList<HistoryEntry> Events);

public static class GetHistoryEndpoint
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>
    /// The record's events in order, a page at a time: <c>afterVersion</c> and <c>limit</c> page through the stream;
    /// <c>asOf</c> shows only what had been recorded by then; <c>from</c>/<c>to</c> keep the events whose business time
    /// falls between them (within the page scanned, so follow <c>nextAfterVersion</c> until it is null).
    /// </summary>
    [WolverineGet("/api/clients/{clientId}/history")]
    [ProducesResponseType<HistoryPage>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.Audit)]
    public static async Task<IResult> Get(Guid clientId, string? asOf, string? from, string? to, string? afterVersion, string? limit,
        IQuerySession session, CancellationToken cancellation)
    {
        var input = new InputErrors();
        var cutOff = input.Instant("asOf", asOf);
        var window = (From: input.Instant("from", from), To: input.Instant("to", to));
        var after = input.Number("afterVersion", afterVersion, 0, int.MaxValue) ?? 0;
        var size = input.Number("limit", limit, 1, MaxLimit) ?? DefaultLimit;
        if (input.HasErrors) return Results.Problem(input.ToProblem());

        var query = session.Events.QueryAllRawEvents().Where(e => e.StreamId == clientId && e.Version > after);
        if (cutOff is { } at) query = query.Where(e => e.Timestamp <= at);
        var events = (await query.OrderBy(e => e.Version).Take(size + 1).ToListAsync(cancellation)).ToList();

        // Only an empty page (past the end, or before the client was registered) needs to ask whether the client exists.
        if (events.Count == 0 && await session.Events.FetchStreamStateAsync(clientId, cancellation) is null)
            return NotFound.Client(clientId);
        var page = events.Take(size).ToList();
        var entries = page
            .Select(e => new HistoryEntry(e.Sequence, e.Version, e.EventType.Name, e.Timestamp, BusinessTime.Of(e.Data), e.UserName,
                e.CorrelationId, e.GetHeader(HashChain.Header)?.ToString(), e.Data))
            .Where(e => (window.From is null || e.BusinessTime >= window.From) && (window.To is null || e.BusinessTime <= window.To))
            .ToArray();
        return Results.Ok(new HistoryPage(clientId, after, size, events.Count > size ? page[^1].Version : null, entries));
    }
}
