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

    private async Task<JsonElement[]> Log(string query = "", string clinic = Tokens.Clinic) =>
        (await Read(Roles.Auditor, $"/api/audit/access{query}", clinic: clinic)).GetProperty("items").EnumerateArray().ToArray();

    private static string[] Routes(IEnumerable<JsonElement> items) => items.Select(i => i.GetProperty("route").GetString()!).ToArray();

    [Fact]
    public async Task An_auditor_sees_who_read_which_client_when_and_from_which_request()
    {
        var (client, course) = await ClientWithPlannedCourse();
        Clock.Set(ReadAt);

        await Read(Roles.Practitioner, $"/api/clients/{client}");
        await Read(Roles.Practitioner, $"/api/clients/{client}/courses/{course}");

        var page = await Read(Roles.Auditor, $"/api/audit/access?clientId={client}");
        var items = page.GetProperty("items").EnumerateArray().ToArray();
        // The writes that built the record are not reads: only the two GETs are in the log.
        Assert.Equal(2, items.Length);
        Assert.Equal(["/api/clients/{clientId}", "/api/clients/{clientId}/courses/{courseId}"], Routes(items).Order());
        foreach (var item in items)
        {
            Assert.Equal("user-practitioner", item.GetProperty("userId").GetString());
            Assert.Equal(ReadAt, item.GetProperty("at").GetDateTimeOffset());
            Assert.Equal("GET", item.GetProperty("method").GetString());
            Assert.Equal([client], item.GetProperty("clientIds").EnumerateArray().Select(c => c.GetGuid()));
            Assert.Equal(200, item.GetProperty("status").GetInt32());
            Assert.Matches("^[0-9a-f]{32}$", item.GetProperty("traceId").GetString());
            Assert.False(string.IsNullOrEmpty(item.GetProperty("requestId").GetString()));
        }
        Assert.NotEqual(items[0].GetProperty("traceId").GetString(), items[1].GetProperty("traceId").GetString());
        Assert.Equal(client, page.GetProperty("clientId").GetGuid());
        Assert.False(page.GetProperty("hasMore").GetBoolean());

        // The other clinic's auditor sees none of it, whatever the filter.
        Assert.Empty(await Log($"?clientId={client}", Tokens.OtherClinic));
        Assert.DoesNotContain(Routes(await Log(clinic: Tokens.OtherClinic)), r => r.StartsWith("/api/clients"));
    }

    [Fact]
    public async Task Reading_the_access_log_is_itself_in_the_log()
    {
        var client = await RegisteredClient();
        Clock.Set(ReadAt);

        Assert.Empty(await Log($"?clientId={client}"));
        var second = await Log($"?clientId={client}");

        var read = Assert.Single(second);
        Assert.Equal(AccessLog.AccessLogRoute, read.GetProperty("route").GetString());
        Assert.Equal("user-auditor", read.GetProperty("userId").GetString());
        Assert.Equal([client], read.GetProperty("clientIds").EnumerateArray().Select(c => c.GetGuid()));
        Assert.Equal(ReadAt, read.GetProperty("at").GetDateTimeOffset());
    }

    [Fact]
    public async Task Refused_reads_are_recorded_in_the_readers_clinic()
    {
        var client = await RegisteredClient();
        var unknown = Guid.NewGuid();

        await Read(Roles.Practitioner, $"/api/clients/{unknown}", 404);
        // Probing another clinic's client answers 404 there, and is logged where the prober works.
        await Read(Roles.Practitioner, $"/api/clients/{client}/depth-history", 404, Tokens.OtherClinic);
        // A role that may not read clinical history: 403, and logged.
        await Read(Roles.Analyst, $"/api/clients/{client}", 403);

        var notFound = Assert.Single(await Log($"?clientId={unknown}"));
        Assert.Equal(404, notFound.GetProperty("status").GetInt32());
        Assert.Equal("/api/clients/{clientId}", notFound.GetProperty("route").GetString());

        var forbidden = Assert.Single(await Log($"?clientId={client}"), i => i.GetProperty("route").GetString() != AccessLog.AccessLogRoute);
        Assert.Equal(403, forbidden.GetProperty("status").GetInt32());
        Assert.Equal("user-analyst", forbidden.GetProperty("userId").GetString());

        var probe = Assert.Single(await Log($"?clientId={client}", Tokens.OtherClinic), i => i.GetProperty("route").GetString() != AccessLog.AccessLogRoute);
        Assert.Equal(404, probe.GetProperty("status").GetInt32());
        Assert.Equal("/api/clients/{clientId}/depth-history", probe.GetProperty("route").GetString());
    }

    [Theory]
    [InlineData(Roles.Reception)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Practitioner)]
    [InlineData(Roles.Admin)]
    public async Task Only_auditors_read_the_access_log(string role)
    {
        await Read(role, "/api/audit/access", 403);

        var refused = Assert.Single(await Log(), i => i.GetProperty("userId").GetString() == $"user-{role}");
        Assert.Equal(403, refused.GetProperty("status").GetInt32());
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

        var sixth = await Log($"?clientId={client}&from=2026-01-06&to=2026-01-06");
        Assert.Equal([new DateTimeOffset(2026, 1, 6, 10, 0, 0, TimeSpan.Zero)], sixth.Select(i => i.GetProperty("at").GetDateTimeOffset()));
        var since = await Log($"?clientId={client}&from=2026-01-06T10:00:00Z&to=2026-01-07T10:00:00Z");
        Assert.Single(since);

        var first = await Read(Roles.Auditor, $"/api/audit/access?clientId={client}&from=2026-01-05&to=2026-01-07&pageSize=2");
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        Assert.Equal([7, 6], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("at").GetDateTimeOffset().Day));
        var second = await Read(Roles.Auditor, $"/api/audit/access?clientId={client}&from=2026-01-05&to=2026-01-07&pageSize=2&page=2");
        Assert.False(second.GetProperty("hasMore").GetBoolean());
        Assert.Equal([5], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("at").GetDateTimeOffset().Day));
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

        var recall = Assert.Single(await Log(), i => i.GetProperty("route").GetString() == AccessLog.SerumLotClientsRoute);
        Assert.Equal(new[] { ann, bea }.Order(), recall.GetProperty("clientIds").EnumerateArray().Select(c => c.GetGuid()).Order());
        Assert.Single(await Log($"?clientId={bea}"), i => i.GetProperty("route").GetString() == AccessLog.SerumLotClientsRoute);
    }

    [Fact]
    public async Task A_maintenance_list_is_logged_with_every_client_it_showed()
    {
        var (ann, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
        await RecordedSession(ann, course, 0.5m);
        var due = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime).AddMonths(6).ToString("yyyy-MM-dd");

        await Read(Roles.Reception, $"/api/maintenance/due?from={due}&to={due}");

        var list = Assert.Single(await Log(), i => i.GetProperty("route").GetString() == AccessLog.MaintenanceDueRoute);
        Assert.Equal([ann], list.GetProperty("clientIds").EnumerateArray().Select(c => c.GetGuid()));
        Assert.Equal("user-reception", list.GetProperty("userId").GetString());
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
            "/api/clients/{clientId}/depth-history", "/api/clients/{clientId}/consultations/{consultationId}",
            "/api/clients/{clientId}/reactions/{reactionId}", AccessLog.SerumLotClientsRoute, AccessLog.MaintenanceDueRoute,
            AccessLog.AccessLogRoute,
        });
        Assert.All(logged, r => Assert.True(r.Contains("{clientId}") ||
            r is AccessLog.SerumLotClientsRoute or AccessLog.MaintenanceDueRoute or AccessLog.AccessLogRoute));
        Assert.DoesNotContain(logged, r => r.StartsWith("/health") || r.StartsWith("/openapi") || r is "/api/protocol" or "/api/analytics/monthly");
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

        var kept = Assert.Single(await Log($"?clientId={client}"));
        Assert.Equal("user-practitioner", kept.GetProperty("userId").GetString());
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
