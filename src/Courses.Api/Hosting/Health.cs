using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Courses.Api.Hosting;

public static class Health
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddCoursesHealth(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<DatabaseReadyCheck>("database", tags: [ReadyTag])
            .AddCheck<TimeZoneDataCheck>("timeZones", tags: [ReadyTag]);
        return services;
    }

    public static void MapCoursesHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
            {
                Predicate = c => c.Tags.Contains(ReadyTag),
                ResponseWriter = WriteAsync,
                // A node still warming up says so (degraded) and stays out of rotation like an unhealthy one.
                ResultStatusCodes =
                {
                    [HealthStatus.Healthy] = StatusCodes.Status200OK,
                    [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                    [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
                },
            })
            .AllowAnonymous();
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString().ToLowerInvariant(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new
            {
                status = e.Value.Status.ToString().ToLowerInvariant(),
                description = e.Value.Description,
            }),
        });
    }
}

/// <summary>
/// Ready only where the host has the IANA time-zone database (tzdata): without it every clinic's zone would read as
/// unknown, and the clinic's dates would silently be UTC's. A node lacking it stays out of rotation and says why.
/// </summary>
internal sealed class TimeZoneDataCheck : IHealthCheck
{
    private static readonly string[] Probes = ["Europe/London", "Pacific/Auckland", "America/Los_Angeles"];

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(Probes.Where(id => ClinicWords.Zone(id) is null).ToArray() is { Length: > 0 } missing
            ? HealthCheckResult.Unhealthy($"This host's time-zone database lacks {string.Join(", ", missing)}: install tzdata.")
            : HealthCheckResult.Healthy());
}

/// <summary>Ready when PostgreSQL answers and the event store's schema has been applied, in every database.</summary>
internal sealed class DatabaseReadyCheck(IDocumentStore store, IConfiguration configuration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken)
    {
        var settings = configuration.GetSection(StoreSettings.Section).Get<StoreSettings>() ?? new StoreSettings();
        try
        {
            foreach (var database in await store.Storage.AllDatabases())
            {
                await using var connection = database.CreateConnection();
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand("select to_regclass(@events) is not null", connection);
                command.Parameters.AddWithValue("events", $"{settings.EventSchema}.mt_events");
                if (!(bool)(await command.ExecuteScalarAsync(cancellationToken))!)
                    return HealthCheckResult.Unhealthy($"PostgreSQL reachable, but the schema is not applied in {connection.Database}: run db-apply.");
            }
            return HealthCheckResult.Healthy("PostgreSQL reachable, schema applied.");
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return HealthCheckResult.Unhealthy("PostgreSQL is not reachable.");
        }
    }
}
