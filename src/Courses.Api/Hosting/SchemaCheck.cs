using Weasel.Core;
using Weasel.Postgresql.Views;

namespace Courses.Api.Hosting;

/// <summary>
/// Outside Development the service never changes the schema (AutoCreate.None), so it refuses to start on a database
/// whose schema is missing or older than this version needs: loudly, with the fix, before serving a request.
/// </summary>
internal sealed class SchemaCheck(IDocumentStore store, ILogger<SchemaCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var database in await store.Storage.AllDatabases())
        {
            try
            {
                // PostgreSQL keeps a view's query only in its own rewritten form, so a view never compares equal to the
                // text that made it: db-apply recreates views every time, and here an existing one is enough.
                var migration = await database.CreateMigrationAsync(cancellationToken);
                var missing = migration.Deltas
                    .Where(delta => delta.Difference != SchemaPatchDifference.None
                                    && !(delta.SchemaObject is View && delta.Difference == SchemaPatchDifference.Update))
                    .Select(delta => delta.SchemaObject.Identifier.QualifiedName)
                    .ToArray();
                if (missing.Length > 0)
                    throw new InvalidOperationException(
                        $"Schema of database '{database.Id}' differs from this version's in: {string.Join(", ", missing)}");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var reason = e.Message.Split('\n', 2)[0];
                logger.LogCritical("The database schema is not applied or is out of date for this version; apply it with " +
                                   "'db-apply' (compose service db-apply, Kubernetes Job courses-db-apply) and start again. {Reason}", reason);
                throw new InvalidOperationException(
                    $"The database schema is not applied or is out of date: run db-apply first. {reason}", e);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs before every other hosted service, so nothing (daemon, outbox) starts against a wrong schema.</summary>
    public static void AddTo(IServiceCollection services) =>
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, SchemaCheck>());
}
