using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Routing;
using Npgsql;

namespace Courses.Api.Http;

/// <summary>
/// Where the read routes read. Without a replica configured, the primary, as every write does. With one, a data source
/// that prefers a standby and falls back to the primary (Npgsql's multi-host <c>PreferStandby</c>), so a read still
/// answers while the standby is down. A caller that wrote sends back the ETag its write answered in <see cref="Header"/>:
/// a read of that client's record goes to the standby only if the standby already holds that version of the record,
/// and to the primary otherwise; a read not scoped to one client goes to the primary. Nothing is waited for.
/// </summary>
public sealed class ReadReplica(NpgsqlMultiHostDataSource? hosts) : IAsyncDisposable
{
    public const string Header = "Read-After";

    // The database a replica session reads, for the reads that open a connection of their own (ClinicSql).
    private static readonly ConditionalWeakTable<IQuerySession, NpgsqlDataSource> StandbySessions = new();

    private readonly NpgsqlDataSource? standby = hosts?.WithTargetSession(TargetSessionAttributes.PreferStandby);

    public bool Configured => standby is not null;

    /// <summary>
    /// The replica's connection string as a multi-host one: the standby's hosts, then the primary's, preferring a
    /// standby. Both name the same database and user (a physical standby is a copy of the whole cluster).
    /// </summary>
    public static NpgsqlMultiHostDataSource Build(string replica, string primary)
    {
        var standbys = new NpgsqlConnectionStringBuilder(replica);
        var main = new NpgsqlConnectionStringBuilder(primary);
        standbys.Host = string.Join(',', Hosts(standbys).Concat(Hosts(main)).Distinct());
        return new NpgsqlDataSourceBuilder(standbys.ConnectionString).BuildMultiHost();
    }

    private static IEnumerable<string> Hosts(NpgsqlConnectionStringBuilder builder) =>
        (builder.Host ?? "localhost").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(host => host.Contains(':') || host.StartsWith('/') ? host : $"{host}:{builder.Port}");

    /// <summary>The query session a read route uses (the generated handler disposes it).</summary>
    public async Task<IQuerySession> OpenAsync(IDocumentStore store, HttpContext http, CancellationToken cancellation)
    {
        var clinic = http.User.Clinic();
        if (standby is null || http.Features.Get<StandbyRead>() is { Failed: true }) return Primary(store, clinic);
        var session = !http.Request.Headers.TryGetValue(Header, out var after)
            ? OnStandby(store, clinic)
            : await AtLeastAsync(store, clinic, ClientOf(http), ETags.Parse(after), cancellation);
        if (StandbySessions.TryGetValue(session, out _)) http.Features.Set(new StandbyRead());
        return session;
    }

    /// <summary>
    /// Whether a read that failed should be read again from the primary: it read the standby, the standby's connection
    /// broke (a standby stopping ends its connections; the pool still held them), and nothing was sent yet.
    /// </summary>
    public static bool ReadAgainOnPrimary(HttpContext http, Exception failure)
    {
        if (http.Features.Get<StandbyRead>() is not { Failed: false } read || http.Response.HasStarted || !IsBroken(failure)) return false;
        read.Failed = true;
        return true;
    }

    public ValueTask DisposeAsync() => hosts?.DisposeAsync() ?? ValueTask.CompletedTask;

    private static bool IsBroken(Exception failure)
    {
        for (var e = failure; e is not null; e = e.InnerException)
            if (e is NpgsqlException or Marten.Exceptions.SessionTransactionUnusableException or TimeoutException) return true;
        return false;
    }

    private sealed class StandbyRead
    {
        public bool Failed { get; set; }
    }

    /// <summary>A connection for statements of a read's own, from the database its session reads.</summary>
    public static NpgsqlConnection Connection(IQuerySession session) =>
        StandbySessions.TryGetValue(session, out var source)
            ? source.CreateConnection()
            : ((Weasel.Postgresql.PostgresqlDatabase)session.Database).CreateConnection();

    private IQuerySession OnStandby(IDocumentStore store, string clinic)
    {
        var options = Marten.Services.SessionOptions.ForConnection(standby!.CreateConnection());
        options.TenantId = clinic;
        var session = store.QuerySession(options);
        StandbySessions.Add(session, standby);
        return session;
    }

    private static IQuerySession Primary(IDocumentStore store, string clinic) => store.QuerySession(new Marten.Services.SessionOptions { TenantId = clinic });

    /// <summary>The standby if it holds the client's record at <paramref name="version"/> or later (one indexed read there), else the primary.</summary>
    private async Task<IQuerySession> AtLeastAsync(IDocumentStore store, string clinic, Guid? client, long? version, CancellationToken cancellation)
    {
        if (client is not { } id || version is not { } wanted) return Primary(store, clinic);
        var candidate = OnStandby(store, clinic);
        try
        {
            if ((await candidate.Events.FetchStreamStateAsync(id, cancellation))?.Version >= wanted) return candidate;
        }
        catch (Exception e) when (IsBroken(e))
        {
            // The standby went away between connections: the primary answers.
        }
        await candidate.DisposeAsync();
        return Primary(store, clinic);
    }

    private static Guid? ClientOf(HttpContext http) =>
        http.GetRouteValue("clientId") is string raw && Guid.TryParse(raw, out var id) ? id : null;
}

/// <summary>A read whose standby connection broke is read once more, from the primary (see <see cref="ReadReplica.ReadAgainOnPrimary"/>).</summary>
public sealed class StandbyFallback(RequestDelegate next, ILogger<StandbyFallback> logger)
{
    public async Task InvokeAsync(HttpContext http)
    {
        try
        {
            await next(http);
        }
        catch (Exception failure) when (ReadReplica.ReadAgainOnPrimary(http, failure))
        {
            logger.LogWarning(failure, "Read of {Path} failed on the standby; reading it from the primary", http.Request.Path);
            await next(http);
        }
    }
}

/// <summary>Wolverine middleware: every GET route that reads through a query session gets it from <see cref="ReadReplica"/>.</summary>
public static class ReadSessions
{
    public static Task<IQuerySession> LoadAsync(ReadReplica replica, IDocumentStore store, HttpContext http, CancellationToken cancellation) =>
        replica.OpenAsync(store, http, cancellation);
}
