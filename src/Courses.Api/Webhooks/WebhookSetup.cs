using Wolverine;
using Wolverine.ErrorHandling;

namespace Courses.Api.Webhooks;

public static class WebhookSetup
{
    public const string HttpClientName = "webhooks";

    public static WebApplicationBuilder AddCoursesWebhooks(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(WebhookSettings.Section).Get<WebhookSettings>() ?? new WebhookSettings();
        builder.Services.AddSingleton(settings);
        var targets = new WebhookTargets(settings.AllowedPrivateTargets);
        builder.Services.AddSingleton(targets);
        builder.Services.AddHttpClient(HttpClientName, client => client.Timeout = settings.Timeout)
            .ConfigurePrimaryHttpMessageHandler(() => new WebhookConnections(targets).Handler());

        builder.Services.ConfigureMarten(opts =>
        {
            opts.Schema.For<Webhook>();
            opts.Schema.For<MaintenanceDueAnnounced>();
        });

        // Durable retries: each wait is a scheduled envelope in PostgreSQL, so a restart neither loses nor resets it.
        var backoff = settings.Backoff();
        builder.Services.ConfigureWolverine(opts =>
        {
            // Retrying cannot make an internal address public: straight to the dead letters, where an admin sees why.
            opts.Policies.OnException<WebhookTargetRefused>().MoveToErrorQueue();
            var failed = opts.Policies.OnException<WebhookDeliveryFailed>();
            if (backoff.Length == 0) failed.MoveToErrorQueue();
            else failed.ScheduleRetry(backoff).Then.MoveToErrorQueue();
        });

        if (settings.MaintenanceSweepInterval > TimeSpan.Zero)
            builder.Services.AddHostedService<MaintenanceDueSweeper>();
        return builder;
    }
}
