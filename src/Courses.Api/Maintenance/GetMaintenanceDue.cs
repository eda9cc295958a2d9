using Courses.Domain.Protocol;
using Courses.Projections.Clients;
using Courses.Projections.Courses;

namespace Courses.Api.Maintenance;

public sealed record MaintenanceDueEntry(Guid CourseId, Guid ClientId, string? ClientName, DateOnly DueOn, bool Overdue, DateOnly LastSessionOn);

/// <summary>
/// One page of the list. There is no total: counting a window of tens of thousands of courses costs more than the
/// page itself, and a work list only needs to know whether another page follows.
/// </summary>
public sealed record MaintenanceDuePage(DateOnly From, DateOnly To, DateOnly Today, int Page, int PageSize, bool HasMore,
    IReadOnlyList<MaintenanceDueEntry> Items);

public static class GetMaintenanceDueEndpoint
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;
    public const int DefaultWindowDays = 30;

    /// <summary>
    /// Courses whose maintenance falls due between from and to, or is already overdue, soonest first. "Today" and every
    /// date of the answer are the clinic's, in the time zone of its protocol.
    /// </summary>
    [WolverineGet("/api/maintenance/due")]
    [ProducesResponseType<MaintenanceDuePage>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.FrontDesk)]
    public static async Task<IResult> Get(string? from, string? to, string? page, string? pageSize, IQuerySession session,
        ClinicProtocol protocol, TimeProvider clock, CancellationToken cancellation)
    {
        var today = protocol.DayOf(clock.GetUtcNow());
        var input = new InputErrors();
        var window = (From: input.Date("from", from) ?? today, To: input.Date("to", to) ?? today.AddDays(DefaultWindowDays));
        if (window.To < window.From) input.Add("to", "must not be before from.");
        var (pageNumber, size) = input.Paging(page, pageSize, DefaultPageSize, MaxPageSize);
        if (input.HasErrors) return Results.Problem(input.ToProblem());

        // One prepared statement: the page cut from the (tenant_id, due_on, id) index, its rows joined to their names.
        var statement = ClinicSql.Statement(PageSql(session.DocumentStore.Options),
            session.TenantId, window.To, window.From, today, size + 1, (pageNumber - 1) * size);
        await using var connection = await ClinicSql.OpenAsync(session, cancellation);
        await using var reader = await ClinicSql.ReadAsync(connection, cancellation, statement);
        var items = new List<MaintenanceDueEntry>(size);
        var hasMore = false;
        while (await reader.ReadAsync(cancellation))
        {
            if (items.Count == size)
            {
                hasMore = true;
                break;
            }
            var dueOn = reader.GetFieldValue<DateOnly>(3);
            items.Add(new MaintenanceDueEntry(reader.GetGuid(0), reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                dueOn, dueOn < today,
                reader.IsDBNull(5) ? reader.GetFieldValue<DateOnly>(4) : protocol.DayOf(reader.GetFieldValue<DateTimeOffset>(5))));
        }
        return Results.Ok(new MaintenanceDuePage(window.From, window.To, today, pageNumber, size, hasMore, items));
    }

    // Rows, not JSON built in the database (as the schedule reads them). The page's ids are cut from the
    // (tenant_id, due_on, id) index alone, in the list's order, and only the page's rows are read.
    private static string PageSql(IReadOnlyStoreOptions options)
    {
        var courses = options.FindOrResolveDocumentType(typeof(MaintenanceDue)).TableName.QualifiedName;
        return $"""
            select d.id, (d.data->>'clientId')::uuid, p.data->>'fullName', d.due_on, (d.data->>'lastSessionOn')::date,
                   (d.data->>'lastSessionAt')::timestamptz
            from (select k.id, k.due_on, k.tenant_id
                  from {courses} k
                  where k.tenant_id = $1 and k.due_on <= $2 and (k.due_on >= $3 or k.due_on < $4)
                  order by k.due_on, k.id
                  limit $5 offset $6) s
            join {courses} d on d.tenant_id = s.tenant_id and d.id = s.id
            left join {options.FindOrResolveDocumentType(typeof(ClientProfile)).TableName.QualifiedName} p
              on p.tenant_id = d.tenant_id and p.id = (d.data->>'clientId')::uuid
            order by s.due_on, s.id
            """;
    }
}
