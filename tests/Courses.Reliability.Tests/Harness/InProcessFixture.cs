using Alba;
using Courses.Api.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

[assembly: AssemblyFixture(typeof(Courses.Reliability.Tests.Harness.InProcessFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Courses.Reliability.Tests.Harness;

/// <summary>
/// The service in this process (Alba), on schemas of its own in the test database: the security and bad-input checks.
/// The rate limits are off here; their own checks start a host with small ones and a clock they move.
/// </summary>
public sealed class InProcessFixture : IAsyncLifetime
{
    public const string EventSchema = "courses_rel_events";

    public IAlbaHost Host { get; private set; } = null!;
    public ApiClient Api { get; private set; } = null!;
    public string ConnectionString { get; } = TestDatabase.ConnectionString();

    public async ValueTask InitializeAsync()
    {
        await TestDatabase.EnsureExistsAsync(ConnectionString);
        Host = await StartAsync(new LimitSettings { WritesPerMinutePerUser = 0, ClientReadsPerMinutePerUser = 0, RequestsPerMinutePerClinic = 0 });
        Api = new ApiClient(Host.Server.CreateClient());
    }

    /// <summary>Another host on the same schemas, with these rate limits and, when given, this clock.</summary>
    public Task<IAlbaHost> StartAsync(LimitSettings limits, TimeProvider? clock = null) => AlbaHost.For<Program>(web =>
    {
        web.UseEnvironment("Development");
        web.UseSetting($"ConnectionStrings:{Persistence.ConnectionStringName}", ConnectionString);
        web.UseSetting("Auth:SigningKey", Tokens.SigningKey);
        web.UseSetting("Limits:WritesPerMinutePerUser", Invariant(limits.WritesPerMinutePerUser));
        web.UseSetting("Limits:ClientReadsPerMinutePerUser", Invariant(limits.ClientReadsPerMinutePerUser));
        web.UseSetting("Limits:RequestsPerMinutePerClinic", Invariant(limits.RequestsPerMinutePerClinic));
        web.UseSetting("Marten:DocumentSchema", "courses_rel");
        web.UseSetting("Marten:EventSchema", EventSchema);
        web.UseSetting("Marten:MessageSchema", "courses_rel_messages");
        if (clock is not null)
            web.ConfigureServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(clock);
            });
    });

    private static string Invariant(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Business events in the store (Marten's tombstones for rolled-back sequence numbers are not events).</summary>
    public Task<long> EventCountAsync() => TestDatabase.EventCountAsync(ConnectionString, EventSchema);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}
