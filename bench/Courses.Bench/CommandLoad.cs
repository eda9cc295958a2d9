using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Npgsql;

namespace Courses.Bench;

/// <summary>
/// N workers, each driving its own clients through <see cref="ClinicStory"/> back to back until the time is up.
/// With <c>measureLag</c>, about every 50 ms a just-acknowledged command is sampled: the highest event sequence right
/// after its acknowledgement, then the time until the async ClinicMonthlyStats projection has passed it.
/// </summary>
public static class CommandLoad
{
    public const string LagProjection = "ClinicMonthlyStats:All";

    public static async Task<(CommandLevel Level, ProjectionLag? Lag)> RunAsync(Api api, Tokens tokens, NpgsqlDataSource db,
        int workers, TimeSpan duration, double baselineTxPerSecond, bool measureLag, ConcurrentBag<BenchClient> clients)
    {
        var latencies = new Latencies();
        long commands = 0, errors = 0;
        var firstErrors = new ConcurrentQueue<string>();
        var started = 0;
        var watch = Stopwatch.StartNew();
        var deadline = duration;
        bool Stop() => watch.Elapsed >= deadline;

        // Lag sampling: workers post acknowledgement times; the sampler reads max(seq_id); the poller watches progression.
        var acks = Channel.CreateUnbounded<long>();
        long lastSample = 0;
        var samples = new ConcurrentQueue<(long AckTicks, long Sequence)>();
        var lags = new Latencies();
        var unresolved = 0;
        using var samplingDone = new CancellationTokenSource();
        Task sampler = Task.CompletedTask, poller = Task.CompletedTask;
        if (measureLag)
        {
            sampler = Task.Run(async () =>
            {
                await using var connection = await db.OpenConnectionAsync();
                await using var max = new NpgsqlCommand("select coalesce(max(seq_id), 0) from courses_events.mt_events", connection);
                await foreach (var ack in acks.Reader.ReadAllAsync())
                    samples.Enqueue((ack, Convert.ToInt64(await max.ExecuteScalarAsync())));
            });
            poller = Task.Run(async () =>
            {
                await using var connection = await db.OpenConnectionAsync();
                await using var progress = new NpgsqlCommand(
                    "select coalesce(max(last_seq_id), 0) from courses_events.mt_event_progression where name = $1", connection);
                progress.Parameters.Add(new NpgsqlParameter { Value = LagProjection });
                var pending = new List<(long AckTicks, long Sequence)>();
                var giveUpAt = long.MaxValue;
                while (true)
                {
                    while (samples.TryDequeue(out var sample)) pending.Add(sample);
                    var done = samplingDone.IsCancellationRequested && sampler.IsCompleted && samples.IsEmpty;
                    if (done && giveUpAt == long.MaxValue) giveUpAt = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
                    if (pending.Count > 0)
                    {
                        var reached = Convert.ToInt64(await progress.ExecuteScalarAsync());
                        var now = Stopwatch.GetTimestamp();
                        foreach (var sample in pending.Where(s => s.Sequence <= reached))
                            lags.Add((now - sample.AckTicks) * 1000.0 / Stopwatch.Frequency);
                        pending.RemoveAll(s => s.Sequence <= reached);
                    }
                    if (done && (pending.Count == 0 || Stopwatch.GetTimestamp() > giveUpAt)) { unresolved = pending.Count; break; }
                    await Task.Delay(10);
                }
            });
        }

        var tasks = Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var rng = new Random(worker * 7919 + Environment.TickCount);
            var mine = new List<double>();
            while (!Stop())
            {
                Interlocked.Increment(ref started);
                var client = await ClinicStory.RunAsync(api, tokens, rng, Stop, answer =>
                {
                    mine.Add(answer.Ms);
                    Interlocked.Increment(ref commands);
                    if (!answer.Ok)
                    {
                        Interlocked.Increment(ref errors);
                        if (firstErrors.Count < 5) firstErrors.Enqueue(answer.Failure ?? $"status {answer.Status}");
                    }
                    else if (measureLag)
                    {
                        var now = Stopwatch.GetTimestamp();
                        var last = Interlocked.Read(ref lastSample);
                        if (now - last > Stopwatch.Frequency / 20 && Interlocked.CompareExchange(ref lastSample, now, last) == last)
                            acks.Writer.TryWrite(now);
                    }
                });
                if (client is not null) clients.Add(client);
            }
            latencies.AddRange(mine);
        })).ToList();
        await Task.WhenAll(tasks);
        var seconds = watch.Elapsed.TotalSeconds;

        ProjectionLag? lag = null;
        if (measureLag)
        {
            acks.Writer.Complete();
            await sampler;
            samplingDone.Cancel();
            await poller;
            lag = new ProjectionLag(workers, lags.Count + unresolved, unresolved, lags.P(50), lags.P(99), lags.P(100));
        }

        var rate = commands / seconds;
        var level = new CommandLevel(workers, seconds, commands, rate, latencies.P(50), latencies.P(95), latencies.P(99), errors,
            started, baselineTxPerSecond > 0 ? rate / baselineTxPerSecond : double.NaN, [.. firstErrors]);
        return (level, lag);
    }
}
