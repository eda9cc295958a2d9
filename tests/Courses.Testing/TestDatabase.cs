using System.Text.Json;
using Npgsql;

namespace Courses.Testing;

/// <summary>The PostgreSQL database tests run against, and the stored events they look at behind the API's back.</summary>
public static class TestDatabase
{
    /// <summary>scripts/test exports COURSES_TEST_CONNECTION; the default matches its private cluster.</summary>
    public static string ConnectionString() =>
        Environment.GetEnvironmentVariable("COURSES_TEST_CONNECTION")
        ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=courses_tests";

    /// <summary>The same server, another database.</summary>
    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(ConnectionString()) { Database = database }.ConnectionString;

    /// <summary>Creates the connection string's database if missing; <paramref name="fresh"/> drops it first.</summary>
    public static async Task EnsureExistsAsync(string connectionString, bool fresh = false)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        // Dropping and creating a database each wait for a checkpoint, which on a machine busy writing elsewhere (the
        // reliability checks' own clusters, base backups) can take longer than the default 30 s command timeout.
        var admin = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false, CommandTimeout = 300 };
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

    /// <summary>
    /// Business events in the store, any clinic, or one stream's: proves a refused request appended nothing. Marten
    /// fills the sequence numbers of rolled-back transactions with tombstones; those are not events of a record.
    /// </summary>
    public static async Task<long> EventCountAsync(string connectionString, string eventSchema, Guid? stream = null)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand(
            $"select count(*) from {eventSchema}.mt_events where type <> 'tombstone' and (@stream::uuid is null or stream_id = @stream)", connection);
        count.Parameters.AddWithValue("stream", NpgsqlTypes.NpgsqlDbType.Uuid, (object?)stream ?? DBNull.Value);
        return (long)(await count.ExecuteScalarAsync())!;
    }

    /// <summary>A stream's events in order: version, type and data, as stored.</summary>
    public static async Task<List<(long Version, string Type, JsonElement Data)>> StreamAsync(string connectionString, string eventSchema, Guid stream)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            $"select version, type, data::text from {eventSchema}.mt_events where stream_id = @stream and type <> 'tombstone' order by version", connection);
        query.Parameters.AddWithValue("stream", stream);
        var events = new List<(long, string, JsonElement)>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            events.Add((reader.GetInt64(0), reader.GetString(1), JsonDocument.Parse(reader.GetString(2)).RootElement.Clone()));
        return events;
    }
}
