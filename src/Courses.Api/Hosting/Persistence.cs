using System.Text.Json;
using System.Text.Json.Serialization;
using Courses.Api.Analytics;
using Courses.Api.Audit;
using Courses.Api.Photos;
using Courses.Api.Writes;
using Courses.Projections;
using JasperFx;
using Npgsql;
using JasperFx.CodeGeneration;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using JasperFx.Resources;
using Weasel.Core;
using Wolverine;
using Wolverine.Marten;

namespace Courses.Api.Hosting;

/// <summary>The <c>Marten</c> configuration section: where the store lives.</summary>
public sealed class StoreSettings
{
    public const string Section = "Marten";
    public string DocumentSchema { get; set; } = "courses";
    public string EventSchema { get; set; } = "courses_events";
    public string MessageSchema { get; set; } = "courses_messages";

    /// <summary>Read-only SQL views of the analytics read models, for analysts' BI tools.</summary>
    public string BiSchema { get; set; } = "courses_bi";

    public AnalystSchemas AnalystSchemas => new(DocumentSchema, BiSchema);
}

public static class Persistence
{
    public const string ConnectionStringName = "Courses";

    public const string ReplicaConnectionStringName = "CoursesReplica";

    /// <summary>The read routes' standby (README: Read replicas), when <c>ConnectionStrings:CoursesReplica</c> names one.</summary>
    private static ReadReplica ReadReplicaFor(IConfiguration configuration, string primary, TenancySettings tenancy)
    {
        var replica = configuration.GetConnectionString(ReplicaConnectionStringName);
        if (string.IsNullOrWhiteSpace(replica)) return new ReadReplica(null);
        if (tenancy.PerClinic)
            throw new InvalidOperationException(
                $"ConnectionStrings:{ReplicaConnectionStringName} is set with Tenancy:Mode=DatabasePerClinic: read replicas serve the single database only. " +
                "Remove the replica setting, or run with one database.");
        return new ReadReplica(ReadReplica.Build(Liveness.Checked(replica), primary));
    }

    public static WebApplicationBuilder AddCoursesPersistence(this WebApplicationBuilder builder)
    {
        var configured = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(configured))
            throw new InvalidOperationException(
                $"ConnectionStrings:{ConnectionStringName} is not set (env ConnectionStrings__{ConnectionStringName}). scripts/run sets it for you.");
        var connectionString = Liveness.Checked(configured);
        var settings = builder.Configuration.GetSection(StoreSettings.Section).Get<StoreSettings>() ?? new StoreSettings();
        var tenancy = TenancySettings.From(builder.Configuration);

        builder.Services.AddMarten(opts =>
            {
                opts.Connection(connectionString);
                tenancy.ApplyTo(opts, connectionString);
                opts.DatabaseSchemaName = settings.DocumentSchema;
                opts.Events.DatabaseSchemaName = settings.EventSchema;

                // Conjoined tenancy: each clinic is a tenant; one clinic's ids are invisible to another.
                opts.Events.TenancyStyle = TenancyStyle.Conjoined;
                opts.Policies.AllDocumentsAreMultiTenanted();

                // One pooled connection for a session's life, not one per operation: a command's batched load and its
                // commit share it (measured: bench/command-cost, README).
                opts.UseStickyConnectionLifetimes = true;

                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase,
                    configure: json => json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));

                opts.Events.MetadataConfig.UserNameEnabled = true;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.HeadersEnabled = true;

                // Clinical data: a bad event must stop a projection loudly, never be skipped.
                opts.Projections.Errors.SkipApplyErrors = false;
                opts.Projections.Errors.SkipSerializationErrors = false;
                opts.Projections.Errors.SkipUnknownEvents = false;
                opts.Projections.RebuildErrors.SkipApplyErrors = false;
                opts.Projections.RebuildErrors.SkipSerializationErrors = false;
                opts.Projections.RebuildErrors.SkipUnknownEvents = false;

                // Upstream DistributedLock.Postgres refuses multiplexed data sources; see README design notes.
                opts.Events.UseAdvisoryLockTransaction = true;

                // Analytics may trail the writes by at most about a second: look for new events every 100 ms while
                // they come, every 250 ms when quiet (one indexed read of the sequence each time).
                opts.Projections.FastPollingTime = TimeSpan.FromMilliseconds(100);
                opts.Projections.SlowPollingTime = TimeSpan.FromMilliseconds(250);

                opts.AddReadModels(onePassRebuild: ProjectionRebuild.OnePass(builder.Configuration));
                opts.AddAccessLog();
                opts.Storage.Add(new PhotoImagesTable(settings.DocumentSchema));
                opts.AddAnalystViews(settings.AnalystSchemas);
                // Registered so that db-apply creates its table: Production never creates one on first use.
                opts.RegisterDocumentType<IdempotencyRecord>();
            })
            .UseLightweightSessions()
            .IntegrateWithWolverine(wolverine =>
            {
                wolverine.MessageStorageSchemaName = settings.MessageSchema;
                // Wolverine's leader runs each (clinic database × async projection) on exactly one live node and spreads
                // them over the nodes, instead of one daemon leader running them all (README: Scaling out).
                wolverine.UseWolverineManagedEventSubscriptionDistribution = true;
                // Per clinic, Wolverine keeps an inbox/outbox in every clinic database and its node records here.
                if (tenancy.PerClinic) wolverine.MainDatabaseConnectionString = connectionString;
            });

        // Built here, so a refused combination stops the start; registered through a factory, so the container disposes it.
        var readReplica = ReadReplicaFor(builder.Configuration, connectionString, tenancy);
        builder.Services.AddSingleton(_ => readReplica);
        builder.Services.AddSingleton<AccessLogWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AccessLogWriter>());
        if (tenancy.PerClinic)
        {
            builder.Services.AddSingleton<Weasel.Core.Migrations.IDatabaseSource, ClinicMessageDatabases>();
            builder.Services.AddSingleton<ClinicDirectory>();
            builder.Services.AddHostedService<ClinicRetirements>();
        }
        builder.Services.AddHttpContextAccessor();
        builder.Services.ConfigureMarten((services, opts) =>
        {
            opts.Listeners.Add(new WriteSafetyListener(
                services.GetRequiredService<IHttpContextAccessor>(), services.GetRequiredService<TimeProvider>()));
            // After write safety, which may still change a stream's expected version, and so its event versions.
            opts.Listeners.Add(new HashChainListener(services.GetRequiredService<IHttpContextAccessor>()));
            opts.Listeners.Add(new WarmupRollback(services.GetRequiredService<IHttpContextAccessor>()));
        });

        builder.Host.UseWolverine(opts =>
        {
            opts.ApplicationAssembly = typeof(Program).Assembly;
            opts.Policies.AutoApplyTransactions();
            opts.Policies.UseDurableLocalQueues();
            opts.Policies.UseDurableInboxOnAllListeners();
            opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
            // The token's sub becomes Marten's user name on every event: who recorded it.
            opts.EnableRelayOfUserName = true;
            // Balanced: leader election and agent distribution across every node sharing the main database.
            opts.Durability.Mode = DurabilityMode.Balanced;
            // Nodes beat every second; one silent for 6 s is stale, and its leadership and agents (the async
            // projections) move to live nodes. The defaults (10 s, 1 min) made a failover take up to a minute.
            // The leader also re-checks every assignment (and looks for new clinic databases) every 5 s.
            opts.Durability.HealthCheckPollingTime = TimeSpan.FromSeconds(1);
            opts.Durability.FirstHealthCheckExecution = TimeSpan.FromMilliseconds(200);
            opts.Durability.StaleNodeTimeout = TimeSpan.FromSeconds(6);
            opts.Durability.CheckAssignmentPeriod = TimeSpan.FromSeconds(5);
        });

        // Development and tests bring the schema up at start; production applies it only through db-apply.
        if (builder.Environment.IsDevelopment())
            builder.Services.AddResourceSetupOnStartup();
        else
            SchemaCheck.AddTo(builder.Services);

        builder.Services.CritterStackDefaults(defaults =>
        {
            // scripts/run serves the committed code (Static) like production: generating it at first use made the
            // first write after start take seconds. Tests keep generating it, so a changed endpoint needs no codegen first.
            defaults.Development.GeneratedCodeMode =
                Enum.TryParse<TypeLoadMode>(builder.Configuration["GeneratedCode"], ignoreCase: true, out var mode) ? mode : TypeLoadMode.Dynamic;
            defaults.Development.ResourceAutoCreate = AutoCreate.CreateOrUpdate;
            defaults.Production.GeneratedCodeMode = TypeLoadMode.Static;
            defaults.Production.ResourceAutoCreate = AutoCreate.None;
        });

        return builder;
    }
}

/// <summary>
/// How PostgreSQL notices that a node died. The node running the async daemon holds its leadership on a connection
/// busy in <c>pg_sleep</c>, and a backend running a query does not look at its socket: a killed leader's lock lived on
/// until the sleep ended (up to a minute). Every connection therefore asks its backend to check the client every second
/// while it runs a query (a closed socket ends the backend, and the lock with it), and to probe a silent peer over TCP,
/// so a host that vanished without closing its sockets is given up within about 15 seconds too. Options the
/// connection string already sets win.
/// </summary>
public static class Liveness
{
    private static readonly (string Name, string Value)[] Settings =
    [
        ("client_connection_check_interval", "1000"),
        ("tcp_keepalives_idle", "5"), ("tcp_keepalives_interval", "2"), ("tcp_keepalives_count", "3"),
        ("tcp_user_timeout", "15000"),
    ];

    public static string Checked(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var options = builder.Options ?? "";
        var added = Settings.Where(s => !options.Contains(s.Name, StringComparison.OrdinalIgnoreCase)).Select(s => $"-c {s.Name}={s.Value}");
        builder.Options = string.Join(' ', new[] { options }.Concat(added).Where(o => o.Length > 0));
        return builder.ConnectionString;
    }
}
