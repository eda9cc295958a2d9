using Alba;
using Marten;
using Marten.Events.Daemon.Coordination;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

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
        // Wolverine's leader restarts paused projection agents on its own schedule; one restarted before the reset
        // deleted the events keeps the position it read then and never sees the new ones. Restart them on the empty store.
        var agents = Host.Services.GetRequiredService<IProjectionCoordinator>();
        await agents.PauseAsync();
        await agents.ResumeAsync();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    protected Task<IScenarioResult> As(string role, Action<Scenario> configure, string clinic = Tokens.Clinic) =>
        Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Tokens.For(role, clinic)}");
            configure(s);
        });

    /// <summary>Every business event in the store, any clinic: proves a refused request appended nothing.</summary>
    protected Task<long> EventCountAsync() => TestDatabase.EventCountAsync(Fixture.ConnectionString, Fixture.EventSchema);

    /// <summary>A database fault: a trigger that fails the rows of <paramref name="operation"/> matching the condition, until disposed.</summary>
    protected async Task<IAsyncDisposable> Sabotage(string table, string condition, string operation = "insert")
    {
        var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var create = new NpgsqlCommand($"""
            create or replace function courses_test_sabotage() returns trigger language plpgsql as
            $$ begin if {condition} then raise exception 'sabotaged by the test'; end if; return new; end $$;
            create trigger courses_test_sabotage before {operation} on {table} for each row execute function courses_test_sabotage();
            """, connection);
        await create.ExecuteNonQueryAsync();
        return new Undo(connection, table);
    }

    private sealed class Undo(NpgsqlConnection connection, string table) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await using var drop = new NpgsqlCommand($"drop trigger courses_test_sabotage on {table}; drop function courses_test_sabotage();", connection);
            await drop.ExecuteNonQueryAsync();
            await connection.DisposeAsync();
        }
    }
}
