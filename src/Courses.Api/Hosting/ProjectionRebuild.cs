using Courses.Projections;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace Courses.Api.Hosting;

/// <summary>
/// A full <c>projections rebuild</c> (no <c>-p</c>) runs every read model as one composite projection: each page of events
/// is read and deserialised once, folded into every read model, and committed in one transaction, instead of once per
/// projection (README: Projection rebuilds). A rebuild of one projection or one clinic (<c>-p</c>, <c>-t</c>), and the
/// service itself, register them as usual.
/// </summary>
public static class ProjectionRebuild
{
    public const string OnePassKey = "Projections:OnePassRebuild";

    private static readonly string[] NarrowingFlags = ["-p", "--projection", "-t", "--tenant"];

    public static void Configure(WebApplicationBuilder builder, string[] args)
    {
        var full = args.Length >= 2 && args[0] == "projections" && args.Contains("rebuild")
                   && !args.Any(a => NarrowingFlags.Any(flag => a.StartsWith(flag, StringComparison.Ordinal)));
        if (full) builder.Configuration[OnePassKey] = "true";
    }

    public static bool OnePass(IConfiguration configuration) => configuration.GetValue<bool>(OnePassKey);

    /// <summary>
    /// JasperFx stops a shard's rebuild after <c>--shard-timeout</c> (default 5 minutes) and still reports it finished; the
    /// one pass is a single shard doing every read model's work, so it gets hours unless the operator says otherwise.
    /// </summary>
    public static string[] WithShardTimeout(string[] args) =>
        args.Any(a => a.StartsWith("--shard-timeout", StringComparison.Ordinal)) ? args : [.. args, "--shard-timeout", "04:00:00"];

    /// <summary>
    /// Before a one-pass rebuild: how to check and tidy its progress once it has run (the host is gone by then). The
    /// composite must have reached the last event in every database, or the command fails. Then the progress rows of the
    /// composite and of the inline read models, which the running service never advances, are deleted, and the async read
    /// models' rows are set to where the composite stopped: the daemon goes on from there.
    /// </summary>
    public static async Task<Func<Task<int>>> FinishAfterAsync(IServiceProvider services)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        var schema = store.Options.Events.DatabaseSchemaName;
        var runtime = new StoreOptions();
        runtime.AddReadModels();
        string[] Shards(ProjectionLifecycle lifecycle) =>
            runtime.Projections.All.Where(p => p.Lifecycle == lifecycle).Select(p => $"{p.Name}:All").ToArray();
        var (inline, async) = (Shards(ProjectionLifecycle.Inline), Shards(ProjectionLifecycle.Async));
        var composite = $"{ReadModels.OnePass}:All";
        var connections = new List<string>();
        foreach (var database in await store.Storage.AllDatabases())
        {
            await using var connection = database.CreateConnection();
            connections.Add(connection.ConnectionString);
        }
        return async () =>
        {
            foreach (var connectionString in connections)
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                await using var reached = new NpgsqlCommand($"""
                    select coalesce((select last_seq_id from {schema}.mt_event_progression where name = @composite), 0),
                           coalesce((select max(seq_id) from {schema}.mt_events), 0)
                    """, connection);
                reached.Parameters.AddWithValue("composite", composite);
                long done, last;
                await using (var reader = await reached.ExecuteReaderAsync())
                {
                    await reader.ReadAsync();
                    (done, last) = (reader.GetInt64(0), reader.GetInt64(1));
                }
                if (done < last)
                {
                    await Console.Error.WriteLineAsync(
                        $"The one-pass rebuild stopped at event {done} of {last} in {connection.Database}: the read models are incomplete. Run it again (a longer --shard-timeout?).");
                    return 1;
                }
                await using var tidy = new NpgsqlCommand($"""
                    update {schema}.mt_event_progression set last_seq_id = @done where name = any(@async);
                    delete from {schema}.mt_event_progression where name = any(@gone);
                    """, connection);
                tidy.Parameters.AddWithValue("done", done);
                tidy.Parameters.AddWithValue("async", async);
                tidy.Parameters.AddWithValue("gone", inline.Append(composite).ToArray());
                await tidy.ExecuteNonQueryAsync();
            }
            return 0;
        };
    }
}
