using System.Globalization;
using Marten.Linq.MatchesSql;

namespace Courses.Api.Audit;

public sealed record AccessEntry(Guid Id, DateTimeOffset At, string UserId, string Method, string Route,
    IReadOnlyList<Guid> ClientIds, int Status, string TraceId, string RequestId);

/// <summary>One page of the clinic's access log, newest first; no total, as for the maintenance list.</summary>
public sealed record AccessLogPage(Guid? ClientId, DateTimeOffset? From, DateTimeOffset? To, int Page, int PageSize, bool HasMore,
    IReadOnlyList<AccessEntry> Items);

public static class GetAccessLogEndpoint
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>
    /// Who read which client's data, when. <c>from</c> and <c>to</c> are ISO-8601 times with offset, or dates
    /// (yyyy-MM-dd, whole UTC days, <c>to</c> inclusive); <c>from</c> is inclusive, <c>to</c> exclusive for a time.
    /// </summary>
    [WolverineGet("/api/audit/access")]
    [ProducesResponseType<AccessLogPage>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.AccessLog)]
    public static async Task<IResult> Get(string? clientId, string? from, string? to, string? page, string? pageSize,
        IQuerySession session, CancellationToken cancellation)
    {
        var input = new InputErrors();
        Guid? client = null;
        if (!string.IsNullOrEmpty(clientId))
        {
            if (Guid.TryParse(clientId, out var parsed)) client = parsed;
            else input.Add("clientId", "must be a client id (a UUID).");
        }
        var since = Bound(input, "from", from, endOfDay: false);
        var until = Bound(input, "to", to, endOfDay: true);
        if (since is not null && until is not null && until <= since) input.Add("to", "must be after from.");
        var (pageNumber, size) = input.Paging(page, pageSize, DefaultPageSize, MaxPageSize);
        if (input.HasErrors) return Results.Problem(input.ToProblem());

        var query = session.Query<AccessRecord>().AsQueryable();
        // Written as the duplicated column's containment so the GIN index on client_ids serves it.
        if (client is { } id) query = query.Where(r => r.MatchesSql("d.client_ids @> ARRAY[?]::uuid[]", id));
        if (since is { } start) query = query.Where(r => r.At >= start);
        if (until is { } end) query = query.Where(r => r.At < end);
        var records = await query
            .OrderByDescending(r => r.At).ThenByDescending(r => r.Id)
            .Skip((pageNumber - 1) * size).Take(size + 1)
            .ToListAsync(cancellation);

        var items = records.Take(size)
            .Select(r => new AccessEntry(r.Id, r.At, r.UserId, r.Method, r.Route, r.ClientIds, r.Status, r.TraceId, r.RequestId))
            .ToArray();
        return Results.Ok(new AccessLogPage(client, since, until, pageNumber, size, records.Count > size, items));
    }

    private static DateTimeOffset? Bound(InputErrors input, string field, string? value, bool endOfDay)
    {
        if (string.IsNullOrEmpty(value)) return null;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) && date.Year >= 1900)
            return new DateTimeOffset((endOfDay ? date.AddDays(1) : date).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        // A time must say its offset: a bare local time would mean different instants on different servers.
        if (value.Length > 10 && (value.EndsWith('Z') || value[^6] is '+' or '-')
            && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.None, out var time) && time.Year >= 1900)
            return time;
        input.Add(field, "must be a date as yyyy-MM-dd or a time as ISO-8601 with offset.");
        return null;
    }
}
