using Alba;
using Courses.Api.Hosting;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

[assembly: AssemblyFixture(typeof(Courses.Reliability.Tests.Harness.InProcessFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Courses.Reliability.Tests.Harness;

/// <summary>
/// The service in this process (Alba), on schemas of its own in the test database: the security and bad-input checks.
/// The write rate limit is off here; its own check starts a host with a small one.
/// </summary>
public sealed class InProcessFixture : IAsyncLifetime
{
    public const string EventSchema = "courses_rel_events";

    public IAlbaHost Host { get; private set; } = null!;
    public ApiClient Api { get; private set; } = null!;
    public string ConnectionString { get; } = TestDatabase.ConnectionString();

    public async ValueTask InitializeAsync()
    {
        await TestDatabase.EnsureExistsAsync(ConnectionString);
        Host = await StartAsync(writesPerMinute: 0);
        Api = new ApiClient(Host.Server.CreateClient());
    }

    public Task<IAlbaHost> StartAsync(int writesPerMinute) => AlbaHost.For<Program>(web =>
    {
        web.UseEnvironment("Development");
        web.UseSetting($"ConnectionStrings:{Persistence.ConnectionStringName}", ConnectionString);
        web.UseSetting("Auth:SigningKey", Tokens.SigningKey);
        web.UseSetting("Limits:WritesPerMinutePerUser", writesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        web.UseSetting("Marten:DocumentSchema", "courses_rel");
        web.UseSetting("Marten:EventSchema", EventSchema);
        web.UseSetting("Marten:MessageSchema", "courses_rel_messages");
    });

    /// <summary>Business events in the store (Marten's tombstones for rolled-back sequence numbers are not events).</summary>
    public Task<long> EventCountAsync() => TestDatabase.EventCountAsync(ConnectionString, EventSchema);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}

public static class TestDatabase
{
    /// <summary>scripts/test exports COURSES_TEST_CONNECTION; the default matches its private cluster.</summary>
    public static string ConnectionString() =>
        Environment.GetEnvironmentVariable("COURSES_TEST_CONNECTION")
        ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=courses_tests";

    public static async Task EnsureExistsAsync(string connectionString, bool fresh = false)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        if (fresh)
        {
            await using var drop = new NpgsqlCommand($"drop database if exists \"{target.Database}\" with (force)", connection);
            await drop.ExecuteNonQueryAsync();
        }
        await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", connection);
        exists.Parameters.AddWithValue("name", target.Database!);
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"create database \"{target.Database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
    }

    public static async Task<long> EventCountAsync(string connectionString, string eventSchema, Guid? stream = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            $"select count(*) from {eventSchema}.mt_events where type <> 'tombstone' and (@stream::uuid is null or stream_id = @stream)", connection);
        count.Parameters.AddWithValue("stream", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)stream ?? DBNull.Value);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>A stream's events in order: type and data, as stored.</summary>
    public static async Task<List<(long Version, string Type, System.Text.Json.JsonElement Data)>> StreamAsync(
        string connectionString, string eventSchema, Guid stream)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            $"select version, type, data::text from {eventSchema}.mt_events where stream_id = @stream and type <> 'tombstone' order by version", connection);
        query.Parameters.AddWithValue("stream", stream);
        var events = new List<(long, string, System.Text.Json.JsonElement)>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add((reader.GetInt64(0), reader.GetString(1), System.Text.Json.JsonDocument.Parse(reader.GetString(2)).RootElement.Clone()));
        return events;
    }
}
