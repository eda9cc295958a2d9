using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Courses.Api.Hosting;

public static class Telemetry
{
    public const string ServiceName = "courses-api";

    public static WebApplicationBuilder AddCoursesTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.AddJsonConsole(json =>
        {
            json.IncludeScopes = true;
            json.UseUtcTimestamp = true;
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddNpgsql()
                .AddSource("Wolverine")
                .AddSource("Marten"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter("Wolverine:*")
                .AddMeter("Marten")
                .AddMeter("Npgsql"));

        // Exported only where a collector is configured, so a laptop run sends nothing anywhere.
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
            builder.Logging.AddOpenTelemetry(o => o.IncludeFormattedMessage = true);
        }

        return builder;
    }
}
