using System.Collections.Concurrent;
using System.Diagnostics;
using Courses.Testing;

namespace Courses.Bench;

/// <summary>A client whose course of <see cref="SessionLoad.SessionsPerCourse"/> sessions was planned; sessions follow from Start.</summary>
public sealed record SeededCourse(Guid ClientId, Guid CourseId, DateTimeOffset Start);

public sealed record SessionLevel(string Target, int Workers, double Seconds, long Commands, double CommandsPerSecond, double P50Ms,
    double P99Ms, long Errors, bool RanOutOfCourses, List<string> FirstErrors);

/// <summary>
/// RecordSession alone, for comparing one command across implementations: courses are seeded through the service's
/// API, then workers record their sessions in business-time order (0.5 mm on the face, 30 days apart, so no rule
/// refuses one), each worker taking the next course when one is complete.
/// </summary>
public static class SessionLoad
{
    /// <summary>The default protocol's most planned sessions: the most sessions one seeded course takes.</summary>
    public const int SessionsPerCourse = 10;

    public static async Task<List<SeededCourse>> SeedAsync(Api api, Tokens tokens, int count, int workers)
    {
        var seeded = new ConcurrentBag<SeededCourse>();
        var failures = new ConcurrentQueue<string>();
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var rng = new Random(worker * 104729 + Environment.TickCount);
            while (Interlocked.Increment(ref next) <= count && failures.IsEmpty)
            {
                var (client, start) = await ClinicStory.BeginCourseAsync(api, tokens, rng, () => false,
                    answer => { if (!answer.Ok) failures.Enqueue(answer.Failure ?? $"status {answer.Status}"); }, SessionsPerCourse);
                if (client?.CourseId is { } courseId) seeded.Add(new SeededCourse(client.ClientId, courseId, start));
            }
        })));
        if (!failures.IsEmpty) throw new InvalidOperationException($"Seeding courses failed: {failures.First()}");
        return [.. seeded];
    }

    public static object Body(SeededCourse course, int index) =>
        ClinicRequests.Session(course.Start.AddDays(2 + 30 * index), "bench-practitioner", 0.5m);

    /// <summary>
    /// Records sessions on the courses of <paramref name="courses"/> (each course's sessions in order, by one worker)
    /// until <paramref name="duration"/> has passed or the courses run out.
    /// </summary>
    public static async Task<SessionLevel> RunAsync(string target, Api api, string token, Func<SeededCourse, string> path,
        ConcurrentQueue<SeededCourse> courses, int workers, TimeSpan duration)
    {
        var latencies = new Latencies();
        long commands = 0, errors = 0;
        var ranOut = false;
        var firstErrors = new ConcurrentQueue<string>();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(_ => Task.Run(async () =>
        {
            var mine = new List<double>();
            while (watch.Elapsed < duration)
            {
                if (!courses.TryDequeue(out var course)) { ranOut = true; break; }
                for (var i = 0; i < SessionsPerCourse && watch.Elapsed < duration; i++)
                {
                    var answer = await api.Post(token, path(course), Body(course, i));
                    mine.Add(answer.Ms);
                    Interlocked.Increment(ref commands);
                    if (answer.Ok) continue;
                    Interlocked.Increment(ref errors);
                    if (firstErrors.Count < 5) firstErrors.Enqueue(answer.Failure ?? $"status {answer.Status}");
                    break;
                }
            }
            latencies.AddRange(mine);
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        return new SessionLevel(target, workers, seconds, commands, commands / seconds, latencies.P(50), latencies.P(99), errors, ranOut,
            [.. firstErrors]);
    }
}
