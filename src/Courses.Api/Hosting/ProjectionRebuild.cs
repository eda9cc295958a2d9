using Courses.Projections;
using JasperFx.Events.Projections;
using Marten;
using Npgsql;

namespace Courses.Api.Hosting;

/// <summary>
/// A full <c>projections rebuild</c> (no <c>-p</c>) runs every read model as one composite projection: each page of events
/// is read and deserialised once, folded into every read model, and committed in one transaction, instead of once per
/// projection (README: Projection rebuilds). A rebuild of one projection, and the service itself, register them as usual.
/// </summary>
public static class ProjectionRebuild
{
    public const string OnePassKey = "Projections:OnePassRebuild";

    public static void Configure(WebApplicationBuilder builder, string[] args)
    {
        var full = args.Length >= 2 && args[0] == "projections" && args.Contains("rebuild")
                   && !args.Any(a => a.StartsWith("-p", StringComparison.Ordinal) || a.StartsWith("--projection", StringComparison.Ordinal));
        if (full) builder.Configuration[OnePassKey] = "true";
    }

    public static bool OnePass(IConfiguration configuration) => configuration.GetValue<bool>(OnePassKey);

    /// <summary>
    /// Before a one-pass rebuild: where to drop, once it has run (the host is gone by then), the progress rows of the
    /// composite and of the inline read models, which the running service never advances (they would read as a growing
    /// lag). The async read models' rows stay: the daemon goes on from them.
    /// </summary>
    public static async Task<Func<Task>> ForgetOnePassProgressAfterAsync(IServiceProvider services)
    {
        var store = services.GetRequiredService<IDocumentStore>();
        var schema = store.Options.Events.DatabaseSchemaName;
        var runtime = new StoreOptions();
        runtime.AddReadModels();
        var names = runtime.Projections.All.Where(p => p.Lifecycle == ProjectionLifecycle.Inline).Select(p => p.Name)
            .Append(ReadModels.OnePass).Select(name => $"{name}:All").ToArray();
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
                await using var delete = new NpgsqlCommand($"delete from {schema}.mt_event_progression where name = any(@names)", connection);
                delete.Parameters.AddWithValue("names", names);
                await delete.ExecuteNonQueryAsync();
            }
        };
    }
}
