
namespace Courses.Api.Hosting;

public enum TenancyMode
{
    /// <summary>Every clinic in one database, its rows marked with its tenant id.</summary>
    Conjoined,

    /// <summary>Each clinic in a database of its own (large chains); the main database keeps Wolverine's node records.</summary>
    DatabasePerClinic,
}

/// <summary>The <c>Tenancy</c> configuration section: where each clinic's data lives.</summary>
public sealed class TenancySettings
{
    public const string Section = "Tenancy";

    public TenancyMode Mode { get; set; } = TenancyMode.Conjoined;

    /// <summary>DatabasePerClinic only: clinic id (the token's <c>clinic</c>) → that clinic's connection string.</summary>
    public Dictionary<string, string> Clinics { get; set; } = [];

    public static TenancySettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<TenancySettings>() ?? new TenancySettings();
        if (settings.Mode == TenancyMode.DatabasePerClinic && settings.Clinics.Count == 0)
            throw new InvalidOperationException(
                "Tenancy:Mode is DatabasePerClinic but no clinic is configured: set Tenancy:Clinics:<clinic> (env Tenancy__Clinics__<clinic>) to each clinic's connection string.");
        return settings;
    }

    public bool PerClinic => Mode == TenancyMode.DatabasePerClinic;

    /// <summary>
    /// One Marten database per clinic, plus the main database as the default (no clinic's data: idempotency locks,
    /// readiness). Each clinic database keeps the conjoined schema, so moving a clinic out changes no table.
    /// </summary>
    public void ApplyTo(StoreOptions options, string mainConnectionString)
    {
        if (!PerClinic) return;
        options.MultiTenantedDatabases(databases =>
        {
            databases.AddMultipleTenantDatabase(mainConnectionString, "main").ForTenants().AsDefault();
            foreach (var (clinic, connectionString) in Clinics)
                databases.AddMultipleTenantDatabase(Liveness.Checked(connectionString), clinic).ForTenants(clinic);
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
    public JasperFx.Descriptors.DatabaseCardinality Cardinality => JasperFx.Descriptors.DatabaseCardinality.StaticMultiple;

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
