using System.Collections.Concurrent;
using System.Text.Json;
using Courses.Reliability.Tests.Harness;
using static Courses.Reliability.Tests.Harness.Clinic;
using Courses.Api.Http;
using Courses.Reliability.Tests.BadInput;

namespace Courses.Reliability.Tests.Faults;

/// <summary>Faults against real API processes (published build, Production mode) sharing one PostgreSQL database.</summary>
public sealed class ProcessFaultTests(ProcessFixture fixture) : IClassFixture<ProcessFixture>
{
    private sealed record Sent(string What, string Key, Answer? Answer, Guid? Id);

    [Fact]
    public async Task Fifty_clients_hammering_one_record_leave_every_acknowledged_command_once_and_the_invariants_intact()
    {
        var figures = new Figures("concurrent-writers");
        await using var api = await fixture.StartAsync("writers");
        var clinic = $"rel-writers-{Guid.NewGuid():N}";
        var start = DateTimeOffset.UtcNow.AddDays(-400);
        var (client, _, course, _) = await PlannedCourseAsync(api.Api, clinic, start);
        var token = Tokens.For(Roles.Practitioner, clinic);
        var c = $"/api/clients/{client}";
        var reactions = new ConcurrentBag<Guid>();
        var sent = new ConcurrentBag<Sent>();
        var perClient = Scale.Count(4, 40);
        var barrage = await BadInputBarrage.StartAsync(api.Api, figures);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            for (var i = 0; i < perClient; i++)
            {
                var roll = random.Next(10);
                var (what, path, body) = roll switch
                {
                    < 5 => ("session", $"{c}/courses/{course}/sessions", Session(start.AddDays(30 * random.Next(1, 13)))),
                    < 7 => ("reaction", $"{c}/reactions", (object)new
                    {
                        occurredAt = At(start.AddDays(30 * random.Next(1, 13) + 2)),
                        kind = random.Next(3) switch { 0 => "infection", 1 => "pain", _ => "redness" },
                        severity = "mild",
                    }),
                    < 9 when reactions.TryPeek(out _) => ("resolve", $"{c}/reactions/{reactions.ElementAt(random.Next(reactions.Count))}/resolve",
                        new { resolvedAt = At(DateTimeOffset.UtcNow.AddMinutes(-1)), outcome = "settled" }),
                    _ => ("resume", $"{c}/courses/{course}/resume", new { reason = "reaction settled" }),
                };
                var answer = await api.Api.Post(token, path, body, $"w{worker}-{i}");
                Guid? id = answer.Status == 201 && what == "session" ? answer.Json.GetProperty("sessionId").GetGuid()
                    : answer.Status == 201 && what == "reaction" ? answer.Json.GetProperty("reactionId").GetGuid()
                    : what == "resolve" ? Guid.Parse(path.Split('/')[^2]) : null;
                if (what == "reaction" && id is { } reaction) reactions.Add(reaction);
                sent.Add(new Sent(what, $"w{worker}-{i}", answer, id));
            }
        })));

        await barrage.StopAsync();

        var answers = sent.ToList();
        figures.Add("commands sent", answers.Count);
        figures.Add("commands acknowledged", answers.Count(s => s.Answer!.Status is >= 200 and < 300));
        figures.Add("acknowledged during the fault", figures["commands acknowledged"]);
        figures.Add("refused", answers.Count(s => s.Answer!.Status is >= 400 and < 500));
        figures.Add("5xx", answers.Count(s => s.Answer!.Status >= 500));

        // Every acknowledged command's events exist exactly once; refused ones added none.
        var duplicated = 0L;
        var lost = 0L;
        foreach (var ok in answers.Where(s => s.Answer!.Status is >= 200 and < 300 && s.What is "session" or "reaction"))
        {
            var count = await fixture.CountEventsAsync(ok.What == "session" ? "session_recorded" : "reaction_reported",
                ok.What == "session" ? "sessionId" : "reactionId", ok.Id!.Value.ToString());
            if (count == 0) lost++;
            if (count > 1) duplicated += count - 1;
        }
        var events = await TestDatabase.StreamAsync(fixture.ConnectionString, ProcessFixture.EventSchema, client);
        long Stored(string type) => events.Count(e => e.Type == type);
        long Acknowledged(string what) => answers.Count(s => s.What == what && s.Answer!.Status is >= 200 and < 300);
        foreach (var (what, type) in new[] { ("session", "session_recorded"), ("reaction", "reaction_reported"), ("resolve", "reaction_resolved"), ("resume", "course_resumed") })
        {
            lost += Math.Max(0, Acknowledged(what) - Stored(type));
            duplicated += Math.Max(0, Stored(type) - Acknowledged(what));
        }
        var etags = answers.Where(s => s.Answer!.Status is >= 200 and < 300).Select(s => s.Answer!.Header("ETag")).ToList();
        figures.Add("events lost", lost);
        figures.Add("acknowledged found", figures["commands acknowledged"] - lost);
        figures.Add("events duplicated", duplicated);
        figures.Add("events in the record", events.Count);
        figures.Report();
        Assert.Equal(0, figures["5xx"]);
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
        Assert.Equal(etags.Count, etags.Distinct().Count());
        Assert.True(figures["commands acknowledged"] > 0 && figures["refused"] > 0, "the load should both land and be refused");

        // The invariants, on the stored events: no session on a paused course, none closer than the protocol allows.
        var paused = false;
        DateOnly? previous = null;
        var minDays = (await api.Api.Get(token, "/api/protocol")).Json.GetProperty("minDaysBetweenCourseSessions").GetInt32();
        foreach (var (_, type, data) in events)
        {
            if (type == "course_paused") paused = true;
            if (type == "course_resumed") paused = false;
            if (type != "session_recorded") continue;
            Assert.False(paused, $"session {data} on a paused course");
            var day = DateOnly.FromDateTime(data.GetProperty("performedAt").GetDateTimeOffset().UtcDateTime);
            if (previous is { } before) Assert.True(day.DayNumber - before.DayNumber >= minDays, $"sessions on {before} and {day}");
            previous = day;
        }

        // The state the service serves equals a replay of the events.
        var replayed = (await api.Api.Get(Tokens.For(Roles.Auditor, clinic), $"{c}/record")).Json.GetProperty("record").GetProperty("courses").GetProperty(course.ToString());
        var projected = (await api.Api.Get(token, $"{c}/courses/{course}")).Json;
        Assert.Equal(replayed.GetProperty("status").GetString(), projected.GetProperty("status").GetString());
        Assert.Equal(replayed.GetProperty("sessions").EnumerateArray().Count(s => !s.GetProperty("isMaintenance").GetBoolean()),
            projected.GetProperty("sessionsCompleted").GetInt32());
        Assert.Equal(Stored("session_recorded"), projected.GetProperty("sessionsCompleted").GetInt32());
    }

    [Fact]
    public async Task A_kill_9_under_load_loses_and_duplicates_nothing_and_retries_with_the_same_key_append_once()
    {
        var figures = new Figures("crash");
        var clinic = $"rel-crash-{Guid.NewGuid():N}";
        var reception = Tokens.For(Roles.Reception, clinic);
        var sent = new ConcurrentBag<Sent>();
        object Registration(string key) => new { fullName = $"Crash {key}", dateOfBirth = "1985-05-05" };
        object Booking() => new { scheduledAt = At(DateTimeOffset.UtcNow.AddDays(3)), practitionerId = Practitioner, concerns = new[] { "fineLines" } };
        var target = Scale.Count(150, 3000);

        await using (var first = await fixture.StartAsync("crash-1"))
        {
            // The same key sent concurrently: one set of events.
            var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => first.Api.Post(reception, "/api/clients", Registration("burst"), "burst")));
            Assert.All(burst, a => Assert.Equal(201, a.Status));
            Assert.Single(burst.Select(a => a.Json.GetProperty("clientId").GetGuid()).Distinct());
            sent.Add(new Sent("register", "burst", burst[0], burst[0].Json.GetProperty("clientId").GetGuid()));
            figures.Add("commands sent", burst.Length);
            var barrage = await BadInputBarrage.StartAsync(first.Api, figures, nodeMayDie: true);

            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 16).Select(worker => Task.Run(async () =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var key = $"c{worker}-{i}";
                    try
                    {
                        var answer = await first.Api.Post(reception, "/api/clients", Registration(key), key);
                        var id = answer.Status == 201 ? answer.Json.GetProperty("clientId").GetGuid() : (Guid?)null;
                        sent.Add(new Sent("register", key, answer, id));
                        if (id is null) continue;
                        var booked = await first.Api.Post(reception, $"/api/clients/{id}/consultations", Booking(), key + "-b");
                        sent.Add(new Sent("book", key + "-b", booked, booked.Status == 201 ? booked.Json.GetProperty("consultationId").GetGuid() : null));
                    }
                    catch (HttpRequestException)
                    {
                        sent.Add(new Sent("register", key, null, null));
                        return;
                    }
                }
            })).ToList();
            // A worker that lost its connection has stopped: the kill comes then, whatever the count.
            await Eventually.True(() => sent.Count(s => s.Answer?.Status == 201) >= target || workers.Any(w => w.IsCompleted),
                TimeSpan.FromMinutes(3), $"{target} commands acknowledged before the kill", TimeSpan.FromMilliseconds(50));
            first.Kill();
            figures.Add("faults injected (kill -9)");
            await stop.CancelAsync();
            await Task.WhenAll(workers);
            await barrage.StopAsync();
        }

        var answers = sent.ToList();
        figures.Add("commands sent", answers.Count);
        figures.Add("commands acknowledged", answers.Count(s => s.Answer?.Status is >= 200 and < 300));
        figures.Add("cut off by the kill", answers.Count(s => s.Answer is null));
        figures.Add("5xx", answers.Count(s => s.Answer?.Status >= 500));

        await using (var second = await fixture.StartAsync("crash-2"))
        {
            long lost = 0, duplicated = 0;
            foreach (var ok in answers.Where(s => s.Answer?.Status == 201))
            {
                var count = ok.What == "register"
                    ? await fixture.CountEventsAsync("client_registered", "clientId", ok.Id!.Value.ToString())
                    : await fixture.CountEventsAsync("consultation_booked", "consultationId", ok.Id!.Value.ToString());
                if (count == 0) lost++;
                if (count > 1) duplicated += count - 1;
            }

            // Retrying every registration after the crash, with its key: acknowledged ones replay, the rest land once.
            foreach (var retry in answers.Where(s => s.What == "register"))
            {
                var again = await second.Api.Post(reception, "/api/clients", Registration(retry.Key), retry.Key);
                figures.Add("retries after the crash");
                if (again.Status >= 500) figures.Add("5xx");
                Assert.Equal(201, again.Status);
                if (retry.Answer?.Status == 201)
                {
                    Assert.Equal("true", again.Header("Idempotent-Replayed"));
                    Assert.Equal(retry.Id, again.Json.GetProperty("clientId").GetGuid());
                }
            }
            var keys = answers.Where(s => s.What == "register").Select(s => s.Key).Distinct().Count();
            var registered = await fixture.ScalarAsync(
                $"select count(*) from {ProcessFixture.EventSchema}.mt_events where type = 'client_registered' and tenant_id = @clinic", ("clinic", clinic));
            duplicated += Math.Max(0, registered - keys);
            lost += Math.Max(0, keys - registered);

            var caughtUp = await fixture.WaitForProjectionsAsync(TimeSpan.FromSeconds(120));
            figures.Add("projection catch-up ms", (long)caughtUp.TotalMilliseconds);
            figures.Add("events lost", lost);
            figures.Add("acknowledged found", figures["commands acknowledged"] - lost);
            figures.Add("events duplicated", duplicated);
        }
        figures.Add("read model rows equal to a rebuild", await fixture.AssertReadModelsEqualRebuildAsync());
        figures.Report();
        Assert.Equal(0, figures["events lost"]);
        Assert.Equal(0, figures["events duplicated"]);
        Assert.Equal(0, figures["5xx"]);
        Assert.True(figures["commands acknowledged"] > 0);
    }

    [Fact]
    public async Task When_the_node_running_the_projections_dies_the_other_takes_over_within_10_s_and_misses_nothing()
    {
        var takeover = await Takeover.MeasureAsync(new Figures("failover (kill -9)"), fixture, () => fixture.StartAsync("failover-first"),
            first =>
            {
                first.Kill();
                return Task.CompletedTask;
            });
        Assert.True(takeover <= TimeSpan.FromSeconds(10), $"the standby took over after {takeover.TotalSeconds:0.0} s (target 10 s)");
    }
}
