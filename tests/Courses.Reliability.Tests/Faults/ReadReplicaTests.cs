using System.Globalization;
using Courses.Api.Http;
using Courses.Reliability.Tests.Harness;
using Npgsql;
using static Courses.Reliability.Tests.Harness.Clinic;

namespace Courses.Reliability.Tests.Faults;

/// <summary>
/// The README's read replica, on real parts: a primary, a streaming standby made from it by pg_basebackup, and the
/// service configured with both. Replay paused on the standby makes its answers visibly old, so each read shows where it went.
/// </summary>
public sealed class ReadReplicaTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Reads_go_to_the_standby_a_writer_reads_its_own_write_and_the_primary_answers_when_the_standby_is_down()
    {
        const string database = "courses_rel_replica";
        await using var primary = await PrivateCluster.StartAsync(settings: "wal_level = replica");
        var source = new ProcessDatabase(primary.ConnectionString(database));
        await source.CreateAsync();
        await using var standby = await PrivateCluster.CreateAsync();
        await primary.ToolAsync("pg_basebackup", "-h", "127.0.0.1", "-p", primary.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres",
            "-D", standby.DataDirectory, "-R", "-Xs", "--checkpoint=fast");
        await standby.StartServerAsync();
        var onStandby = standby.ConnectionString(database);
        Assert.Equal("true", await ScalarTextAsync(onStandby, "select pg_is_in_recovery()::text"));

        await using var api = await ApiProcess.StartAsync(source.ConnectionString, "replica", extra: new Dictionary<string, string>
        {
            ["ConnectionStrings__CoursesReplica"] = onStandby,
        });
        var reception = Tokens.For(Roles.Reception);
        var registered = await api.Api.Post(reception, "/api/clients", new { fullName = "Replica Client", dateOfBirth = "1990-04-01" });
        Assert.Equal(201, registered.Status);
        var client = registered.Json.GetProperty("clientId").GetGuid();
        var profile = $"/api/clients/{client}";
        await Eventually.True(async () => (await api.Api.Get(reception, profile)).Status == 200, Patience, "the standby replaying the registration");

        await ScalarTextAsync(onStandby, "select pg_wal_replay_pause()::text");
        await Eventually.True(async () => await ScalarTextAsync(onStandby, "select pg_get_wal_replay_pause_state()") == "paused",
            Patience, "replay paused on the standby");
        var changed = await api.Api.Post(reception, $"{profile}/contact-details", new { email = "new@example.org", phone = "+44 20 7946 0000" });
        Assert.Equal(200, changed.Status);
        var written = changed.Header("ETag")!;
        var secondClient = await api.Api.Post(reception, "/api/clients", new { fullName = "Registered While Paused", dateOfBirth = "1991-05-02" });
        Assert.Equal(201, secondClient.Status);
        var second = $"/api/clients/{secondClient.Json.GetProperty("clientId").GetGuid()}";

        // (1) Without the header a read is the standby's, old; with the ETag the write answered it is the primary's, current.
        var stale = await api.Api.Get(reception, profile);
        Assert.Equal(200, stale.Status);
        Assert.NotEqual(written, stale.Header("ETag"));
        Assert.NotEqual("new@example.org", Email(stale));
        var fresh = await ReadAfter(api, reception, profile, written);
        Assert.Equal(written, fresh.Header("ETag"));
        Assert.Equal("new@example.org", Email(fresh));
        Assert.Equal(404, (await api.Api.Get(reception, second)).Status);
        Assert.Equal(200, (await ReadAfter(api, reception, second, secondClient.Header("ETag")!)).Status);
        // An older version than the standby holds is served by the standby: still its old answer.
        Assert.Equal(stale.Header("ETag"), (await ReadAfter(api, reception, profile, stale.Header("ETag")!)).Header("ETag"));
        // A list not scoped to one client reads the primary when the header comes, whatever its version.
        Assert.DoesNotContain("Registered While Paused", (await api.Api.Get(reception, "/api/clients?q=Registered")).Body);
        Assert.Contains("Registered While Paused", (await ReadAfter(api, reception, "/api/clients?q=Registered", "\"1\"")).Body);

        // (2) Replay resumed: reads without the header catch up.
        await ScalarTextAsync(onStandby, "select pg_wal_replay_resume()::text");
        await Eventually.True(async () => (await api.Api.Get(reception, profile)).Header("ETag") == written, Patience,
            "the standby catching up after replay resumed");
        Assert.Equal(200, (await api.Api.Get(reception, second)).Status);

        // (3) The standby stopped: reads answer from the primary.
        await standby.StopServerAsync();
        for (var read = 0; read < 5; read++)
        {
            var answer = await api.Api.Get(reception, profile);
            Assert.True(answer.Status == 200, $"read {read} with the standby down: {answer.Status} {answer.Body}");
            Assert.Equal(written, answer.Header("ETag"));
        }
        Assert.Equal(200, (await ReadAfter(api, reception, profile, written)).Status);
    }

    [Fact]
    public async Task A_replica_with_a_database_per_clinic_is_refused_at_start()
    {
        var main = TestDatabase.ConnectionString("courses_rel_replica_refused");
        var (code, output) = await ApiProcess.CommandAsync(main, new Dictionary<string, string>
        {
            ["Tenancy__Mode"] = "DatabasePerClinic",
            ["ConnectionStrings__CoursesReplica"] = main,
        }, "db-apply");
        Assert.NotEqual(0, code);
        Assert.Contains("read replicas serve the single database only", output);
    }

    private static string? Email(Answer answer) =>
        answer.Json.TryGetProperty("email", out var email) && email.ValueKind == System.Text.Json.JsonValueKind.String ? email.GetString() : null;

    private static async Task<Answer> ReadAfter(ApiProcess api, string token, string path, string etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation(ReadReplica.Header, etag);
        using var response = await api.Api.Http.SendAsync(request);
        return new Answer((int)response.StatusCode, response.Headers, response.Content.Headers, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> ScalarTextAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }
}
