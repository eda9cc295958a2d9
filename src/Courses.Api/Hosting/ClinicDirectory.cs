using JasperFx.MultiTenancy;
using Marten.Storage;
using Npgsql;
using Weasel.Core.Migrations;

namespace Courses.Api.Hosting;

/// <summary>
/// Database per clinic: the clinic directory in the main database (Marten's master-table tenancy). Adding a clinic
/// records its database and migrates it (Marten's schema and Wolverine's inbox/outbox); every node then serves the
/// clinic at its first request, and Wolverine's leader starts its projections at its next assignment check. Retiring
/// disables the clinic's entry: its data stays, and nodes stop serving it (see <see cref="ClinicRetirements"/>).
/// </summary>
public sealed class ClinicDirectory(IDocumentStore store, IEnumerable<IDatabaseSource> databaseSources)
{
    private MasterTableTenancy Tenancy => store.Options.Tenancy as MasterTableTenancy
        ?? throw new InvalidOperationException("Clinics are added and retired only with Tenancy:Mode = DatabasePerClinic.");

    public async Task AddAsync(string clinic, string connectionString, CancellationToken cancellation)
    {
        var checkedConnection = Liveness.Checked(connectionString);
        await CreateDatabaseIfMissingAsync(checkedConnection, cancellation);
        // A retired clinic comes back as a new entry (nodes that served it before it was retired need a restart to
        // serve it again: their copy of its database was disposed when they dropped it).
        if ((await Tenancy.AllDisabledAsync()).Contains(clinic)) await Tenancy.DeleteDatabaseRecordAsync(clinic);
        await Tenancy.AddDatabaseRecordAsync(clinic, checkedConnection);

        var database = await Tenancy.FindOrCreateDatabase(clinic);
        await MigrateAsync(database);
        // Wolverine keeps an inbox/outbox in each clinic database: the one of this clinic, found by its identifier.
        foreach (var source in databaseSources.OfType<ClinicMessageDatabases>())
        foreach (var messages in (await source.BuildDatabases()).Where(d => d.Id.Equals(database.Id)))
            await MigrateAsync(messages);
    }

    /// <summary>
    /// Once the clinic is in the directory, a node may start its projections and create what they need at the same
    /// moment (in Development); the migration is idempotent, so a lost race is settled by running it again.
    /// </summary>
    private static async Task MigrateAsync(IDatabase database)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await database.ApplyAllConfiguredChangesToDatabaseAsync();
                return;
            }
            catch (Exception e) when (attempt < 3 && e is not ObjectDisposedException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt));
            }
        }
    }

    public Task RetireAsync(string clinic) => Tenancy.DisableTenantAsync(clinic);

    private static async Task CreateDatabaseIfMissingAsync(string connectionString, CancellationToken cancellation)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database
            ?? throw new ArgumentException("The clinic's connection string names no database.", nameof(connectionString));
        await using var server = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await server.OpenAsync(cancellation);
        await using var exists = new NpgsqlCommand("select exists (select 1 from pg_database where datname = @name)", server);
        exists.Parameters.AddWithValue("name", name);
        if ((bool)(await exists.ExecuteScalarAsync(cancellation))!) return;
        await using var create = new NpgsqlCommand($"create database \"{name.Replace("\"", "\"\"")}\"", server);
        await create.ExecuteNonQueryAsync(cancellation);
    }
}

/// <summary>
/// A node caches each clinic's database once it has served it; a clinic retired on another node is dropped from this
/// node's cache here, within <see cref="Interval"/>, so its requests are refused (403) and its projections stop being
/// offered to Wolverine's leader.
/// </summary>
internal sealed class ClinicRetirements(IDocumentStore store, ILogger<ClinicRetirements> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store.Options.Tenancy is not MasterTableTenancy tenancy) return;
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var cached = ((ITenantedSource<string>)tenancy).AllActive();
                foreach (var clinic in (await tenancy.AllDisabledAsync()).Intersect(cached))
                {
                    await tenancy.DisableTenantAsync(clinic);
                    logger.LogInformation("Clinic {Clinic} was retired: no longer served by this node", clinic);
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning(e, "Could not read the clinic directory; trying again in {Interval}", Interval);
            }
        }
    }
}
