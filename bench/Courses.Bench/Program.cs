using System.Collections.Concurrent;
using System.Text.Json;
using Courses.Bench;
using Npgsql;

// Two phases, because a rebuild must not race the API's own async daemon:
//   live     API running: baseline, commands (+ projection lag), reads, audit replay → results/tmp/live.json
//   rebuild  API stopped: demo data + timed `projections rebuild`, then the report (latest.md, latest.json, latency.dat)
var options = Options.Parse(args);
var tmp = Path.Combine(options.ResultsDir, "tmp");
Directory.CreateDirectory(tmp);
var state = Path.Combine(tmp, "live.json");
var json = new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };
await using var db = new NpgsqlDataSourceBuilder(options.Connection + ";Maximum Pool Size=200;Include Error Detail=true").Build();

void Say(string line) => Console.WriteLine($"[bench {DateTime.Now:HH:mm:ss}] {line}");

// Load until the API's runtime has stopped compiling (when its pid is known), else for the fixed warm-up.
Task<string> WarmAsync(JitWatch? jit, Func<TimeSpan, Task> load) => JitWatch.WarmAsync(jit, load, options.WarmupSeconds, options.JitFlat, Say);

// RecordSession against the service, a bare Critter Stack app and its own SQL under pgbench (bench/anchors).
if (options.Phase == "anchors") return await Anchors.RunAsync(options, args, db, Say);

if (options.Phase == "live")
{
    var results = new Results { Mode = options.Quick ? "quick" : "full", StartedAt = DateTimeOffset.UtcNow };
    results.Machine = await MachineFacts.ReadAsync(db);
    var tokens = new Tokens(options.ReceptionToken, options.PractitionerToken, options.AuditorToken);
    using var api = new Api(options.BaseUrl);
    var duration = options.LevelDuration;

    foreach (var n in options.Concurrency)
    {
        var level = await Baseline.RunAsync(db, n, duration);
        results.Baseline.Add(level);
        Say($"baseline {n,2} connections: {level.TxPerSecond:F0} tx/s");
    }

    var clients = new ConcurrentBag<BenchClient>();
    // Warm-up (JIT, connection pools, first use of every route), not measured: until the runtime stops compiling.
    await using var jit = options.Quick ? null : JitWatch.Attach(options.ApiPid);
    if (options.Quick) await CommandLoad.RunAsync(api, tokens, db, 2, TimeSpan.FromSeconds(1), 0, false, clients);
    else results.Notes.Add(await WarmAsync(jit, d => CommandLoad.RunAsync(api, tokens, db, 8, d, 0, false, clients)));
    foreach (var n in options.Concurrency)
    {
        var baseline = results.Baseline.First(b => b.Connections == n).TxPerSecond;
        var jit0 = jit?.Compiled;
        var (level, lag) = await CommandLoad.RunAsync(api, tokens, db, n, duration, baseline, n == options.Concurrency.Max(), clients);
        if (jit is not null) results.Notes.Add($"JIT while measuring commands at {n} workers: {jit.Compiled - jit0} methods compiled");
        results.Commands.Add(level);
        if (lag is not null) results.Lag = lag;
        Say($"commands {n,2} workers: {level.CommandsPerSecond:F0}/s p50 {level.P50Ms:F1} p95 {level.P95Ms:F1} p99 {level.P99Ms:F1} ms, " +
            $"{level.Errors} errors, {level.RatioToBaseline:P1} of baseline");
        foreach (var error in level.FirstErrors) Say($"  error: {error}");
        if (lag is not null) Say($"projection lag: p50 {lag.P50Ms:F0} ms p99 {lag.P99Ms:F0} ms over {lag.Samples} samples ({lag.Unresolved} unresolved)");
    }

    Say($"seeding {options.MaintenanceRows} maintenance courses in {options.Clinic} ...");
    await Reads.SeedMaintenanceAsync(db, options.Clinic, options.MaintenanceRows);
    var readers = options.Concurrency.Max();
    var withCourse = clients.Where(c => c.CourseId is not null).ToArray();
    var all = clients.ToArray();
    var from = DateTime.UtcNow.ToString("yyyy-MM-dd");
    var to = DateTime.UtcNow.AddDays(30).ToString("yyyy-MM-dd");
    var inWindow = await Reads.CountAsync(db,
        $"select count(*) from courses.mt_doc_maintenancedue where tenant_id = '{options.Clinic}' and due_on <= date '{to}'");
    var reads = new (string Route, string Token, Func<Random, string> Next, string Dataset)[]
    {
        ("GET /api/clients/{id}/courses/{courseId}", tokens.Practitioner,
            rng => { var c = withCourse[rng.Next(withCourse.Length)]; return $"/api/clients/{c.ClientId}/courses/{c.CourseId}"; },
            $"{withCourse.Length} courses from the command load"),
        ("GET /api/clients/{id}/depth-history", tokens.Practitioner,
            rng => $"/api/clients/{all[rng.Next(all.Length)].ClientId}/depth-history",
            $"{all.Length} clients from the command load"),
        ("GET /api/maintenance/due", tokens.Reception,
            rng => $"/api/maintenance/due?from={from}&to={to}&pageSize=50&page={rng.Next(1, 11)}",
            $"{options.MaintenanceRows} maintenance courses in the clinic, {inWindow} in the window (today + 30 days, overdue included), 50 a page, pages 1-10"),
    };
    var failures = new ConcurrentQueue<string>();
    foreach (var (route, token, next, dataset) in reads)
    {
        if (all.Length == 0) break;
        var rng = new Random(1);
        for (var i = 0; i < 10; i++) await api.Get(token, next(rng)); // warm-up
        var result = await Reads.RunAsync(api, token, route, readers, duration, next, dataset, failures);
        results.Reads.Add(result);
        Say($"{route}: {result.RequestsPerSecond:F0}/s p50 {result.P50Ms:F1} p99 {result.P99Ms:F1} ms, {result.Errors} errors");
    }
    foreach (var failure in failures) Say($"  error: {failure}");

    results.Replay = await AuditReplay.RunAsync(api, tokens, options.ReplayEvents, failure => Say($"  replay error: {failure}"));
    Say($"audit replay of {results.Replay.Events} events: record {results.Replay.RecordMs:F1} ms + verify {results.Replay.VerifyMs:F1} ms " +
        $"= {results.Replay.SumMs:F1} ms ({results.Replay.VerifyAnswer})");

    await File.WriteAllTextAsync(state, JsonSerializer.Serialize(results, json));
    Report.Write(results, options.ResultsDir, json);
    return 0;
}

// Commands only, at one concurrency, for profiling the API under load (not part of bench/run's report).
if (options.Phase == "load")
{
    var tokens = new Tokens(options.ReceptionToken, options.PractitionerToken, options.AuditorToken);
    using var api = new Api(options.BaseUrl);
    var workers = options.Concurrency.Max();
    var (level, _) = await CommandLoad.RunAsync(api, tokens, db, workers, options.LevelDuration, 0, false, new ConcurrentBag<BenchClient>());
    Say($"commands {workers,2} workers: {level.CommandsPerSecond:F0}/s p50 {level.P50Ms:F1} p95 {level.P95Ms:F1} p99 {level.P99Ms:F1} ms, {level.Errors} errors");
    foreach (var error in level.FirstErrors) Say($"  error: {error}");
    return level.Errors == 0 ? 0 : 1;
}

// What one command costs, warm: after a warm-up, the command mix at one concurrency with CPU per command (API,
// PostgreSQL's backends, this load generator) from /proc and statements per command from pg_stat_statements.
if (options.Phase == "cost")
{
    var tokens = new Tokens(options.ReceptionToken, options.PractitionerToken, options.AuditorToken);
    using var api = new Api(options.BaseUrl);
    var workers = options.Concurrency.Max();
    var clients = new ConcurrentBag<BenchClient>();
    await using var jit = JitWatch.Attach(options.ApiPid);
    await WarmAsync(jit, d => CommandLoad.RunAsync(api, tokens, db, workers, d, 0, false, clients));
    var jit0 = jit?.Compiled;
    await using (var reset = db.CreateCommand("select pg_stat_statements_reset()")) await reset.ExecuteNonQueryAsync();
    var self = System.Diagnostics.Process.GetCurrentProcess();
    using var perf = options.PerfOutput.Length > 0 ? Profiler.Sample(options.ApiPid, options.PerfOutput) : null;
    var (api0, pg0, gen0) = (Cpu(options.ApiPid, CpuTime.OfProcess), Cpu(options.PostgresPid, CpuTime.OfChildren), self.TotalProcessorTime.TotalMilliseconds);
    var (level, _) = await CommandLoad.RunAsync(api, tokens, db, workers, options.LevelDuration, 0, false, clients);
    perf?.Stop();
    self.Refresh();
    var (api1, pg1, gen1) = (Cpu(options.ApiPid, CpuTime.OfProcess), Cpu(options.PostgresPid, CpuTime.OfChildren), self.TotalProcessorTime.TotalMilliseconds);
    var n = Math.Max(1, level.Commands);
    Console.WriteLine($"commands {level.Commands} in {level.Seconds:F0} s ({level.CommandsPerSecond:F0}/s)  workers {workers}  " +
        $"p50 {level.P50Ms:F1} ms  p95 {level.P95Ms:F1} ms  p99 {level.P99Ms:F1} ms  errors {level.Errors}");
    Console.WriteLine($"CPU per command: API {(api1 - api0) / n:F2} ms, PostgreSQL {(pg1 - pg0) / n:F2} ms, load generator {(gen1 - gen0) / n:F2} ms");
    if (jit is not null) Console.WriteLine($"JIT during the measured window: {jit.Compiled - jit0} methods compiled");
    await using var statements = db.CreateCommand("""
        select s.query, s.calls, s.total_exec_time from pg_stat_statements s join pg_database d on d.oid = s.dbid
        where d.datname = current_database() and s.query not like '%pg_stat_statements%' order by s.calls desc
        """);
    await using var reader = await statements.ExecuteReaderAsync();
    var rows = new List<(string Query, long Calls, double Ms)>();
    while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetInt64(1), reader.GetDouble(2)));
    Console.WriteLine($"SQL per command: {rows.Sum(r => r.Calls) / (double)n:F1} statements, {rows.Sum(r => r.Ms) / n:F2} ms " +
        "(pg_stat_statements, this database, the daemons' polling included)");
    foreach (var (query, calls, ms) in rows.Take(options.Quick ? 10 : 30))
    {
        var text = string.Join(' ', query.Split((char[])['\n', '\r', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        Console.WriteLine($"  {calls / (double)n,6:F2} × {ms / Math.Max(1, calls),7:F3} ms  {(text.Length > 110 ? text[..110] + "…" : text)}");
    }
    return level.Errors == 0 ? 0 : 1;
}

// GETs of the paths in a file (one a line, taken in turn) over keep-alive connections: the read benches' load, so a figure
// is the service's time and not a process started per request. A warm-up first, so the runtime has finished compiling.
if (options.Phase == "get")
{
    using var api = new Api(options.BaseUrl);
    var paths = (await File.ReadAllLinesAsync(options.PathsFile)).Where(p => p.Length > 0).ToArray();
    var workers = options.Concurrency.Max();
    var failures = new ConcurrentQueue<string>();
    var turn = -1;
    string Next(Random _) => paths[(int)((uint)Interlocked.Increment(ref turn) % paths.Length)];
    var warmErrors = 0L;
    await using var jit = JitWatch.Attach(options.ApiPid);
    await WarmAsync(jit, async d => warmErrors += (await Reads.RunAsync(api, options.Token, "warm-up", workers, d, Next, "", failures)).Errors);
    var jit0 = jit?.Compiled;
    using var perf = options.PerfOutput.Length > 0 ? Profiler.Sample(options.ApiPid, options.PerfOutput) : null;
    var (api0, pg0) = (Cpu(options.ApiPid, CpuTime.OfProcess), Cpu(options.PostgresPid, CpuTime.OfChildren));
    var result = await Reads.RunAsync(api, options.Token, "measured", workers, options.LevelDuration, Next, "", failures);
    perf?.Stop();
    var (api1, pg1) = (Cpu(options.ApiPid, CpuTime.OfProcess), Cpu(options.PostgresPid, CpuTime.OfChildren));
    if (jit is not null) Console.WriteLine($"JIT during the measured window: {jit.Compiled - jit0} methods compiled");
    Console.WriteLine($"requests {result.Requests} in {result.Seconds:F0} s ({result.RequestsPerSecond:F0}/s)  readers {workers}  " +
        $"p50 {result.P50Ms:F1} ms  p95 {result.P95Ms:F1} ms  p99 {result.P99Ms:F1} ms  errors {result.Errors}");
    if (options.ApiPid > 0)
        Console.WriteLine($"CPU per request: API {(api1 - api0) / result.Requests:F2} ms" +
            (options.PostgresPid > 0 ? $", PostgreSQL {(pg1 - pg0) / result.Requests:F2} ms" : "") + " (utime + stime from /proc)");
    foreach (var failure in failures) Say($"  error: {failure}");
    return result.Errors + warmErrors == 0 ? 0 : 1;
}

// Photo uploads and thumbnails (bench/photos).
if (options.Phase == "photos") return await PhotoLoad.RunAsync(options);

if (options.Phase == "rebuild")
{
    var results = JsonSerializer.Deserialize<Results>(await File.ReadAllTextAsync(state), json)!;
    Say($"demo-data: {options.RebuildClients} clients in rebuild-clinic, then projections rebuild ...");
    results.Rebuild = await RebuildRun.RunAsync(options, db, note => { results.Notes.Add(note); Say(note); });
    var r = results.Rebuild;
    Say($"rebuild: {r.Events} events in {r.Seconds:F1} s = {r.EventsPerSecond:F0} events/s " +
        $"({r.EventsPerSecondExcludingStartup:F0}/s without the {r.StartupSeconds:F1} s host start), peak {r.PeakMemoryKb / 1024.0:F0} MiB");
    Report.Write(results, options.ResultsDir, json);
    foreach (var broken in Report.Broken(results)) Say($"BROKEN: {broken}");
    return Report.Broken(results).Count == 0 ? 0 : 1;
}

static double Cpu(int pid, Func<int, double> read) => pid > 0 ? read(pid) : 0;

Console.Error.WriteLine("usage: Courses.Bench live|rebuild [--quick] --connection CS --results DIR [...]");
return 2;
