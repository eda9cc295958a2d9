using Alba;
using Courses.Api.Hosting;
using Marten;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Wolverine;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

[assembly: AssemblyFixture(typeof(Courses.Api.Tests.Harness.AppFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Courses.Api.Tests.Harness;

/// <summary>One host for the whole run, against a real PostgreSQL database of its own.</summary>
public class AppFixture : IAsyncLifetime
{
    public const string SigningKey = "integration-tests-signing-key-0123456789abcdef";

    /// <summary>The one browser origin the test host allows (Cors:AllowedOrigins).</summary>
    public const string FrontEndOrigin = "https://front.clinic-a.example";

    public IAlbaHost Host { get; private set; } = null!;
    public TestClock Clock { get; } = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    public string ConnectionString { get; } = TestDatabase.ConnectionString();

    /// <summary>The schemas' common prefix: a second host (another photo store) keeps its own.</summary>
    protected virtual string Schema => "courses_test";
    public string EventSchema => $"{Schema}_events";

    /// <summary>What a host of another kind sets on top of the common settings.</summary>
    protected virtual void Configure(IWebHostBuilder web) { }

    protected virtual ValueTask BeforeHostAsync() => ValueTask.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        await TestDatabase.EnsureExistsAsync(ConnectionString);
        await BeforeHostAsync();
        Host = await AlbaHost.For<Program>(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting($"ConnectionStrings:{Persistence.ConnectionStringName}", ConnectionString);
            web.UseSetting("Auth:SigningKey", SigningKey);
            // The clock stands still through the whole run, so any minute's limit would be reached: off here, tested apart.
            web.UseSetting("Limits:WritesPerMinutePerUser", "0");
            web.UseSetting("Limits:ClientReadsPerMinutePerUser", "0");
            web.UseSetting("Limits:RequestsPerMinutePerClinic", "0");
            web.UseSetting("Marten:DocumentSchema", Schema);
            web.UseSetting("Marten:EventSchema", EventSchema);
            web.UseSetting("Marten:MessageSchema", $"{Schema}_messages");
            // Webhook retries wait for Wolverine's scheduled-job poll: both short, so a dead letter takes a second.
            web.UseSetting("Webhooks:RetryDelays", "00:00:00.1,00:00:00.1");
            web.UseSetting("Webhooks:AllowedPrivateTargets", Webhooks.WebhookReceiver.AllowedAddress);
            web.UseSetting("Marten:BiSchema", $"{Schema}_bi");
            web.UseSetting("Cors:AllowedOrigins:0", FrontEndOrigin);
            web.ConfigureServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton<TimeProvider>(Clock);
                services.ConfigureWolverine(wolverine => wolverine.Durability.ScheduledJobPollingTime = TimeSpan.FromMilliseconds(250));
            });
            Configure(web);
        });
        ReadModel.Json = Host.Services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
    }

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    public virtual async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}
