using Alba;
using Marten;

namespace Courses.Api.Tests.Harness;

/// <summary>Base for integration tests: a clean database before each test, and helpers to call the API as a role.</summary>
public abstract class IntegrationContext(AppFixture fixture) : IAsyncLifetime
{
    protected AppFixture Fixture { get; } = fixture;
    protected IAlbaHost Host => Fixture.Host;
    protected TestClock Clock => Fixture.Clock;

    public virtual async ValueTask InitializeAsync()
    {
        Clock.Set(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
        await Host.ResetAllMartenDataAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected Task<IScenarioResult> As(string role, Action<Scenario> configure, string clinic = Tokens.Clinic) =>
        Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Tokens.For(role, clinic)}");
            configure(s);
        });

    /// <summary>Every business event in the store, any clinic: proves a refused request appended nothing.</summary>
    protected Task<long> EventCountAsync() => TestDatabase.EventCountAsync(Fixture.ConnectionString, "courses_test_events");
}
