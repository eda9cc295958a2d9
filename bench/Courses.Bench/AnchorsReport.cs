using System.Text;
using System.Text.Json;

namespace Courses.Bench;

/// <summary>The "Anchors" section of latest.md: RecordSession against its anchors, level by level, with the ratios of issue 18.</summary>
public static class AnchorsReport
{
    private static string F(double value, string format = "F0") => Report.F(value, format);

    private static string Ratio(double ours, double anchor) => anchor > 0 ? F(100 * ours / anchor, "F1") + " %" : "—";

    /// <summary>The section, when this run measured the anchors (an anchors.json older than the run is another run's).</summary>
    public static void AppendTo(StringBuilder md, Results r, string dir, JsonSerializerOptions json)
    {
        var file = new FileInfo(Path.Combine(dir, Anchors.File));
        if (!file.Exists || file.LastWriteTimeUtc < r.StartedAt.UtcDateTime) return;
        var anchors = JsonSerializer.Deserialize<AnchorResults>(File.ReadAllText(file.FullName), json)!;
        md.AppendLine();
        foreach (var line in Lines(anchors, r)) md.AppendLine(line);
    }

    public static IEnumerable<string> Lines(AnchorResults a, Results? r)
    {
        AnchorLevel? Of(string target, int workers) => a.Levels.FirstOrDefault(l => l.Target == target && l.Workers == workers);
        yield return "## Anchors: RecordSession against what it could be (issue 18)";
        yield return "";
        yield return "Measured in one run, level by level (the service and the bare app in turn, alternating which goes first), so the " +
                     "ratios hold on a shared machine where the absolute figures drift. Rates are RecordSession alone on seeded courses " +
                     "(10 sessions each); the command mix of section 2 is given for comparison.";
        yield return "";
        yield return "| workers | one-insert tx/s | bare SQL tx/s | bare Critter Stack /s | service /s | service ÷ bare SQL | service ÷ bare Critter | service ÷ one-insert | command mix /s |";
        yield return "|---|---|---|---|---|---|---|---|---|";
        foreach (var n in a.Levels.Select(l => l.Workers).Distinct().Order())
        {
            var (sql, bare, ours) = (Of(Anchors.Sql, n), Of(Anchors.Bare, n), Of(Anchors.Ours, n));
            var insert = Of(Anchors.Insert, n)?.PerSecond ?? double.NaN;
            var mix = r?.Commands.FirstOrDefault(c => c.Workers == n)?.CommandsPerSecond ?? double.NaN;
            var o = ours?.PerSecond ?? double.NaN;
            yield return $"| {n} | {F(insert)} | {F(sql?.PerSecond ?? double.NaN)} | {F(bare?.PerSecond ?? double.NaN)} | {F(o)} | " +
                         $"{Ratio(o, sql?.PerSecond ?? 0)} | {Ratio(o, bare?.PerSecond ?? 0)} | {Ratio(o, double.IsNaN(insert) ? 0 : insert)} | {F(mix)} |";
        }
        var top = a.Levels.Count == 0 ? 0 : a.Levels.Max(l => l.Workers);
        if (Of(Anchors.Ours, top) is { } service)
        {
            string Verdict(double ratio, double target) => double.IsNaN(ratio) ? "—" : ratio >= target ? "pass" : "**fail**";
            var toSql = service.PerSecond / (Of(Anchors.Sql, top)?.PerSecond ?? double.NaN);
            var toBare = service.PerSecond / (Of(Anchors.Bare, top)?.PerSecond ?? double.NaN);
            var toInsert = service.PerSecond / (Of(Anchors.Insert, top)?.PerSecond ?? double.NaN);
            yield return "";
            yield return $"Targets at {top} workers: service ≥ 10 % of one-insert: {Verdict(toInsert, 0.10)}; ≥ 50 % of bare SQL: " +
                         $"{Verdict(toSql, 0.50)}; ≥ 80 % of bare Critter Stack: {Verdict(toBare, 0.80)}.";
        }
        yield return "";
        yield return "| anchor | workers | per s | p50 / p99 ms | CPU per command: server / PostgreSQL / load generator (ms) | methods JIT'd in the window | note |";
        yield return "|---|---|---|---|---|---|---|";
        foreach (var l in a.Levels.OrderBy(l => l.Workers).ThenBy(l => l.Target))
        {
            var latency = l.Target == Anchors.Sql ? $"{F(l.P50Ms, "F1")} (mean)" : l.Target == Anchors.Insert ? "—" : $"{F(l.P50Ms, "F1")} / {F(l.P99Ms, "F1")}";
            yield return $"| {l.Target} | {l.Workers} | {F(l.PerSecond)} | {latency} | {F(l.ServerCpuMs, "F2")} / {F(l.PostgresCpuMs, "F2")} / " +
                         $"{F(l.LoadCpuMs, "F2")} | {F(l.JitMethods)} | {l.Note} |";
        }
        yield return "";
        yield return "- Bare Critter Stack: bench/Courses.Bare, the same decision (RecordSessionDecision), the same tables and inline read models " +
                     "(Marten's defaults otherwise: dynamic code generation, no sticky connections), Wolverine's durable outbox; no " +
                     "authentication, idempotency, hash chain, rate limits, access log, metrics middleware or webhook lookup.";
        yield return "- One-insert: the Baseline of section 1 (one small INSERT per transaction, prepared, Npgsql), measured again here within the same run.";
        yield return "- Bare SQL: CPU per transaction has no server column (there is none); pgbench is the load generator. Its script, " +
                     $"captured in this run, is in {Anchors.File} (BareSqlScript).";
        foreach (var note in a.Notes) yield return $"- {note}";
    }
}
