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

        // One statement on the (due_on, tenant_id) index with the names joined in: Marten's Include would stage the
        // page in a temporary table first, which under load costs more than the page itself.
        var rows = await session.QueryAsync<Row>(PageSql(session.DocumentStore.Options), cancellation,
            session.TenantId, window.To, window.From, today, size + 1, (pageNumber - 1) * size);

        var items = rows.Take(size).Select(r => new MaintenanceDueEntry(r.CourseId, r.ClientId, r.ClientName, r.DueOn, r.DueOn < today,
            r.LastSessionAt is { } at ? protocol.DayOf(at) : r.LastSessionOn)).ToArray();
        return Results.Ok(new MaintenanceDuePage(window.From, window.To, today, pageNumber, size, rows.Count > size, items));
    }

    private sealed record Row(Guid CourseId, Guid ClientId, string? ClientName, DateOnly DueOn, DateOnly LastSessionOn, DateTimeOffset? LastSessionAt);

    // The page's ids are cut from the (tenant_id, due_on, id) index alone, and only its rows are read, joined to their
    // names and shaped as JSON.
    private static string PageSql(IReadOnlyStoreOptions options)
    {
        var courses = options.FindOrResolveDocumentType(typeof(MaintenanceDue)).TableName.QualifiedName;
        return $"""
            select jsonb_build_object('courseId', d.id, 'clientId', d.data->'clientId', 'clientName', p.data->'fullName',
                                      'dueOn', d.due_on, 'lastSessionOn', d.data->'lastSessionOn', 'lastSessionAt', d.data->'lastSessionAt')
            from (select k.id, k.due_on, k.tenant_id
                  from {courses} k
                  where k.tenant_id = ? and k.due_on <= ? and (k.due_on >= ? or k.due_on < ?)
                  order by k.due_on, k.id
                  limit ? offset ?) s
            join {courses} d on d.tenant_id = s.tenant_id and d.id = s.id
            left join {options.FindOrResolveDocumentType(typeof(ClientProfile)).TableName.QualifiedName} p
              on p.tenant_id = d.tenant_id and p.id = (d.data->>'clientId')::uuid
            order by s.due_on, s.id
            """;
    }
}
