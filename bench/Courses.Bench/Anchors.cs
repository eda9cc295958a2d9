using System.Collections.Concurrent;
using System.Text.Json;
using Npgsql;

namespace Courses.Bench;

/// <summary>One implementation of RecordSession at one concurrency, with CPU per command from /proc.</summary>
public sealed record AnchorLevel(string Target, int Workers, double Seconds, long Commands, double PerSecond, double P50Ms, double P99Ms,
    long Errors, double ServerCpuMs, double PostgresCpuMs, double LoadCpuMs, string Note, double JitMethods = double.NaN);

public sealed class AnchorResults
{
    public string Mode { get; set; } = "full";
    public List<AnchorLevel> Levels { get; set; } = [];
    public string BareSqlScript { get; set; } = "";
    public List<string> Notes { get; set; } = [];
}

/// <summary>
/// The anchors of bench/run (issue 18): RecordSession against the service, against a bare Wolverine.Http + Marten app
/// (bench/Courses.Bare) on the same tables, and its own SQL replayed bare by pgbench (see <see cref="BareSql"/>), each
/// at the bench's concurrencies. The service and the bare app are measured in turn at each level, on courses seeded
/// through the service beforehand; the order alternates from level to level so that drift of a shared machine does
/// not always favour the same one.
/// </summary>
public static class Anchors
{
    public const string File = "anchors.json";
    public const string Ours = "service", Bare = "bare Critter Stack", Sql = "bare SQL (pgbench)", Insert = "one-insert (Baseline)";

    private static string Arg(string[] args, string name, string fallback = "")
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    public static async Task<int> RunAsync(Options options, string[] args, NpgsqlDataSource db, Action<string> say)
    {
        var results = new AnchorResults { Mode = options.Quick ? "quick" : "full" };
        var tokens = new Tokens(options.ReceptionToken, options.PractitionerToken, options.AuditorToken);
        using var ours = new Api(options.BaseUrl);
        using var bare = new Api(Arg(args, "--bare-url").TrimEnd('/'));
        var barePid = int.Parse(Arg(args, "--bare-pid", "0"));
        // A quick run (scripts/test's smoke test) only shows every anchor still runs: one level is enough for that.
        int[] levels = options.Quick ? [8] : options.Concurrency;
        var duration = options.LevelDuration;
        // Enough courses (10 sessions each) for a level at up to 300 sessions/s with one worker and 1 000/s with more; a
        // level that still runs out stops early, and says so.
        int CoursesFor(int workers) => options.Quick ? workers + 2
            : (int)Math.Ceiling(duration.TotalSeconds * (workers == 1 ? 300 : 1_000) / 10);

        var seedStart = DateTime.UtcNow;
        var warmCount = options.Quick ? 8 : 150;
        var seeded = new ConcurrentQueue<SeededCourse>(await SessionLoad.SeedAsync(ours, tokens,
            1 + levels.Sum(n => 2 * CoursesFor(n)), 32));
        say($"anchors: {seeded.Count} courses seeded through the service in {(DateTime.UtcNow - seedStart).TotalSeconds:F0} s");
        ConcurrentQueue<SeededCourse> Take(int count)
        {
            var taken = new ConcurrentQueue<SeededCourse>();
            for (var i = 0; i < count && seeded.TryDequeue(out var course); i++) taken.Enqueue(course);
            return taken;
        }
        var capture = Take(1).Single();

        static string OurPath(SeededCourse c) => $"/api/clients/{c.ClientId}/courses/{c.CourseId}/sessions";
        static string BarePath(SeededCourse c) => $"/clients/{c.ClientId}/courses/{c.CourseId}/sessions";
        var targets = new (string Name, Api Api, Func<SeededCourse, string> Path, int Pid)[]
            { (Ours, ours, OurPath, options.ApiPid), (Bare, bare, BarePath, barePid) };
        var jits = new Dictionary<string, JitWatch?>
            { [Ours] = options.Quick ? null : JitWatch.Attach(options.ApiPid), [Bare] = options.Quick ? null : JitWatch.Attach(barePid) };

        // Warm-up of both until their runtimes stop compiling (JIT, pools, first use of the route; the bare app also
        // compiles its generated code then), not reported.
        foreach (var (name, api, path, _) in targets)
        {
            var warmed = 0L;
            await JitWatch.WarmAsync(jits[name], async d =>
            {
                // The warm-up seeds its own courses, step by step: it lasts until the JIT is flat, however long that is,
                // and must not eat into the levels' courses.
                var courses = new ConcurrentQueue<SeededCourse>(await SessionLoad.SeedAsync(ours, tokens, warmCount, 32));
                var warm = await SessionLoad.RunAsync(name, api, tokens.Practitioner, path, courses, 8, d);
                warmed += warm.Commands;
                foreach (var error in warm.FirstErrors) say($"  error: {error}");
            }, options.Quick ? 2 : options.WarmupSeconds, options.JitFlat, line => say($"anchors, the {name}: {line}"));
            say($"anchors: warm-up of the {name}: {warmed} sessions");
        }

        for (var l = 0; l < levels.Length; l++)
        {
            var n = levels[l];
            var insertCpu = Cpu.Read(0, options.PostgresPid);
            var insert = await Baseline.RunAsync(db, n, duration);
            var insertUsed = Cpu.Read(0, options.PostgresPid) - insertCpu;
            results.Levels.Add(new AnchorLevel(Insert, n, insert.Seconds, insert.Transactions, insert.TxPerSecond, double.NaN, double.NaN, 0,
                double.NaN, insertUsed.Postgres / Math.Max(1, insert.Transactions), insertUsed.Load / Math.Max(1, insert.Transactions), ""));
            say($"anchors: {Insert,-20} {n,2} connections: {insert.TxPerSecond:F0} tx/s");
            foreach (var (name, api, path, pid) in l % 2 == 0 ? targets : targets.Reverse())
            {
                var courses = Take(CoursesFor(n));
                var before = Cpu.Read(pid, options.PostgresPid);
                var service = CpuTime.OfProcess(options.ApiPid);
                var compiled = jits[name]?.Compiled;
                var level = await SessionLoad.RunAsync(name, api, tokens.Practitioner, path, courses, n, duration);
                var jitted = jits[name] is { } jit ? jit.Compiled - compiled!.Value : double.NaN;
                var used = Cpu.Read(pid, options.PostgresPid) - before;
                service = CpuTime.OfProcess(options.ApiPid) - service;
                var per = Math.Max(1, level.Commands);
                var note = level.RanOutOfCourses ? $"ran out of seeded courses after {level.Seconds:F1} s" : "";
                // The service's async daemon projects the bare app's events too: CPU the bare app's server column lacks.
                if (pid != options.ApiPid) note = $"{note} service meanwhile (its async daemon): {service / per:F2} ms a command".Trim();
                results.Levels.Add(new AnchorLevel(name, n, level.Seconds, level.Commands, level.CommandsPerSecond, level.P50Ms, level.P99Ms,
                    level.Errors, used.Server / per, used.Postgres / per, used.Load / per, note, jitted));
                say($"anchors: {name,-20} {n,2} workers: {level.CommandsPerSecond:F0}/s p50 {level.P50Ms:F1} p99 {level.P99Ms:F1} ms, " +
                    $"{level.Errors} errors; CPU per command: server {used.Server / per:F2} ms, PostgreSQL {used.Postgres / per:F2} ms, " +
                    $"load generator {used.Load / per:F2} ms {note}");
                foreach (var error in level.FirstErrors) say($"  error: {error}");
            }
        }

        var bareSql = new BareSql(db, Arg(args, "--baresql-connection"), Arg(args, "--pg-log"), Arg(args, "--pg-bin"), options, say);
        var script = await bareSql.CaptureAsync(ours, tokens, capture);
        results.BareSqlScript = script.Text;
        results.Notes.AddRange(script.Notes);
        Console.WriteLine("== the captured RecordSession as a pgbench script");
        Console.WriteLine(script.Text);
        foreach (var note in script.Notes) say($"anchors: {note}");
        foreach (var n in levels)
        {
            var level = await bareSql.RunAsync(script, capture, n);
            results.Levels.Add(level);
            say($"anchors: {Sql,-20} {n,2} clients: {level.PerSecond:F0} tx/s; CPU per transaction: PostgreSQL {level.PostgresCpuMs:F2} ms, " +
                $"pgbench {level.LoadCpuMs:F2} ms {level.Note}");
        }

        foreach (var jit in jits.Values) if (jit is not null) await jit.DisposeAsync();
        foreach (var line in AnchorsReport.Lines(results, null)) Console.WriteLine(line);

        var json = new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
        await System.IO.File.WriteAllTextAsync(Path.Combine(options.ResultsDir, File), JsonSerializer.Serialize(results, json));
        return results.Levels.Any(l => l.Errors > 0) ? 1 : 0;
    }
}

/// <summary>CPU used so far by a server process, PostgreSQL (live backends and exited ones) and this process (with the tools it ran).</summary>
public readonly record struct Cpu(double Server, double Postgres, double Load)
{
    public static Cpu Read(int serverPid, int postmasterPid)
    {
        var self = Environment.ProcessId;
        return new Cpu(serverPid > 0 ? CpuTime.OfProcess(serverPid) : 0,
            postmasterPid > 0 ? CpuTime.OfChildren(postmasterPid) + CpuTime.OfExitedChildren(postmasterPid) : 0,
            CpuTime.OfProcess(self) + CpuTime.OfExitedChildren(self));
    }

    public static Cpu operator -(Cpu a, Cpu b) => new(a.Server - b.Server, a.Postgres - b.Postgres, a.Load - b.Load);
}
