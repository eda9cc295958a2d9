using Npgsql;

namespace Courses.Reliability.Tests.Harness;

/// <summary>A database of its own (fresh each run, schema applied by db-apply) for the checks that run API processes.</summary>
public sealed class ProcessFixture() : ProcessDatabase(TestDatabase.ConnectionString("courses_rel_processes")), IAsyncLifetime
{
    public async ValueTask InitializeAsync() => await CreateAsync();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>
/// One database the API processes of a check share (on the test cluster, or on a cluster of the check's own), and what
/// the checks read behind the API's back: stored events, the async projections' progress, the read models.
/// </summary>
public class ProcessDatabase(string connectionString)
{
    public const string EventSchema = "courses_events";
    public const string DocumentSchema = "courses";

    public string ConnectionString { get; } = connectionString;

    /// <summary>Drops and creates the database, and applies the schema with db-apply.</summary>
    public async Task CreateAsync()
    {
        await TestDatabase.EnsureExistsAsync(ConnectionString, fresh: true);
        await ApiProcess.ApplySchemaAsync(ConnectionString);
    }

    public Task<ApiProcess> StartAsync(string name, NodeNetwork? network = null) => ApiProcess.StartAsync(ConnectionString, name, network);

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>How many stored events of a type carry this value in a data member: an acknowledged command's events, counted.</summary>
    public Task<long> CountEventsAsync(string type, string member, string value) =>
        ScalarAsync($"select count(*) from {EventSchema}.mt_events where type = @type and data->>'{member}' = @value", ("type", type), ("value", value));

    /// <summary>Waits until every async projection has processed every event stored so far.</summary>
    public async Task<TimeSpan> WaitForProjectionsAsync(TimeSpan patience)
    {
        var started = DateTime.UtcNow;
        var target = await ScalarAsync($"select coalesce(max(seq_id), 0) from {EventSchema}.mt_events");
        await Eventually.True(async () =>
        {
            var behind = await ScalarAsync(
                $"select count(*) from {EventSchema}.mt_event_progression where name not like 'HighWater%' and last_seq_id < @target", ("target", target));
            var any = await ScalarAsync($"select count(*) from {EventSchema}.mt_event_progression where name not like 'HighWater%'");
            return any > 0 && behind == 0;
        }, patience, $"async projections reaching event {target}");
        return DateTime.UtcNow - started;
    }

    /// <summary>Every read model row (clinic, id, data), in a stable order.</summary>
    public async Task<List<string>> ReadModelsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(
                         "select table_name from information_schema.tables where table_schema = @schema and table_name like 'mt_doc_%' order by 1", connection))
        {
            list.Parameters.AddWithValue("schema", DocumentSchema);
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var rows = new List<string>();
        foreach (var table in tables)
        {
            // Every column but Marten's own bookkeeping, which a rebuild rewrites (version ids, timestamps).
            await using var query = new NpgsqlCommand(
                $"select (to_jsonb(t) - 'mt_version' - 'mt_last_modified' - 'mt_created_at' - 'mt_dotnet_type')::text from {DocumentSchema}.{table} t order by 1", connection);
            await using var reader = await query.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add($"{table} {reader.GetString(0)}");
        }
        return rows;
    }

    /// <summary>
    /// With no API running: the read models as the live projections left them, against a full rebuild from the events.
    /// Returns the rows compared.
    /// </summary>
    public async Task<int> AssertReadModelsEqualRebuildAsync()
    {
        var live = await ReadModelsAsync();
        var (code, output) = await ApiProcess.CommandAsync(ConnectionString, "projections", "rebuild");
        Assert.True(code == 0, "projections rebuild failed:\n" + output);
        var rebuilt = await ReadModelsAsync();
        var missing = rebuilt.Except(live).Take(5).ToList();
        var extra = live.Except(rebuilt).Take(5).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0 && live.Count == rebuilt.Count,
            $"live read models differ from a rebuild ({live.Count} vs {rebuilt.Count} rows)\nonly after rebuild:\n{string.Join("\n", missing)}\nonly live:\n{string.Join("\n", extra)}");
        return live.Count;
    }
}
