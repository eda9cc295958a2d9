using Alba;
using Courses.Api.Hosting;
using Microsoft.AspNetCore.Hosting;

[assembly: AssemblyFixture(typeof(Courses.Reliability.Tests.Harness.InProcessFixture))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Courses.Reliability.Tests.Harness;

/// <summary>
/// The service in this process (Alba), on schemas of its own in the test database: the security and bad-input checks.
/// The write rate limit is off here; its own check starts a host with a small one.
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
        Host = await StartAsync(writesPerMinute: 0);
        Api = new ApiClient(Host.Server.CreateClient());
    }

    public Task<IAlbaHost> StartAsync(int writesPerMinute) => AlbaHost.For<Program>(web =>
    {
        web.UseEnvironment("Development");
        web.UseSetting($"ConnectionStrings:{Persistence.ConnectionStringName}", ConnectionString);
        web.UseSetting("Auth:SigningKey", Tokens.SigningKey);
        web.UseSetting("Limits:WritesPerMinutePerUser", writesPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        web.UseSetting("Marten:DocumentSchema", "courses_rel");
        web.UseSetting("Marten:EventSchema", EventSchema);
        web.UseSetting("Marten:MessageSchema", "courses_rel_messages");
    });

    /// <summary>Business events in the store (Marten's tombstones for rolled-back sequence numbers are not events).</summary>
    public Task<long> EventCountAsync() => TestDatabase.EventCountAsync(ConnectionString, EventSchema);

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}
