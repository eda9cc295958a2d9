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
        // One JSON object a line for log collectors; a readable line on a developer's terminal. Both carry the trace id.
        builder.Logging.ClearProviders();
        if (builder.Environment.IsDevelopment())
            builder.Logging.AddSimpleConsole(console =>
            {
                console.IncludeScopes = true;
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        else
            builder.Logging.AddJsonConsole(json =>
            {
                json.IncludeScopes = true;
                json.UseUtcTimestamp = true;
            });
        builder.Logging.Configure(o => o.ActivityTrackingOptions =
            ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        // Traced and measured only where a collector is configured: without one, every span and histogram would be
        // work for nobody (a command is a dozen spans). A laptop run sends nothing anywhere.
        if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) return builder;

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                .AddNpgsql()
                .AddSource("Wolverine")
                .AddSource("Marten"))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(CoursesMetrics.MeterName)
                .AddMeter("Wolverine:*")
                .AddMeter("Marten")
                .AddMeter("Npgsql"))
            .UseOtlpExporter();
        builder.Logging.AddOpenTelemetry(o => o.IncludeFormattedMessage = true);

        return builder;
    }
}
