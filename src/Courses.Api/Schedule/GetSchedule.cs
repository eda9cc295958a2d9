using Courses.Domain;
using Courses.Domain.Protocol;
using Courses.Projections.Clients;
using Courses.Projections.Consultations;
using Courses.Projections.Courses;

namespace Courses.Api.Schedule;

public sealed record ScheduledConsultation(Guid ConsultationId, Guid ClientId, string? ClientName, DateTimeOffset ScheduledAt,
    string PractitionerId, IReadOnlyList<Concern> Concerns, ConsultationStatus Status);

public sealed record SessionDue(Guid CourseId, Guid ClientId, string? ClientName, int SessionNumber, DateOnly DueOn);

public sealed record ScheduledMaintenance(Guid CourseId, Guid ClientId, string? ClientName, DateOnly DueOn);

/// <summary>The front desk's day: who comes in, whose course session is due, whose maintenance falls due.</summary>
public sealed record ClinicDay(DateOnly Date, string TimeZone, IReadOnlyList<ScheduledConsultation> Consultations,
    IReadOnlyList<SessionDue> SessionsDue, IReadOnlyList<ScheduledMaintenance> MaintenanceDue);

public static class GetScheduleEndpoint
{
    private static readonly DateOnly Latest = new(2100, 1, 1);

    /// <summary>
    /// The clinic's day in its own zone: the consultations booked for it (any status, by time; practitionerId filters
    /// them), the course sessions due on it, and the maintenance falling due on it.
    /// </summary>
    [WolverineGet("/api/schedule")]
    [ProducesResponseType<ClinicDay>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.FrontDesk)]
    public static async Task<IResult> Get(string? date, string? practitionerId, IQuerySession session, ClinicProtocol protocol,
        CancellationToken cancellation)
    {
        var input = new InputErrors();
        var day = input.Required("date", date).Date("date", date);
        if (day >= Latest) input.Add("date", "must be before 2100-01-01.");
        var practitioner = input.OptionalText("practitionerId", practitionerId, InputErrors.MaxNameLength);
        if (input.HasErrors || day is not { } on) return Results.Problem(input.ToProblem());

        // The day is cut in the clinic's zone: 23 or 25 hours around a DST change.
        var (start, end) = ClinicWords.Span(on, protocol.Zone());
        var parameters = new List<object> { session.TenantId, start.ToUniversalTime(), end.ToUniversalTime() };
        if (practitioner is not null) parameters.Add(practitioner);
        parameters.AddRange([session.TenantId, on, session.TenantId, on]);

        // One statement, each list from its own index with the names joined in: no query per row, one round trip.
        var lists = (await session.QueryAsync<Lists>(DaySql(session.DocumentStore.Options, practitioner is not null), cancellation,
            [.. parameters])).Single();
        return Results.Ok(new ClinicDay(on, protocol.TimeZone, lists.Consultations, lists.SessionsDue, lists.MaintenanceDue));
    }

    private sealed record Lists(IReadOnlyList<ScheduledConsultation> Consultations, IReadOnlyList<SessionDue> SessionsDue,
        IReadOnlyList<ScheduledMaintenance> MaintenanceDue);

    private static string DaySql(IReadOnlyStoreOptions options, bool byPractitioner)
    {
        string Table(Type type) => options.FindOrResolveDocumentType(type).TableName.QualifiedName;
        var names = Table(typeof(ClientProfile));
        return $"""
            select jsonb_build_object(
              'consultations', coalesce((
                select jsonb_agg(jsonb_build_object('consultationId', c.id, 'clientId', c.data->'clientId', 'clientName', p.data->'fullName',
                                 'scheduledAt', c.data->'scheduledAt', 'practitionerId', c.data->'practitionerId',
                                 'concerns', c.data->'concerns', 'status', c.data->'status') order by c.scheduled_at_utc, c.id)
                from {Table(typeof(BookedConsultation))} c
                left join {names} p on p.tenant_id = c.tenant_id and p.id = (c.data->>'clientId')::uuid
                where c.tenant_id = ? and c.scheduled_at_utc >= ? and c.scheduled_at_utc < ?
                {(byPractitioner ? "and c.data->>'practitionerId' = ?" : "")}), '[]'::jsonb),
              'sessionsDue', coalesce((
                select jsonb_agg(jsonb_build_object('courseId', d.id, 'clientId', d.data->'clientId', 'clientName', p.data->'fullName',
                                 'sessionNumber', jsonb_array_length(d.data->'sessions') + 1, 'dueOn', d.next_session_due_on) order by d.id)
                from {Table(typeof(CourseProgress))} d
                left join {names} p on p.tenant_id = d.tenant_id and p.id = (d.data->>'clientId')::uuid
                where d.tenant_id = ? and d.next_session_due_on = ?), '[]'::jsonb),
              'maintenanceDue', coalesce((
                select jsonb_agg(jsonb_build_object('courseId', m.id, 'clientId', m.data->'clientId', 'clientName', p.data->'fullName',
                                 'dueOn', m.due_on) order by m.id)
                from {Table(typeof(MaintenanceDue))} m
                left join {names} p on p.tenant_id = m.tenant_id and p.id = (m.data->>'clientId')::uuid
                where m.tenant_id = ? and m.due_on = ?), '[]'::jsonb))
            """;
    }
}
