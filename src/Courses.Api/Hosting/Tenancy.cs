
namespace Courses.Api.Hosting;

public enum TenancyMode
{
    /// <summary>Every clinic in one database, its rows marked with its tenant id.</summary>
    Conjoined,

    /// <summary>
    /// Each clinic in a database of its own (large chains). The main database keeps the clinic directory (which clinic's
    /// database is where) and Wolverine's node records; clinics are added and retired while the nodes run.
    /// </summary>
    DatabasePerClinic,
}

/// <summary>The <c>Tenancy</c> configuration section: where each clinic's data lives.</summary>
public sealed class TenancySettings
{
    public const string Section = "Tenancy";

    public TenancyMode Mode { get; set; } = TenancyMode.Conjoined;

    /// <summary>The schema, in the main database, of the clinic directory (Marten's <c>mt_tenant_databases</c>).</summary>
    public const string DirectorySchema = "courses_clinics";

    /// <summary>
    /// DatabasePerClinic only: clinic id (the token's <c>clinic</c>) → that clinic's connection string, written into the
    /// clinic directory at start. Optional: <c>clinic-add</c> adds clinics to a running deployment.
    /// </summary>
    public Dictionary<string, string> Clinics { get; set; } = [];

    public static TenancySettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<TenancySettings>() ?? new TenancySettings();

    public bool PerClinic => Mode == TenancyMode.DatabasePerClinic;

    /// <summary>
    /// One Marten database per clinic, found through the clinic directory, a table in the main database that every node
    /// reads: a clinic added there is served by every node without a restart, and its projections are picked up by
    /// Wolverine's agent distribution. Each clinic database keeps the conjoined schema, so moving a clinic changes no table.
    /// </summary>
    public void ApplyTo(StoreOptions options, string mainConnectionString)
    {
        if (!PerClinic) return;
        options.MultiTenantedDatabasesWithMasterDatabaseTable(directory =>
        {
            directory.ConnectionString = mainConnectionString;
            directory.SchemaName = DirectorySchema;
            // The directory's one table is created by its first reader (db-apply, or a node), also in Production: the
            // clinic list must be readable before any clinic database can be migrated.
            directory.AutoCreate = JasperFx.AutoCreate.CreateOrUpdate;
            foreach (var (clinic, connectionString) in Clinics)
                directory.RegisterDatabase(clinic, Liveness.Checked(connectionString));
        });
    }
}

/// <summary>
/// Database per clinic: Wolverine finds a clinic database's inbox/outbox only once its runtime starts, so
/// <c>db-apply</c> would leave them out; this source names them, and <c>db-apply</c> migrates them with the rest.
/// </summary>
internal sealed class ClinicMessageDatabases(Wolverine.Persistence.Durability.IMessageStore store, Wolverine.Runtime.IWolverineRuntime runtime)
    : Weasel.Core.Migrations.IDatabaseSource
{
    public JasperFx.Descriptors.DatabaseCardinality Cardinality => JasperFx.Descriptors.DatabaseCardinality.DynamicMultiple;

    public async ValueTask<IReadOnlyList<Weasel.Core.Migrations.IDatabase>> BuildDatabases()
    {
        if (store is not Wolverine.Persistence.Durability.MultiTenantedMessageStore clinics)
            throw new InvalidOperationException($"Database per clinic expects Wolverine's multi-tenanted message store, not {store.GetType().Name}.");
        await clinics.InitializeAsync(runtime);
        await clinics.Source.RefreshAsync();
        return clinics.Source.AllActive().OfType<Weasel.Core.Migrations.IDatabase>().ToArray();
    }

    public ValueTask<JasperFx.Descriptors.DatabaseUsage> DescribeDatabasesAsync(CancellationToken token) =>
        ValueTask.FromResult(new JasperFx.Descriptors.DatabaseUsage { Cardinality = Cardinality });
}
