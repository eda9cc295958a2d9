using System.Globalization;
using Npgsql;

namespace Courses.Reliability.Tests.Harness;

/// <summary>
/// A database-per-clinic deployment on loopback: a main database (clinic directory, Wolverine's node records) and
/// <see cref="Clinics"/> clinic databases, all fresh each run, migrated by db-apply; API nodes are started by the check.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    public const int Clinics = 6;
    public const string MessageSchema = "courses_messages";
    public const string EventSchema = "courses_events";

    public string Main { get; } = TestDatabase.ConnectionString("courses_rel_cluster_main");

    /// <summary>Clinic id → its database, for the clinics configured from the start.</summary>
    public IReadOnlyDictionary<string, string> ClinicDatabases { get; } = Enumerable.Range(1, Clinics)
        .ToDictionary(ClinicId, n => TestDatabase.ConnectionString($"courses_rel_cluster_{n}"));

    public Dictionary<string, string> Tenancy => ClinicDatabases
        .ToDictionary(c => $"Tenancy__Clinics__{c.Key}", c => c.Value)
        .Append(new KeyValuePair<string, string>("Tenancy__Mode", "DatabasePerClinic"))
        .ToDictionary();

    public static string ClinicId(int n) => $"cluster-clinic-{n}";

    public async ValueTask InitializeAsync()
    {
        foreach (var database in ClinicDatabases.Values.Append(Main)) await TestDatabase.EnsureExistsAsync(database, fresh: true);
        // The added clinic's database must not exist yet: clinic-add creates it.
        var added = new NpgsqlConnectionStringBuilder(Added).Database;
        await ScalarAsync(TestDatabase.ConnectionString("postgres"), $"drop database if exists \"{added}\" with (force)");
        var (code, output) = await ApiProcess.CommandAsync(Main, Tenancy, "db-apply");
        if (code != 0) throw new InvalidOperationException("db-apply failed:\n" + output);
    }

    /// <summary>The database of the clinic added at run time (created by clinic-add itself).</summary>
    public string Added { get; } = TestDatabase.ConnectionString($"courses_rel_cluster_{Clinics + 1}");

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public Task<ApiProcess> StartAsync(string name) => ApiProcess.StartAsync(Main, name, extra: Tenancy);

    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, CultureInfo.InvariantCulture);
    }

    /// <summary>The live nodes, oldest first (the order the check started them), with the agents each runs.</summary>
    public async Task<List<(Guid Node, int Agents)>> AssignmentsAsync()
    {
        await using var connection = new NpgsqlConnection(Main);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand($"""
            select n.id, count(a.id) from {MessageSchema}.wolverine_nodes n
            left join {MessageSchema}.wolverine_node_assignments a on a.node_id = n.id and a.id like 'event-subscriptions://%'
            group by n.id, n.node_number order by n.node_number
            """, connection);
        await using var reader = await query.ExecuteReaderAsync();
        var nodes = new List<(Guid, int)>();
        while (await reader.ReadAsync()) nodes.Add((reader.GetGuid(0), (int)reader.GetInt64(1)));
        return nodes;
    }

    /// <summary>Projection agents assigned to a node, across every clinic database.</summary>
    public Task<long> AssignedAgentsAsync() =>
        ScalarAsync(Main, $"select count(*) from {MessageSchema}.wolverine_node_assignments where id like 'event-subscriptions://%'");

    /// <summary>Whether every async projection of a clinic database has applied every event stored there.</summary>
    public static async Task<bool> CaughtUpAsync(string clinicDatabase, int projections) =>
        await AppliedAsync(clinicDatabase, projections,
            await ScalarAsync(clinicDatabase, $"select coalesce(max(seq_id), 0) from {EventSchema}.mt_events"));

    /// <summary>Whether every async projection of a clinic database has applied the events up to <paramref name="sequence"/>.</summary>
    public static async Task<bool> AppliedAsync(string clinicDatabase, int projections, long sequence) =>
        await ScalarAsync(clinicDatabase,
            $"select count(*) from {EventSchema}.mt_event_progression where name not like 'HighWater%' and last_seq_id >= {sequence}") >= projections;
}
