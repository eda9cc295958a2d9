using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Courses.Api.Writes;
using Courses.Domain.Reactions;
using JasperFx.Events;
using Marten.Services;
using Npgsql;

namespace Courses.Api.Hosting;

/// <summary>
/// The service's own metrics, on the meter <c>Courses</c> (README, Operating: Metrics). Counters only on the request
/// path; the projection lag is sampled in the background and read from memory when a collector asks.
/// </summary>
public sealed class CoursesMetrics
{
    public const string MeterName = "Courses";
    public const string Commands = "courses.commands";
    public const string RuleViolations = "courses.rule_violations";
    public const string Reactions = "courses.reactions";
    public const string ProjectionLag = "courses.projection.lag";
    public const string ProjectionLagAge = "courses.projection.lag_age";

    private readonly Counter<long> _commands;
    private readonly Counter<long> _violations;
    private readonly Counter<long> _reactions;
    private volatile IReadOnlyList<ProjectionLagSample> _lag = [];

    public CoursesMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(MeterName);
        _commands = Meter.CreateCounter<long>(Commands, "{command}",
            "Write requests handled, by command and outcome (accepted, invalid, refused, not_found, conflict, precondition_failed, forbidden, throttled, error).");
        _violations = Meter.CreateCounter<long>(RuleViolations, "{violation}", "Commands refused by a clinical rule, by the rule's problem code.");
        _reactions = Meter.CreateCounter<long>(Reactions, "{reaction}", "Adverse reactions recorded, by kind and severity.");
        Meter.CreateObservableGauge(ProjectionLag,
            () => _lag.Select(l => new Measurement<long>(l.Events, Tags(l))), "{event}",
            "Events in the store that an async projection has not yet applied.");
        Meter.CreateObservableGauge(ProjectionLagAge,
            () => _lag.Select(l => new Measurement<double>(l.AgeSeconds, Tags(l))), "s",
            "Age of the oldest event an async projection has not yet applied; 0 when it is caught up.");
    }

    public Meter Meter { get; }

    public void CommandHandled(string command, string outcome) =>
        _commands.Add(1, new KeyValuePair<string, object?>("command", command), new KeyValuePair<string, object?>("outcome", outcome));

    public void RuleViolated(string code) => _violations.Add(1, new KeyValuePair<string, object?>("code", code));

    public void ReactionRecorded(ReactionKind kind, Severity severity) =>
        _reactions.Add(1, new KeyValuePair<string, object?>("kind", JsonNamingPolicy.CamelCase.ConvertName(kind.ToString())),
            new KeyValuePair<string, object?>("severity", JsonNamingPolicy.CamelCase.ConvertName(severity.ToString())));

    internal void LagSampled(IReadOnlyList<ProjectionLagSample> lag) => _lag = lag;

    private static KeyValuePair<string, object?>[] Tags(ProjectionLagSample lag) =>
        [new("projection", lag.Projection), new("database", lag.Database)];
}

public static class MetricsRegistration
{
    public static IServiceCollection AddCoursesMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMetrics();
        services.AddSingleton<CoursesMetrics>();
        services.Configure<MetricsSettings>(configuration.GetSection(MetricsSettings.Section));
        services.AddSingleton<ProjectionLagSampler>();
        services.AddHostedService(s => s.GetRequiredService<ProjectionLagSampler>());
        services.ConfigureMarten((s, opts) => opts.Listeners.Add(new ReactionMetrics(s.GetRequiredService<CoursesMetrics>())));
        return services;
    }
}

/// <summary>The <c>Metrics</c> configuration section.</summary>
public sealed class MetricsSettings
{
    public const string Section = "Metrics";

    /// <summary>How often the projection lag is read from the database.</summary>
    public TimeSpan ProjectionLagInterval { get; set; } = TimeSpan.FromSeconds(15);
}

public sealed record ProjectionLagSample(string Database, string Projection, long Events, double AgeSeconds);

/// <summary>Counts every write request under /api once, by the endpoint's command name and the answer's status.</summary>
internal sealed class CommandMetrics(RequestDelegate next, CoursesMetrics metrics)
{
    private static readonly ConcurrentDictionary<Type, string> Names = new();

    public async Task InvokeAsync(HttpContext http)
    {
        if (!WriteRequests.IsWrite(http.Request) || WarmupRequest.Is(http))
        {
            await next(http);
            return;
        }

        var outcome = "error";
        try
        {
            await next(http);
            outcome = Outcome(http.Response.StatusCode);
        }
        catch (JasperFx.ConcurrencyException)
        {
            outcome = "conflict";
            throw;
        }
        finally
        {
            metrics.CommandHandled(CommandOf(http), outcome);
        }
    }

    private static string CommandOf(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<HttpChain>()?.Method.HandlerType is { } type
            ? Names.GetOrAdd(type, t => t.Name.EndsWith("Endpoint", StringComparison.Ordinal) ? t.Name[..^"Endpoint".Length] : t.Name)
            : "unmatched";

    private static string Outcome(int status) => status switch
    {
        >= 200 and < 300 => "accepted",
        401 or 403 => "forbidden",
        404 => "not_found",
        409 => "conflict",
        412 or 428 => "precondition_failed",
        422 => "refused",
        429 => "throttled",
        >= 400 and < 500 => "invalid",
        _ => "error",
    };
}

/// <summary>Counts reactions once they are committed, so a rolled-back write is never counted.</summary>
internal sealed class ReactionMetrics(CoursesMetrics metrics) : DocumentSessionListenerBase
{
    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        foreach (var e in commit.GetEvents())
            if (e.Data is ReactionReported reported)
                metrics.ReactionRecorded(reported.Kind, reported.Severity);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Reads each async projection's progress against the newest event, per database, every
/// <see cref="MetricsSettings.ProjectionLagInterval"/>: one small indexed query, off the request path.
/// </summary>
public sealed class ProjectionLagSampler(IDocumentStore store, CoursesMetrics metrics,
    Microsoft.Extensions.Options.IOptions<MetricsSettings> settings, ILogger<ProjectionLagSampler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(settings.Value.ProjectionLagInterval);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Projection lag not sampled: {Reason}", e.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    // Only the async projections lag: a rebuild also leaves progress rows for inline ones, which nothing advances.
    private readonly string[] asyncProjections = ((StoreOptions)store.Options).Projections.All
        .Where(p => p.Lifecycle == JasperFx.Events.Projections.ProjectionLifecycle.Async).Select(p => p.Name).ToArray();

    public async Task<IReadOnlyList<ProjectionLagSample>> SampleAsync(CancellationToken cancellationToken)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        var samples = new List<ProjectionLagSample>();
        foreach (var database in await store.Storage.AllDatabases())
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellationToken);
            await using var query = new NpgsqlCommand($"""
                with newest as (select coalesce(max(seq_id), 0) as seq from {schema}.mt_events)
                select p.name, newest.seq - p.last_seq_id,
                       coalesce(extract(epoch from now() - (select e.timestamp from {schema}.mt_events e
                                                            where e.seq_id > p.last_seq_id order by e.seq_id limit 1)), 0)
                from {schema}.mt_event_progression p, newest
                where split_part(p.name, ':', 1) = any($1)
                order by p.name
                """, connection);
            query.Parameters.Add(new NpgsqlParameter { Value = asyncProjections });
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                samples.Add(new ProjectionLagSample(connection.Database, reader.GetString(0), Math.Max(0, reader.GetInt64(1)),
                    Math.Max(0, (double)reader.GetDecimal(2))));
        }

        metrics.LagSampled(samples);
        return samples;
    }
}
