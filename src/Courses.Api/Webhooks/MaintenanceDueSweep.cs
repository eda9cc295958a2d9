using Courses.Domain.Protocol;
using Courses.Projections.Courses;
using Courses.Projections.Protocol;
using Npgsql;
using Wolverine;

namespace Courses.Api.Webhooks;

/// <summary>Looks for courses whose maintenance has fallen due, in every clinic with a <c>maintenance.due</c> webhook.</summary>
public sealed record SweepMaintenanceDue;

/// <summary>One course fallen due, to announce once: the marker and the deliveries commit together.</summary>
public sealed record AnnounceMaintenanceDue(string Clinic, Guid CourseId, Guid ClientId, DateOnly DueOn);

/// <summary>That a course's maintenance, due on one date, was announced; a later due date is announced again.</summary>
public sealed record MaintenanceDueAnnounced
{
    public required string Id { get; init; }
    public DateTimeOffset AnnouncedAt { get; init; }

    public static string IdFor(Guid courseId, DateOnly dueOn) => $"{courseId}/{dueOn:yyyy-MM-dd}";
}

public static class SweepMaintenanceDueHandler
{
    private const int MaxPerSweep = 1000;

    /// <summary>
    /// Maintenance falls due with the calendar, not with an event, so it is found by date: the due list's own table,
    /// read across clinics, less what was already announced. "Today" is each clinic's own date in its protocol's zone,
    /// like the maintenance list's; nodes may sweep at once, since each course and due date is announced at most once.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(SweepMaintenanceDue sweep, IDocumentStore store, TimeProvider clock,
        WebhookSettings settings, CancellationToken cancellation)
    {
        var now = clock.GetUtcNow();
        // No clinic's date is ahead of UTC's by more than a day (UTC+14 at most): the query takes that, each clinic then its own.
        var latestToday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        var due = store.Options.FindOrResolveDocumentType(typeof(MaintenanceDue)).TableName.QualifiedName;
        var hooks = store.Options.FindOrResolveDocumentType(typeof(Webhook)).TableName.QualifiedName;
        var announced = store.Options.FindOrResolveDocumentType(typeof(MaintenanceDueAnnounced)).TableName.QualifiedName;
        var protocols = store.Options.FindOrResolveDocumentType(typeof(ClinicProtocolDocument)).TableName.QualifiedName;

        var announcements = new OutgoingMessages();
        // Every clinic database (the one shared database, or each clinic's own).
        foreach (var database in await store.Storage.AllDatabases())
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellation);

            // A clinic holds one protocol document (its own stream's), so the join adds at most one row per course.
            await using var command = new NpgsqlCommand($"""
                select d.tenant_id, d.id, (d.data ->> 'clientId')::uuid, d.due_on, p.data -> 'protocol' ->> 'timeZone'
                from {due} d
                left join {protocols} p on p.tenant_id = d.tenant_id
                where d.due_on <= @today and d.due_on > @earliest
                  and exists (select 1 from {hooks} w where w.tenant_id = d.tenant_id and w.data -> 'kinds' @> @kind::jsonb)
                  and not exists (select 1 from {announced} a
                                  where a.tenant_id = d.tenant_id and a.id = d.id::text || '/' || to_char(d.due_on, 'YYYY-MM-DD'))
                order by d.due_on
                limit {MaxPerSweep}
                """, connection);
            command.Parameters.AddWithValue("today", latestToday);
            command.Parameters.AddWithValue("earliest", latestToday.AddDays(-settings.MaintenanceLookbackDays));
            command.Parameters.AddWithValue("kind", $"[\"{WebhookKinds.MaintenanceDue}\"]");
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var dueOn = await reader.GetFieldValueAsync<DateOnly>(3, cancellation);
                var zone = ClinicProtocol.ZoneOf(reader.IsDBNull(4) ? null : reader.GetString(4));
                if (dueOn <= ClinicWords.DayOf(now, zone))
                    announcements.Add(new AnnounceMaintenanceDue(reader.GetString(0), reader.GetGuid(1), reader.GetGuid(2), dueOn));
            }
        }
        return announcements;
    }
}

public static class AnnounceMaintenanceDueHandler
{
    public static async Task<OutgoingMessages> Handle(AnnounceMaintenanceDue due, IDocumentSession session, IDocumentStore store,
        TimeProvider clock, CancellationToken cancellation)
    {
        var markerId = MaintenanceDueAnnounced.IdFor(due.CourseId, due.DueOn);
        await using var clinic = store.QuerySession(due.Clinic);
        if (await clinic.LoadAsync<MaintenanceDueAnnounced>(markerId, cancellation) is not null) return [];

        // Inserted, not stored: a node announcing the same course at the same moment fails here instead of twice.
        session.ForTenant(due.Clinic).Insert(new MaintenanceDueAnnounced { Id = markerId, AnnouncedAt = clock.GetUtcNow() });
        var webhooks = await clinic.Query<Webhook>().ToListAsync(cancellation);
        return WebhookNoticeHandler.DeliveriesFor(due.Clinic,
            [new ClinicEvent(WebhookKinds.MaintenanceDue, due.ClientId, due.CourseId, DueOn: due.DueOn)], webhooks);
    }
}

/// <summary>Sweeps on every node at <see cref="WebhookSettings.MaintenanceSweepInterval"/>.</summary>
public sealed class MaintenanceDueSweeper(IServiceProvider services, WebhookSettings settings, ILogger<MaintenanceDueSweeper> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(settings.MaintenanceSweepInterval);
        while (await timer.WaitForNextTickAsync(stopping))
        {
            try
            {
                await using var scope = services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeAsync(new SweepMaintenanceDue(), stopping);
            }
            catch (Exception e) when (!stopping.IsCancellationRequested)
            {
                logger.LogWarning(e, "The maintenance-due sweep failed; it runs again in {Interval}", settings.MaintenanceSweepInterval);
            }
        }
    }
}
