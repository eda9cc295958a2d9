using Courses.Api.Hosting;
using Courses.Projections.Clients;
using Courses.Projections.Courses;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

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
    /// Courses whose maintenance falls due between from and to, or is already overdue, soonest first. "Today" is the
    /// service's UTC date: clinics do not yet record a time zone.
    /// </summary>
    [WolverineGet("/api/maintenance/due")]
    [ProducesResponseType<MaintenanceDuePage>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.FrontDesk)]
    public static async Task<IResult> Get(string? from, string? to, string? page, string? pageSize, IQuerySession session,
        TimeProvider clock, CancellationToken cancellation)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var input = new InputErrors();
        var window = (From: input.Date("from", from) ?? today, To: input.Date("to", to) ?? today.AddDays(DefaultWindowDays));
        if (window.To < window.From) input.Add("to", "must not be before from.");
        var (pageNumber, size) = input.Paging(page, pageSize, DefaultPageSize, MaxPageSize);
        if (input.HasErrors) return Results.Problem(input.ToProblem());

        var profiles = new Dictionary<Guid, ClientProfile>();
        var due = await session.Query<MaintenanceDue>()
            .Include(profiles).On(d => d.ClientId)
            .Where(d => d.DueOn <= window.To && (d.DueOn >= window.From || d.DueOn < today))
            .OrderBy(d => d.DueOn).ThenBy(d => d.Id)
            .Skip((pageNumber - 1) * size).Take(size + 1)
            .ToListAsync(cancellation);

        var items = due.Take(size).Select(d => new MaintenanceDueEntry(d.CourseId, d.ClientId, profiles.GetValueOrDefault(d.ClientId)?.FullName,
            d.DueOn, d.DueOn < today, d.LastSessionOn)).ToArray();
        return Results.Ok(new MaintenanceDuePage(window.From, window.To, today, pageNumber, size, due.Count > size, items));
    }
}
