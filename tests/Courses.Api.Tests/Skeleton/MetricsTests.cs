using System.Diagnostics.Metrics;
using Alba;
using Courses.Api.Hosting;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;

namespace Courses.Api.Tests.Skeleton;

/// <summary>The service's own metrics (meter "Courses"), read the way an OpenTelemetry exporter reads them.</summary>
public sealed class MetricsTests(AppFixture fixture) : StoryContext(fixture)
{
    [Fact]
    public async Task Commands_are_counted_by_type_and_outcome_rule_violations_by_code_and_reactions_by_kind()
    {
        using var recorded = new Recorded(Host.Services.GetRequiredService<CoursesMetrics>().Meter);

        var client = await RegisteredClient();
        await Post(Roles.Reception, "/api/clients", new { fullName = "", dateOfBirth = "1990-04-01" }, 400);
        var consultation = await BookedConsultation(client);
        await Refused($"/api/clients/{client}/consultations/{consultation}/complete",
            new { completedAt = At(Clock.GetUtcNow()), practitionerId = Practitioner, outcome = "plan", concerns = new[] { "fineLines" }, plan = Plan() },
            "screening-required");
        await Post(Roles.Practitioner, $"/api/clients/{client}/reactions",
            new { occurredAt = At(Clock.GetUtcNow()), kind = "allergicReaction", severity = "moderate" }, 201);
        await Post(Roles.Practitioner, $"/api/clients/{client}/reactions",
            new { occurredAt = At(Clock.GetUtcNow()), kind = "redness", severity = "mild" }, 201);
        await As(Roles.Reception, s => { s.Get.Url($"/api/clients/{client}"); s.StatusCodeShouldBe(200); });

        Assert.Equal(1, recorded.Sum(CoursesMetrics.Commands, ("command", "RegisterClient"), ("outcome", "accepted")));
        Assert.Equal(1, recorded.Sum(CoursesMetrics.Commands, ("command", "RegisterClient"), ("outcome", "invalid")));
        Assert.Equal(1, recorded.Sum(CoursesMetrics.Commands, ("command", "BookConsultation"), ("outcome", "accepted")));
        Assert.Equal(1, recorded.Sum(CoursesMetrics.Commands, ("command", "CompleteConsultation"), ("outcome", "refused")));
        Assert.Equal(2, recorded.Sum(CoursesMetrics.Commands, ("command", "ReportReaction"), ("outcome", "accepted")));
        Assert.Equal(6, recorded.Sum(CoursesMetrics.Commands)); // the read is not a command

        Assert.Equal(1, recorded.Sum(CoursesMetrics.RuleViolations, ("code", "screening-required")));
        Assert.Equal(1, recorded.Sum(CoursesMetrics.RuleViolations));

        Assert.Equal(1, recorded.Sum(CoursesMetrics.Reactions, ("kind", "allergicReaction"), ("severity", "moderate")));
        Assert.Equal(1, recorded.Sum(CoursesMetrics.Reactions, ("kind", "redness"), ("severity", "mild")));
    }

    [Fact]
    public async Task Projection_lag_is_the_events_an_async_projection_has_not_applied_yet()
    {
        var sampler = Host.Services.GetRequiredService<ProjectionLagSampler>();
        var asyncProjections = ((StoreOptions)Fixture.Store.Options).Projections.All
            .Where(p => p.Lifecycle == ProjectionLifecycle.Async).Select(p => p.Name).ToArray();
        Assert.NotEmpty(asyncProjections);
        using var recorded = new Recorded(Host.Services.GetRequiredService<CoursesMetrics>().Meter);

        await RegisteredClient();
        await Fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var caughtUp = await sampler.SampleAsync(CancellationToken.None);
        Assert.All(asyncProjections, name => Assert.Contains(caughtUp, s => s.Projection.StartsWith(name + ":", StringComparison.Ordinal)));
        Assert.All(caughtUp, s => Assert.Equal((0L, 0d), (s.Events, s.AgeSeconds)));

        // Held back by a lock on their progress rows, not by pausing them: Wolverine's leader restarts a paused agent.
        await using (var holdBack = await HoldBackAsync(asyncProjections))
        {
            var before = (await Fixture.Store.Advanced.FetchEventStoreStatistics()).EventSequenceNumber;
            await RegisteredClient("Bea Cole");
            await RegisteredClient("Cai Dunn");
            var appended = (await Fixture.Store.Advanced.FetchEventStoreStatistics()).EventSequenceNumber - before;
            Assert.True(appended >= 2);

            var behind = await sampler.SampleAsync(CancellationToken.None);
            Assert.All(behind, s => Assert.Equal(appended, s.Events));
            recorded.Observe();
            Assert.All(behind, s => Assert.Equal(appended, recorded.Last(CoursesMetrics.ProjectionLag, ("projection", s.Projection))));
            Assert.All(behind, s => Assert.True(recorded.Last(CoursesMetrics.ProjectionLagAge, ("projection", s.Projection)) >= 0));
        }

        await Fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        Assert.All(await sampler.SampleAsync(CancellationToken.None), s => Assert.Equal(0, s.Events));
    }

    /// <summary>A connection whose open transaction holds the progress rows of these projections: no agent records progress until it is disposed.</summary>
    private async Task<Npgsql.NpgsqlConnection> HoldBackAsync(string[] projections)
    {
        var connection = new Npgsql.NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using var hold = new Npgsql.NpgsqlCommand(
            $"select name from {Fixture.Store.Options.Events.DatabaseSchemaName}.mt_event_progression " +
            "where split_part(name, ':', 1) = any(@names) for update", connection, transaction);
        hold.Parameters.AddWithValue("names", projections);
        await using (var rows = await hold.ExecuteReaderAsync())
            Assert.True(await rows.ReadAsync(), "no progress row to hold");
        return connection;
    }

    [Fact]
    public async Task An_inline_projection_never_lags_even_with_the_progress_row_a_rebuild_leaves_behind()
    {
        await RegisteredClient();
        await Fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var schema = Fixture.Store.Options.Events.DatabaseSchemaName;
        var database = (Weasel.Postgresql.PostgresqlDatabase)Fixture.Store.Storage.Database;
        await using (var connection = database.CreateConnection())
        {
            await connection.OpenAsync();
            await using var stale = new Npgsql.NpgsqlCommand(
                $"insert into {schema}.mt_event_progression (name, last_seq_id) values ('ClientProfile:All', 0) " +
                "on conflict (name) do update set last_seq_id = 0", connection);
            await stale.ExecuteNonQueryAsync();
        }

        var samples = await Host.Services.GetRequiredService<ProjectionLagSampler>().SampleAsync(CancellationToken.None);

        Assert.NotEmpty(samples);
        Assert.DoesNotContain(samples, s => s.Projection.StartsWith("ClientProfile:", StringComparison.Ordinal));
    }

    /// <summary>Every measurement of one meter instance (this host's), as a MeterListener sees it.</summary>
    private sealed class Recorded : IDisposable
    {
        private readonly MeterListener _listener = new();
        private readonly List<(string Name, double Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

        public Recorded(Meter meter)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (ReferenceEquals(instrument.Meter, meter)) listener.EnableMeasurementEvents(instrument);
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
            _listener.Start();
        }

        private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            lock (_measurements) _measurements.Add((instrument.Name, value, tags.ToArray()));
        }

        public void Observe() => _listener.RecordObservableInstruments();

        private IEnumerable<double> Matching(string name, (string Key, string Value)[] tags)
        {
            lock (_measurements)
                return _measurements
                    .Where(m => m.Name == name && tags.All(t => m.Tags.Any(x => x.Key == t.Key && Equals(x.Value, t.Value))))
                    .Select(m => m.Value).ToArray();
        }

        public double Sum(string name, params (string Key, string Value)[] tags) => Matching(name, tags).Sum();

        public double Last(string name, params (string Key, string Value)[] tags) => Matching(name, tags).Last();

        public void Dispose() => _listener.Dispose();
    }
}
