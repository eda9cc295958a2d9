using System.Collections.Concurrent;
using System.Diagnostics;
using Courses.Api.Http;
using Courses.Reliability.Tests.BadInput;
using Courses.Reliability.Tests.Harness;

namespace Courses.Reliability.Tests.Faults;

public sealed class DatabaseRestartTests
{
    private sealed record Sent(string Key, Answer? Answer, Guid? Id, TimeSpan Took, bool WhileDown);

    [Fact]
    public async Task Restarting_PostgreSQL_under_load_answers_503_while_down_then_recovers_and_loses_nothing()
    {
        var figures = new Figures("database-restart");
        await using var cluster = await PrivateCluster.StartAsync();
        var connection = cluster.ConnectionString("courses_rel_restart");
        await TestDatabase.EnsureExistsAsync(connection);
        await ApiProcess.ApplySchemaAsync(connection);
        await using var api = await ApiProcess.StartAsync(connection, "restart");
        var token = Tokens.For(Roles.Reception, "rel-restart");
        var sent = new ConcurrentBag<Sent>();
        var down = false;
        using var stop = new CancellationTokenSource();

        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"r{worker}-{i}";
                var wasDown = Volatile.Read(ref down);
                var clock = Stopwatch.StartNew();
                var answer = await api.Api.Post(token, "/api/clients", new { fullName = $"Restart {key}", dateOfBirth = "1970-01-01" }, key);
                sent.Add(new Sent(key, answer, answer.Status == 201 ? answer.Json.GetProperty("clientId").GetGuid() : null, clock.Elapsed, wasDown));
                if (answer.Status != 201) await Task.Delay(50);
            }
        })).ToList();

        var load = Scale.Count(40, 1000);
        await Eventually.True(() => sent.Count(s => s.Answer?.Status == 201) >= load, TimeSpan.FromMinutes(3), "load before the restart");
        var barrage = await BadInputBarrage.StartAsync(api.Api, figures);
        await cluster.StopServerAsync();
        Volatile.Write(ref down, true);
        figures.Add("faults injected (PostgreSQL stopped)");
        await Eventually.True(async () => (await api.Api.Get(null, "/health/ready")).Status == 503, TimeSpan.FromSeconds(30), "/health/ready answering 503");
        await Eventually.True(() => sent.Count(s => s.WhileDown) >= 50, TimeSpan.FromSeconds(60), "commands while down");
        var whileDown = sent.Where(s => s.WhileDown).ToList();

        await cluster.StartServerAsync();
        Volatile.Write(ref down, false);
        var restarted = Stopwatch.StartNew();
        await Eventually.True(async () => (await api.Api.Get(null, "/health/ready")).Status == 200, TimeSpan.FromSeconds(60), "/health/ready answering 200 again");
        figures.Add("ready again ms", restarted.ElapsedMilliseconds);
        var before = sent.Count(s => s.Answer?.Status == 201);
        await Eventually.True(() => sent.Count(s => s.Answer?.Status == 201) >= before + 20, TimeSpan.FromSeconds(60), "commands after the restart");
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        await barrage.StopAsync();

        var answers = sent.ToList();
        figures.Add("commands sent", answers.Count);
        figures.Add("commands acknowledged", answers.Count(s => s.Answer?.Status == 201));
        figures.Add("acknowledged during the fault", whileDown.Count(s => s.Answer?.Status == 201));
        figures.Add("5xx", answers.Count(s => s.Answer?.Status >= 500));
        figures.Add("503 while down", whileDown.Count(s => s.Answer?.Status == 503));
        figures.Add("5xx other than 503", answers.Count(s => s.Answer?.Status is >= 500 and not 503));
        figures.Add("slowest answer while down ms", (long)whileDown.Max(s => s.Took).TotalMilliseconds);

        long lost = 0, duplicated = 0;
        await using (var db = new Npgsql.NpgsqlConnection(connection))
        {
            await db.OpenAsync();
            foreach (var ok in answers.Where(s => s.Answer?.Status == 201))
            {
                await using var count = new Npgsql.NpgsqlCommand(
                    "select count(*) from courses_events.mt_events where type = 'client_registered' and data->>'clientId' = @id", db);
                count.Parameters.AddWithValue("id", ok.Id!.Value.ToString());
                var n = (long)(await count.ExecuteScalarAsync())!;
                if (n == 0) lost++;
                if (n > 1) duplicated += n - 1;
            }
        }
        figures.Add("events lost", lost);
        figures.Add("acknowledged found", figures["commands acknowledged"] - lost);
        figures.Add("events duplicated", duplicated);
        figures.Report();

        Assert.Equal(0, figures["5xx other than 503"]);
        Assert.All(whileDown.Where(s => s.Answer?.Status != 201), s =>
        {
            Assert.Equal(503, s.Answer!.Status);
            Assert.True(s.Answer.IsProblem);
            Assert.NotNull(s.Answer.Header("Retry-After"));
            Assert.False(BadInput.BadInputCorpusTests.Leaks(s.Answer.Body), s.Answer.Body);
        });
        Assert.True(whileDown.Max(s => s.Took) < TimeSpan.FromSeconds(15), "a command hung while the database was down");
        Assert.Equal(0, lost);
        Assert.Equal(0, duplicated);
    }
}
