using Courses.Domain;
using Courses.Domain.Protocol;
using Courses.Projections.Clients;
using Courses.Projections.Consultations;
using Courses.Projections.Courses;
using System.Globalization;
using Npgsql;

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
        var (from, to) = ClinicWords.Span(on, protocol.Zone());
        var options = session.DocumentStore.Options;
        var consultations = ClinicSql.Statement(ConsultationsSql(options, practitioner is not null),
            [session.TenantId, from.ToUniversalTime(), to.ToUniversalTime(), .. practitioner is null ? [] : new object[] { practitioner }]);
        var sessionsDue = ClinicSql.Statement(SessionsDueSql(options), session.TenantId, on);
        var maintenanceDue = ClinicSql.Statement(MaintenanceDueSql(options), session.TenantId, on);

        // Three prepared statements in one round trip, each list from its own index with the names joined in: no query per row.
        await using var connection = await ClinicSql.OpenAsync(session, cancellation);
        await using var reader = await ClinicSql.ReadAsync(connection, cancellation, consultations, sessionsDue, maintenanceDue);
        var booked = new List<ScheduledConsultation>();
        while (await reader.ReadAsync(cancellation))
            booked.Add(new ScheduledConsultation(reader.GetGuid(0), reader.GetGuid(1), Name(reader, 2),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture), reader.GetString(4),
                [.. reader.GetFieldValue<string[]>(5).Select(c => Enum.Parse<Concern>(c, ignoreCase: true))],
                Enum.Parse<ConsultationStatus>(reader.GetString(6), ignoreCase: true)));
        await reader.NextResultAsync(cancellation);
        var due = new List<SessionDue>();
        while (await reader.ReadAsync(cancellation))
            due.Add(new SessionDue(reader.GetGuid(0), reader.GetGuid(1), Name(reader, 2), reader.GetInt32(3), on));
        await reader.NextResultAsync(cancellation);
        var maintenance = new List<ScheduledMaintenance>();
        while (await reader.ReadAsync(cancellation))
            maintenance.Add(new ScheduledMaintenance(reader.GetGuid(0), reader.GetGuid(1), Name(reader, 2), on));
        return Results.Ok(new ClinicDay(on, protocol.TimeZone, booked, due, maintenance));
    }

    private static string? Name(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static string Table(IReadOnlyStoreOptions options, Type type) => options.FindOrResolveDocumentType(type).TableName.QualifiedName;

    // Rows, not JSON built in the database: the API reads seven columns a row faster than it parses JSON, and PostgreSQL
    // is spared building it. Each list joins the client's name from the one read model that holds it.
    private static string ConsultationsSql(IReadOnlyStoreOptions options, bool byPractitioner) => $"""
        select c.id, (c.data->>'clientId')::uuid, p.data->>'fullName', c.data->>'scheduledAt', c.data->>'practitionerId',
               array(select jsonb_array_elements_text(c.data->'concerns')), c.data->>'status'
        from {Table(options, typeof(BookedConsultation))} c
        left join {Table(options, typeof(ClientProfile))} p on p.tenant_id = c.tenant_id and p.id = (c.data->>'clientId')::uuid
        where c.tenant_id = $1 and c.scheduled_at_utc >= $2 and c.scheduled_at_utc < $3
        {(byPractitioner ? "and c.data->>'practitionerId' = $4" : "")}
        order by c.scheduled_at_utc, c.id
        """;

    private static string SessionsDueSql(IReadOnlyStoreOptions options) => $"""
        select d.id, (d.data->>'clientId')::uuid, p.data->>'fullName', jsonb_array_length(d.data->'sessions') + 1
        from {Table(options, typeof(CourseProgress))} d
        left join {Table(options, typeof(ClientProfile))} p on p.tenant_id = d.tenant_id and p.id = (d.data->>'clientId')::uuid
        where d.tenant_id = $1 and d.next_session_due_on = $2
        order by d.id
        """;

    private static string MaintenanceDueSql(IReadOnlyStoreOptions options) => $"""
        select m.id, (m.data->>'clientId')::uuid, p.data->>'fullName'
        from {Table(options, typeof(MaintenanceDue))} m
        left join {Table(options, typeof(ClientProfile))} p on p.tenant_id = m.tenant_id and p.id = (m.data->>'clientId')::uuid
        where m.tenant_id = $1 and m.due_on = $2
        order by m.id
        """;
}
