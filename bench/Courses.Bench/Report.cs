using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Courses.Bench;

/// <summary>latest.md (every figure, its target, pass/fail), latest.json and latency.dat (for the gnuplot chart).</summary>
public static class Report
{
    internal static string F(double value, string format = "F1") =>
        double.IsNaN(value) ? "—" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string Verdict(bool? pass) => pass switch { true => "pass", false => "**fail**", null => "" };

    /// <summary>What makes a run unusable (not slow: broken). bench/run exits non-zero on any of these.</summary>
    public static List<string> Broken(Results r)
    {
        var broken = new List<string>();
        if (r.Commands.Any(c => c.Errors > 0)) broken.Add("commands answered errors");
        if (r.Reads.Any(c => c.Errors > 0)) broken.Add("reads answered errors");
        if (r.Reads.Count < 3) broken.Add("not every read was measured");
        if (r.Lag is null || r.Lag.Samples == 0 || r.Lag.Unresolved > 0) broken.Add("projection lag not measured (or the projection never caught up)");
        if (r.Replay is null || double.IsNaN(r.Replay.SumMs) || !r.Replay.VerifyAnswer.Contains("intact")) broken.Add("audit replay failed");
        if (r.Rebuild is { ExitCode: not 0 }) broken.Add("rebuild failed");
        return broken;
    }

    public static void Write(Results r, string dir, JsonSerializerOptions json)
    {
        File.WriteAllText(Path.Combine(dir, "latest.json"), JsonSerializer.Serialize(r, json));

        var dat = new StringBuilder("# workers p50_ms p95_ms p99_ms commands_per_s\n");
        foreach (var c in r.Commands)
            dat.AppendLine(string.Join(' ', c.Workers, F(c.P50Ms, "F2"), F(c.P95Ms, "F2"), F(c.P99Ms, "F2"), F(c.CommandsPerSecond, "F1")));
        File.WriteAllText(Path.Combine(dir, "latency.dat"), dat.ToString());

        var m = r.Machine;
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark results ({r.Mode} run, {r.StartedAt:yyyy-MM-dd HH:mm} UTC)");
        md.AppendLine();
        md.AppendLine($"- Machine: {m.Cores} cores (`nproc`), {m.Memory} memory (MemTotal), {m.Dotnet}");
        md.AppendLine($"- PostgreSQL: {m.PostgresVersion}");
        md.AppendLine($"- Settings: {string.Join(", ", m.PostgresSettings.Select(s => $"`{s.Key}={s.Value}`"))}");
        md.AppendLine("- API and benchmark on the same machine as PostgreSQL, over loopback; API in Production mode (static generated code).");
        if (r.Mode == "quick") md.AppendLine("- **Quick mode**: every step small; shows the benchmark works, says nothing about speed.");
        md.AppendLine();
        md.AppendLine("| # | measure | value | target | result |");
        md.AppendLine("|---|---|---|---|---|");
        void Row(string n, string measure, string value, string target = "", bool? pass = null) =>
            md.AppendLine($"| {n} | {measure} | {value} | {target} | {Verdict(pass)} |");

        foreach (var b in r.Baseline)
            Row("1", $"baseline: INSERT transactions/s, {b.Connections} connections", F(b.TxPerSecond, "F0"));
        foreach (var c in r.Commands)
        {
            var top = c.Workers == r.Commands.Max(x => x.Workers);
            Row("2", $"commands/s, {c.Workers} workers ({c.Commands} commands, {c.ClientsStarted} clients)", F(c.CommandsPerSecond, "F0"));
            Row("2", $"commands ÷ baseline, {c.Workers} workers", F(c.RatioToBaseline * 100, "F1") + " %",
                top ? "≥ 35 %" : "", top ? c.RatioToBaseline >= 0.35 : null);
            Row("2", $"command latency p50 / p95 / p99, {c.Workers} workers", $"{F(c.P50Ms)} / {F(c.P95Ms)} / {F(c.P99Ms)} ms",
                top ? "p99 ≤ 50 ms" : "", top ? c.P99Ms <= 50 : null);
            Row("2", $"command errors, {c.Workers} workers", c.Errors.ToString(), "0", c.Errors == 0);
        }
        var commandRate = r.Commands.OrderBy(c => c.Workers).LastOrDefault()?.CommandsPerSecond ?? double.NaN;
        foreach (var read in r.Reads)
        {
            Row("3", $"`{read.Route}` requests/s, {read.Workers} workers", F(read.RequestsPerSecond, "F0"),
                $"≥ 5 × commands/s = {F(5 * commandRate, "F0")}", read.RequestsPerSecond >= 5 * commandRate);
            var due = read.Route.Contains("maintenance");
            Row("3", $"`{read.Route}` p50 / p99 ({read.Errors} errors)", $"{F(read.P50Ms)} / {F(read.P99Ms)} ms",
                due ? "p99 ≤ 20 ms" : "", due ? read.P99Ms <= 20 && read.Errors == 0 : read.Errors == 0 ? null : false);
        }
        if (r.Lag is { } lag)
            Row("4", $"projection lag (ClinicMonthlyStats) p50 / p99, {lag.Workers} workers, {lag.Samples} samples",
                $"{F(lag.P50Ms, "F0")} / {F(lag.P99Ms, "F0")} ms (max {F(lag.MaxMs, "F0")})", "p99 ≤ 1000 ms",
                lag.P99Ms <= 1000 && lag.Unresolved == 0);
        if (r.Rebuild is { } rb)
        {
            Row("5", "rebuild: events in the database", rb.Events.ToString("N0", CultureInfo.InvariantCulture),
                "≥ 1,000,000", rb.Events >= 1_000_000);
            Row("5", "rebuild: events/s (whole `projections rebuild` process)", $"{F(rb.EventsPerSecond, "F0")} ({F(rb.Seconds)} s)",
                "≥ 20 000", rb.EventsPerSecond >= 20_000 && rb.ExitCode == 0);
            Row("5", "rebuild: events/s without the host's start-up", $"{F(rb.EventsPerSecondExcludingStartup, "F0")} (start-up {F(rb.StartupSeconds)} s)");
            Row("5", "rebuild: peak memory (VmHWM)", $"{rb.PeakMemoryKb / 1024.0:F0} MiB");
        }
        else Row("5", "rebuild", "not run yet");
        if (r.Replay is { } rp)
        {
            Row("6", $"audit: `GET /record` of {rp.Events} events (median of 5)", $"{F(rp.RecordMs)} ms");
            Row("6", $"audit: `GET /history/verify` of {rp.Events} events (median of 5)", $"{F(rp.VerifyMs)} ms");
            // The target is for 500 events; a quick run replays fewer, so it gets no verdict.
            Row("6", "audit: replay + verify", $"{F(rp.SumMs)} ms", "≤ 50 ms at 500 events", rp.Events >= 500 ? rp.SumMs <= 50 : null);
        }
        md.AppendLine();
        foreach (var read in r.Reads) md.AppendLine($"- `{read.Route}`: {read.Dataset}.");
        if (r.Rebuild is { } x)
            md.AppendLine($"- Rebuild data: every event of this run plus `demo-data --clinic rebuild-clinic --clients {x.DemoClients}`, " +
                          $"copied in SQL into {x.Copies} more clinics (seeded in {F(x.SeedSeconds)} s); peak memory sampled every 20 ms " +
                          "from /proc/<pid>/status.");
        if (r.Replay is { } y) md.AppendLine($"- Audit replay: verify answered `{y.VerifyAnswer}`.");
        foreach (var c in r.Commands.Where(c => c.FirstErrors.Count > 0))
            foreach (var e in c.FirstErrors) md.AppendLine($"- Error at {c.Workers} workers: `{e.Replace('\n', ' ').Replace("`", "'")}`");
        foreach (var note in r.Notes) md.AppendLine($"- {note}");
        foreach (var broken in Broken(r)) md.AppendLine($"- **Broken run:** {broken}.");
        AnchorsReport.AppendTo(md, r, dir, json);
        md.AppendLine();
        md.AppendLine("![command latency against concurrency](latency.png)");
        File.WriteAllText(Path.Combine(dir, "latest.md"), md.ToString());
    }
}
