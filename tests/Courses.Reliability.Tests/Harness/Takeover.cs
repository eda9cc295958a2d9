using System.Diagnostics;
using Courses.Reliability.Tests.BadInput;

namespace Courses.Reliability.Tests.Harness;

/// <summary>
/// The failover checks' common course: a first node writes and runs the async projections alone, a standby joins and
/// writes, the first node meets its fault, and the clock runs until every async projection has processed every event
/// again — whichever node runs them, in whatever distribution mode — then the read models are compared with a rebuild.
/// </summary>
public static class Takeover
{
    /// <summary>Returns the time from the fault to the projections running again.</summary>
    public static async Task<TimeSpan> MeasureAsync(Figures figures, ProcessDatabase database, Func<Task<ApiProcess>> startFirst,
        Func<ApiProcess, Task> fault, Func<Task<long>>? firstNodeSessions = null)
    {
        var clinic = $"rel-takeover-{Guid.NewGuid():N}";
        var rounds = Scale.Count(20, 300);
        var faulted = false;
        async Task Drive(ApiProcess node, int times)
        {
            for (var i = 0; i < times; i++)
            {
                figures.Add("commands sent", 5);
                // Five commands, each answered as expected or the check fails here.
                await Clinic.PlannedCourseAsync(node.Api, clinic, DateTimeOffset.UtcNow.AddDays(-10), $"Takeover {i}");
                figures.Add("commands acknowledged", 5);
                if (faulted) figures.Add("acknowledged during the fault", 5);
            }
        }

        TimeSpan takeover;
        await using (var first = await startFirst())
        {
            await Drive(first, rounds);
            await database.WaitForProjectionsAsync(TimeSpan.FromSeconds(60));
            await using var standby = await database.StartAsync("takeover-standby");
            await Drive(standby, rounds);

            var barrage = await BadInputBarrage.StartAsync(standby.Api, figures);
            var clock = Stopwatch.StartNew();
            await fault(first);
            faulted = true;
            figures.Add("faults injected");
            // While the standby waits, how long PostgreSQL keeps the first node's sessions (and the locks they hold).
            using var watching = new CancellationTokenSource();
            var sessionsEnded = firstNodeSessions is null ? Task.FromResult<TimeSpan?>(null) : Task.Run(async () =>
            {
                while (!watching.IsCancellationRequested)
                {
                    if (await firstNodeSessions() == 0) return (TimeSpan?)clock.Elapsed;
                    await Task.Delay(100);
                }
                return null;
            });
            await Drive(standby, 1);
            await database.WaitForProjectionsAsync(TimeSpan.FromSeconds(120) - clock.Elapsed);
            takeover = clock.Elapsed;
            await barrage.StopAsync();
            // The sessions the takeover did not need (idle ones, without locks) may end a moment later: watch on a while.
            watching.CancelAfter(TimeSpan.FromSeconds(30));
            if (await sessionsEnded is { } ended) figures.Add("first node's sessions ended ms", (long)ended.TotalMilliseconds);
            figures.Add("takeover ms", (long)takeover.TotalMilliseconds);
        }

        // Each of the five commands stores one event of its own type.
        figures.Add("acknowledged found", await database.ScalarAsync(
            $"select count(*) from {ProcessDatabase.EventSchema}.mt_events where tenant_id = @clinic and type in " +
            "('client_registered', 'medical_screening_recorded', 'consent_recorded', 'consultation_booked', 'consultation_completed')", ("clinic", clinic)));
        figures.Add("5xx", 0); // every command above was answered 2xx, or the check stopped there
        figures.Add("read model rows equal to a rebuild", await database.AssertReadModelsEqualRebuildAsync());
        figures.Report();
        Assert.Equal(figures["commands acknowledged"], figures["acknowledged found"]);
        return takeover;
    }
}
