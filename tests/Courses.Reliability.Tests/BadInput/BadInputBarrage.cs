using Courses.Reliability.Tests.Harness;

namespace Courses.Reliability.Tests.BadInput;

/// <summary>
/// The bad-input corpus sent, one request after another, to a node while a fault check does its worst: a service under
/// a fault still answers a caller's mistake with a 4xx problem without internals — or, while its database is down, with
/// a 503 — and never with another 5xx. Counts go into the fault's figures: bad inputs tried, 5xx, 503, cut off.
/// </summary>
public sealed class BadInputBarrage
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task running;
    private readonly List<string> failures = [];

    private BadInputBarrage(ApiClient api, List<WriteRoute> routes, Figures figures, bool nodeMayDie) =>
        running = Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                foreach (var bad in Corpus.Generate(routes, seed: 100 + round, truncations: 3))
                {
                    if (stop.IsCancellationRequested) return;
                    Answer answer;
                    try
                    {
                        answer = await BadInputCorpusTests.SendAsync(api, bad, stop.Token);
                    }
                    catch (OperationCanceledException) when (stop.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (HttpRequestException) when (stop.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (HttpRequestException) when (bad.Body.Length > Corpus.BodyLimit)
                    {
                        // Kestrel answers an oversized body 413 and closes the connection without reading the rest: the
                        // client may see the close before the answer. Refused either way, nothing read.
                        figures.Add("bad inputs tried");
                        figures.Add("bad inputs over the body limit, closed before the answer");
                        continue;
                    }
                    catch (HttpRequestException e)
                    {
                        // The node died under it (kill -9): the request was cut off, not answered.
                        figures.Add("bad inputs cut off");
                        if (!nodeMayDie) lock (failures) failures.Add($"cut off: {bad}\n    → {e}");
                        return;
                    }
                    figures.Add("bad inputs tried");
                    if (answer.Status == 503) figures.Add("bad inputs answered 503");
                    else if (answer.Status >= 500) figures.Add("bad inputs 5xx");
                    var wrong = Verdicts.Wrong(answer, bad.ToString(), foundIsFine: false);
                    if (wrong is not null && !(answer.Status == 503 && answer.IsProblem && !BadInputCorpusTests.Leaks(answer.Body)))
                        lock (failures) failures.Add(wrong);
                }
            }
        });

    /// <summary>Builds the routes on a record of the node's database (clinic A), then sends until stopped.</summary>
    /// <paramref name="nodeMayDie"/>: the fault kills the node, so a request cut off is expected (and ends the barrage).
    public static async Task<BadInputBarrage> StartAsync(ApiClient api, Figures figures, bool nodeMayDie = false) =>
        new(api, await BadInputCorpusTests.RoutesAsync(api), figures, nodeMayDie);

    /// <summary>Stops sending and fails if any bad input got a 2xx, a 5xx other than 503, or internals.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        await running;
        stop.Dispose();
        lock (failures)
            Assert.True(failures.Count == 0, $"{failures.Count} bad inputs answered wrongly beside the fault:\n" + string.Join("\n", failures.Take(20)));
    }
}
