using System.Text.Json;
using Alba;
using Courses.Api.Audit;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Marten.Events;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;

namespace Courses.Api.Tests.Audit;

public sealed class AccessLogTests(AppFixture fixture) : StoryContext(fixture)
{
    private static readonly DateTimeOffset ReadAt = new(2026, 1, 7, 14, 30, 0, TimeSpan.Zero);

    private async Task<JsonElement> Read(string role, string url, int status = 200, string clinic = Tokens.Clinic)
    {
        var result = await As(role, s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        }, clinic);
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    private Task<AccessLogPage> LogPage(string query = "", string clinic = Tokens.Clinic) =>
        Read<AccessLogPage>($"/api/audit/access{query}", Roles.Auditor, clinic);

    private async Task<IReadOnlyList<AccessEntry>> Log(string query = "", string clinic = Tokens.Clinic) => (await LogPage(query, clinic)).Items;

    /// <summary>A log entry less what the request made up (its id, trace and request ids): who read what, when, and the answer's status.</summary>
    private sealed record Access(DateTimeOffset At, string UserId, string Route, IReadOnlyList<Guid> ClientIds, int Status, string Method = "GET");

    private static Access Seen(AccessEntry entry) => new(entry.At, entry.UserId, entry.Route, entry.ClientIds, entry.Status, entry.Method);

    private static void Logged(IEnumerable<Access> expected, IEnumerable<AccessEntry> actual) =>
        ReadModel.Equal(expected.ToArray(), actual.Select(Seen).ToArray());

    private static AccessLogPage FirstPage(Guid? client, DateTimeOffset? from = null, DateTimeOffset? to = null) =>
        new(client, from, to, Page: 1, PageSize: GetAccessLogEndpoint.DefaultPageSize, HasMore: false, Items: []);

    private static bool NotTheLogItself(AccessEntry entry) => entry.Route != AccessLog.AccessLogRoute;

    [Fact]
    public async Task An_auditor_sees_who_read_which_client_when_and_from_which_request()
    {
        var (client, course) = await ClientWithPlannedCourse();
        Clock.Set(ReadAt);

        await Read(Roles.Practitioner, $"/api/clients/{client}");
        await Read(Roles.Practitioner, $"/api/clients/{client}/courses/{course}");

        var page = await LogPage($"?clientId={client}");
        ReadModel.Equal(FirstPage(client), page with { Items = [] });
        // The writes that built the record are not reads: only the two GETs are in the log (both at the same instant).
        Logged(
        [
            new Access(ReadAt, "user-practitioner", "/api/clients/{clientId}", [client], 200),
            new Access(ReadAt, "user-practitioner", "/api/clients/{clientId}/courses/{courseId}", [client], 200),
        ], page.Items.OrderBy(i => i.Route, StringComparer.Ordinal));
        Assert.All(page.Items, i => Assert.Matches("^[0-9a-f]{32}$", i.TraceId));
        Assert.All(page.Items, i => Assert.False(string.IsNullOrEmpty(i.RequestId)));
        Assert.NotEqual(page.Items[0].TraceId, page.Items[1].TraceId);

        // The other clinic's auditor sees none of it, whatever the filter.
        Assert.Empty(await Log($"?clientId={client}", Tokens.OtherClinic));
        Assert.DoesNotContain(await Log(clinic: Tokens.OtherClinic), i => i.Route.StartsWith("/api/clients"));
    }

    [Fact]
    public async Task Reading_the_access_log_is_itself_in_the_log()
    {
        var client = await RegisteredClient();
        Clock.Set(ReadAt);

        Assert.Empty(await Log($"?clientId={client}"));
        var second = await Log($"?clientId={client}");

        Logged([new Access(ReadAt, "user-auditor", AccessLog.AccessLogRoute, [client], 200)], second);
    }

    [Fact]
    public async Task Refused_reads_are_recorded_in_the_readers_clinic()
    {
        var client = await RegisteredClient();
        var unknown = Guid.NewGuid();
        var now = Clock.GetUtcNow();

        await Read(Roles.Practitioner, $"/api/clients/{unknown}", 404);
        // Probing another clinic's client answers 404 there, and is logged where the prober works.
        await Read(Roles.Practitioner, $"/api/clients/{client}/depth-history", 404, Tokens.OtherClinic);
        // A role that may not read clinical history: 403, and logged.
        await Read(Roles.Analyst, $"/api/clients/{client}", 403);

        Logged([new Access(now, "user-practitioner", "/api/clients/{clientId}", [unknown], 404)], await Log($"?clientId={unknown}"));
        Logged([new Access(now, "user-analyst", "/api/clients/{clientId}", [client], 403)], (await Log($"?clientId={client}")).Where(NotTheLogItself));
        Logged([new Access(now, "user-practitioner", "/api/clients/{clientId}/depth-history", [client], 404)],
            (await Log($"?clientId={client}", Tokens.OtherClinic)).Where(NotTheLogItself));
    }

    [Theory]
    [InlineData(Roles.Reception)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Practitioner)]
    [InlineData(Roles.Admin)]
    public async Task Only_auditors_read_the_access_log(string role)
    {
        await Read(role, "/api/audit/access", 403);

        // Asking for no client, the refused read names none.
        Logged([new Access(Clock.GetUtcNow(), $"user-{role}", AccessLog.AccessLogRoute, [], 403)], (await Log()).Where(i => i.UserId == $"user-{role}"));
    }

    [Fact]
    public async Task Bad_filters_are_400_with_errors_per_field()
    {
        var problem = await Read(Roles.Auditor, "/api/audit/access?from=last-tuesday&to=2026-13-01&clientId=ann&page=0", 400);
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "from", "to", "clientId", "page" })
            Assert.True(errors.TryGetProperty(field, out _), $"expected an error for {field}: {errors}");

        var reversed = await Read(Roles.Auditor, "/api/audit/access?from=2026-02-01&to=2026-01-01", 400);
        Assert.True(reversed.GetProperty("errors").TryGetProperty("to", out _));
    }

    [Fact]
    public async Task The_window_and_pages_narrow_the_log()
    {
        var client = await RegisteredClient();
        foreach (var day in new[] { 5, 6, 7 })
        {
            Clock.Set(new DateTimeOffset(2026, 1, day, 10, 0, 0, TimeSpan.Zero));
            await Read(Roles.Practitioner, $"/api/clients/{client}");
        }
        // The auditor's own reads below are logged on the 8th, outside every window asked for.
        Clock.Set(new DateTimeOffset(2026, 1, 8, 10, 0, 0, TimeSpan.Zero));

        Access ReadOn(int day) => new(new DateTimeOffset(2026, 1, day, 10, 0, 0, TimeSpan.Zero), "user-practitioner", "/api/clients/{clientId}", [client], 200);
        DateTimeOffset Midnight(int day) => new(2026, 1, day, 0, 0, 0, TimeSpan.Zero);

        // A date is a whole UTC day: "to" a date runs to the next midnight.
        var sixth = await LogPage($"?clientId={client}&from=2026-01-06&to=2026-01-06");
        ReadModel.Equal(FirstPage(client, Midnight(6), Midnight(7)), sixth with { Items = [] });
        Logged([ReadOn(6)], sixth.Items);
        // A time: "from" inclusive, "to" exclusive.
        Logged([ReadOn(6)], await Log($"?clientId={client}&from=2026-01-06T10:00:00Z&to=2026-01-07T10:00:00Z"));

        // Newest first, two to a page.
        var first = await LogPage($"?clientId={client}&from=2026-01-05&to=2026-01-07&pageSize=2");
        ReadModel.Equal(FirstPage(client, Midnight(5), Midnight(8)) with { PageSize = 2, HasMore = true }, first with { Items = [] });
        Logged([ReadOn(7), ReadOn(6)], first.Items);
        var second = await LogPage($"?clientId={client}&from=2026-01-05&to=2026-01-07&pageSize=2&page=2");
        ReadModel.Equal(FirstPage(client, Midnight(5), Midnight(8)) with { Page = 2, PageSize = 2 }, second with { Items = [] });
        Logged([ReadOn(5)], second.Items);
    }

    [Fact]
    public async Task A_recall_is_logged_with_every_client_it_listed()
    {
        var (ann, annCourse) = await ClientWithPlannedCourse();
        await RecordedSession(ann, annCourse, 0.5m);
        var (bea, beaCourse) = await ClientWithPlannedCourse();
        await RecordedSession(bea, beaCourse, 0.5m);
        await Fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        await Read(Roles.Practitioner, "/api/serum-lots/L-100/clients");

        // Both clients, in whichever order the recall listed them.
        var recall = Assert.Single(await Log(), i => i.Route == AccessLog.SerumLotClientsRoute);
        ReadModel.Equal(new Access(Clock.GetUtcNow(), "user-practitioner", AccessLog.SerumLotClientsRoute, [.. new[] { ann, bea }.Order()], 200),
            Seen(recall) with { ClientIds = [.. recall.ClientIds.Order()] });
        Assert.Single(await Log($"?clientId={bea}"), i => i.Route == AccessLog.SerumLotClientsRoute);
    }

    [Fact]
    public async Task A_recall_by_any_lot_is_logged_with_every_client_it_listed()
    {
        var (ann, annCourse) = await ClientWithPlannedCourse();
        await Post(Roles.Practitioner, $"/api/clients/{ann}/courses/{annCourse}/sessions",
            ClinicRequests.TracedSession(Clock.GetUtcNow(), Practitioner, 0.5m, cartridgeLot: "C-9"), 201);
        var (bea, beaCourse) = await ClientWithPlannedCourse();
        await RecordedSession(bea, beaCourse, 0.5m);
        await Fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));

        await Read(Roles.Admin, "/api/lots/c-9/clients");

        Logged([new Access(Clock.GetUtcNow(), "user-admin", AccessLog.LotClientsRoute, [ann], 200)],
            (await Log()).Where(i => i.Route == AccessLog.LotClientsRoute));
    }

    [Fact]
    public async Task A_maintenance_list_is_logged_with_every_client_it_showed()
    {
        var (ann, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
        await RecordedSession(ann, course, 0.5m);
        var due = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime).AddMonths(6).ToString("yyyy-MM-dd");

        await Read(Roles.Reception, $"/api/maintenance/due?from={due}&to={due}");

        Logged([new Access(Clock.GetUtcNow(), "user-reception", AccessLog.MaintenanceDueRoute, [ann], 200)],
            (await Log()).Where(i => i.Route == AccessLog.MaintenanceDueRoute));
    }

    [Fact]
    public async Task Every_read_route_that_names_a_client_is_logged_and_nothing_else()
    {
        var routes = Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Endpoint: e, Methods: e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []))
            .ToArray();
        string[] logged = [.. routes.Where(r => r.Methods.Any(m => AccessLog.IsClientRead(m, r.Endpoint))).Select(r => r.Endpoint.RoutePattern.RawText!)];

        Assert.Subset(logged.ToHashSet(), new HashSet<string>
        {
            "/api/clients/{clientId}", "/api/clients/{clientId}/courses", "/api/clients/{clientId}/courses/{courseId}",
            "/api/clients/{clientId}/depth-history", "/api/clients/{clientId}/skin-evolution", "/api/clients/{clientId}/consultations/{consultationId}",
            "/api/clients/{clientId}/reactions/{reactionId}", AccessLog.SerumLotClientsRoute, AccessLog.LotClientsRoute, AccessLog.MaintenanceDueRoute,
            AccessLog.AccessLogRoute, AccessLog.FindClientsRoute, AccessLog.ScheduleRoute,
        });
        Assert.All(logged, r => Assert.True(r.Contains("{clientId}") ||
            r is AccessLog.SerumLotClientsRoute or AccessLog.LotClientsRoute or AccessLog.MaintenanceDueRoute or AccessLog.AccessLogRoute or AccessLog.FindClientsRoute
                or AccessLog.ScheduleRoute));
        Assert.DoesNotContain(logged, r => r.StartsWith("/health") || r.StartsWith("/openapi") || r is "/api/protocol" or "/api/analytics/monthly" or "/api/analytics/outcomes");
        Assert.False(AccessLog.IsClientRead("POST", routes.First(r => r.Endpoint.RoutePattern.RawText == "/api/clients/{clientId}/screenings").Endpoint));
    }

    [Fact]
    public async Task The_database_refuses_to_change_or_delete_an_entry()
    {
        var client = await RegisteredClient();
        await Read(Roles.Practitioner, $"/api/clients/{client}");

        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[]
                 {
                     "update courses_test.mt_doc_accessrecord set data = jsonb_set(data, '{userId}', '\"someone-else\"')",
                     "delete from courses_test.mt_doc_accessrecord",
                 })
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var refused = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", refused.MessageText);
        }

        Logged([new Access(Clock.GetUtcNow(), "user-practitioner", "/api/clients/{clientId}", [client], 200)], await Log($"?clientId={client}"));
    }

    [Fact]
    public async Task Once_applied_the_log_schema_has_nothing_left_to_change()
    {
        var database = Fixture.Store.Storage.Database;
        var storage = ((Marten.StoreOptions)Fixture.Store.Options).Storage;
        foreach (var feature in new IFeatureSchema[] { storage.FindFeature(typeof(AccessRecord)), storage.FindFeature(typeof(AccessLogAppendOnly)) })
        {
            var migration = await database.CreateMigrationAsync(feature, TestContext.Current.CancellationToken);
            Assert.True(migration.Difference == SchemaPatchDifference.None, string.Join(", ", migration.Deltas
                .Where(d => d.Difference != SchemaPatchDifference.None).Select(d => $"{d.SchemaObject.Identifier}: {d.Difference}")));
        }
    }
}
