using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace Courses.Bench;

/// <summary>The captured command as a pgbench script, and what the replay changes about it.</summary>
public sealed record CapturedScript(string Text, int Statements, List<string> Notes);

/// <summary>
/// The bare-SQL anchor: the statements one RecordSession issues, captured from PostgreSQL's statement log
/// (log_statement = all for one command on a warm service), replayed by pgbench in a database of their own
/// (courses_baresql, the same schema through db-apply), each transaction on one of a seeded set of client streams.
/// </summary>
public sealed partial class BareSql(NpgsqlDataSource db, string replayConnection, string postgresLog, string pgBin, Options options,
    Action<string> say)
{
    private const string StreamVariable = "stream_no";
    private int Streams => options.Quick ? 200 : 2_000;

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+):  (.*)$")]
    private static partial Regex LogLine();

    [GeneratedRegex(@"^(?:execute [^:]*|statement): (.*)$", RegexOptions.Singleline)]
    private static partial Regex Statement();

    [GeneratedRegex(@"\$(\d+)")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex Uuid();

    [GeneratedRegex(@"^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(,[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})*\}$")]
    private static partial Regex UuidArray();

    private async Task<int> Execute(string sql)
    {
        await using var command = db.CreateCommand(sql);
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// One session recorded on a seeded course with every statement logged; the statements of the backend that appended
    /// the events become the script. The course's first session is recorded before, so the captured one is mid-course.
    /// </summary>
    public async Task<CapturedScript> CaptureAsync(Api api, Tokens tokens, SeededCourse course)
    {
        var path = $"/api/clients/{course.ClientId}/courses/{course.CourseId}/sessions";
        var first = await api.Post(tokens.Practitioner, path, SessionLoad.Body(course, 0));
        if (!first.Ok) throw new InvalidOperationException($"capture: the first session failed: {first.Failure}");
        var offset = new FileInfo(postgresLog).Length;
        await Execute("alter system set log_statement = 'all'");
        await Execute("select pg_reload_conf()");
        await Task.Delay(500); // every backend has read the new setting once it has handled its next message; wait for the signal
        Answer captured;
        try
        {
            captured = await api.Post(tokens.Practitioner, path, SessionLoad.Body(course, 1));
            await Task.Delay(500);
        }
        finally
        {
            await Execute("alter system reset log_statement");
            await Execute("select pg_reload_conf()");
        }
        if (!captured.Ok) throw new InvalidOperationException($"capture: the session failed: {captured.Failure}");
        var log = await ReadFrom(postgresLog, offset);
        await File.WriteAllTextAsync(Path.Combine(options.ResultsDir, "tmp", "bare-sql-capture.log"), log);
        return Script(Parse(log), course);
    }

    private static async Task<string> ReadFrom(string file, long offset)
    {
        await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }

    private sealed record Logged(int Pid, string Sql, List<string?> Parameters);

    /// <summary>Statements of the log, each with its parameters (a DETAIL line after it), continuation lines joined.</summary>
    private static List<Logged> Parse(string log)
    {
        var entries = new List<(int Pid, string Level, StringBuilder Text)>();
        foreach (var line in log.Split('\n'))
        {
            var match = LogLine().Match(line);
            if (match.Success) entries.Add((int.Parse(match.Groups[1].Value), match.Groups[2].Value, new StringBuilder(match.Groups[3].Value)));
            else if (entries.Count > 0) entries[^1].Text.Append('\n').Append(line);
        }
        var statements = new List<Logged>();
        foreach (var (pid, level, text) in entries)
        {
            var value = text.ToString().TrimEnd('\n');
            if (level == "LOG" && Statement().Match(value) is { Success: true } statement)
                statements.Add(new Logged(pid, statement.Groups[1].Value, []));
            else if (level == "DETAIL" && value.StartsWith("parameters: ") && statements.Count > 0 && statements[^1].Pid == pid)
                statements[^1].Parameters.AddRange(Parameters(value["parameters: ".Length..]));
        }
        return statements;
    }

    /// <summary>"$1 = 'a''b', $2 = NULL" → ["a'b", null].</summary>
    private static List<string?> Parameters(string text)
    {
        var values = new List<string?>();
        var i = 0;
        while (i < text.Length)
        {
            i = text.IndexOf(" = ", i, StringComparison.Ordinal) + 3;
            if (text[i] == '\'')
            {
                var value = new StringBuilder();
                for (i++; ; i++)
                {
                    if (text[i] == '\'' && i + 1 < text.Length && text[i + 1] == '\'') { value.Append('\''); i++; }
                    else if (text[i] == '\'') { i++; break; }
                    else value.Append(text[i]);
                }
                values.Add(value.ToString());
            }
            else { values.Add(null); i += 4; }
            i = text.IndexOf(", $", i, StringComparison.Ordinal) is var next and >= 0 ? next + 2 : text.Length;
        }
        return values;
    }

    private CapturedScript Script(List<Logged> logged, SeededCourse course)
    {
        var appender = logged.FirstOrDefault(s => s.Sql.Contains("mt_quick_append_events"))
            ?? throw new InvalidOperationException("capture: no mt_quick_append_events in the statement log");
        // The command's rental of its connection: from the DISCARD ALL that began it to the COMMIT after the append (the
        // same backend may serve the async daemon just before or after).
        var backend = logged.Where(s => s.Pid == appender.Pid).ToList();
        var at = backend.IndexOf(appender);
        var first = backend.FindLastIndex(at, s => s.Sql.StartsWith("DISCARD", StringComparison.OrdinalIgnoreCase));
        var last = backend.FindIndex(at, s => s.Sql.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase));
        var mine = backend[Math.Max(0, first)..(last < 0 ? backend.Count : last + 1)];
        var others = logged.Where(s => !mine.Contains(s)).ToList();
        var notes = new List<string>
        {
            $"bare SQL: {mine.Count} statements of the command replayed; {others.Count} other statements logged in the same second " +
            "(the async daemon's polling and projections, Wolverine's node) not replayed",
            $"bare SQL: every transaction works on one of {Streams} copies of the captured client's stream (at random among the " +
            "pgbench client's own); ids of new rows are fresh (gen_random_uuid()); event and document bodies are the captured ones; the " +
            "expected version is read in the append's call (the service read it in its first round trip)",
            "bare SQL: pgbench's simple protocol sends the values inline; the service sends them as parameters (extended protocol)",
        };
        var client = course.ClientId.ToString();
        var courseId = course.CourseId.ToString();
        string Id(string id, bool reading) =>
            id == client ? $"md5('s' || :{StreamVariable})::uuid"
            : id == courseId ? $"md5('c' || :{StreamVariable})::uuid"
            : reading ? $"'{id}'::uuid" : "gen_random_uuid()";
        string Sql(Logged statement)
        {
            var reading = statement.Sql.TrimStart().StartsWith("select", StringComparison.OrdinalIgnoreCase)
                && !statement.Sql.Contains("mt_quick_append_events");
            var appending = statement.Sql.Contains("mt_quick_append_events");
            var sql = Placeholder().Replace(statement.Sql, m =>
            {
                var index = int.Parse(m.Groups[1].Value);
                var value = statement.Parameters[index - 1];
                // The version the service read ahead of the append (mt_quick_append_events' expected_version, its 14th).
                if (appending && index == 14 && value is not null)
                    return $"(select version from courses_events.mt_streams where id = {Id(client, true)} and tenant_id = '{statement.Parameters[2]}')";
                if (value is null) return "NULL";
                if (Uuid().IsMatch(value) && (!reading || value == client || value == courseId)) return Id(value, reading);
                if (UuidArray().IsMatch(value) && (!reading || value.Contains(client) || value.Contains(courseId)))
                    return "array[" + string.Join(", ", value.Trim('{', '}').Split(',').Select(id => Id(id, reading))) + "]";
                return "'" + value.Replace("'", "''") + "'";
            });
            return sql.Replace("\r", "").Replace("\n", " ").Trim().TrimEnd(';');
        }

        // Round trips as the service makes them: Wolverine batches the endpoint's loads (the stream's events and the query
        // plans before it) into one, the inline projections then load their documents one by one, and Marten sends the
        // commit from BEGIN on as one batch, then COMMIT. pgbench sends a batch as one simple query ("\\;" joins them).
        // DISCARD ALL (Npgsql's reset of a pooled connection, sent ahead of the first command) cannot share a
        // multi-statement query, so it goes alone: one round trip more than the service's.
        var trips = new List<List<Logged>>();
        var loaded = false;
        foreach (var statement in mine)
        {
            var sql = statement.Sql.TrimStart();
            var together = trips.Count > 0 && !sql.StartsWith("COMMIT", StringComparison.OrdinalIgnoreCase)
                && !trips[^1][0].Sql.StartsWith("DISCARD", StringComparison.OrdinalIgnoreCase)
                && (trips[^1][0].Sql.StartsWith("BEGIN", StringComparison.OrdinalIgnoreCase) || !loaded);
            if (together) trips[^1].Add(statement); else trips.Add([statement]);
            loaded |= sql.Contains(".mt_events ", StringComparison.Ordinal);
        }
        var text = new StringBuilder();
        // Each pgbench client appends to streams of its own (a range of the copies), as the bench's workers each drive their own clients.
        var perClient = Streams / options.Concurrency.Max();
        text.AppendLine($"\\set {StreamVariable} 1 + :client_id * {perClient} + random(0, {perClient - 1})");
        foreach (var trip in trips) text.AppendLine(string.Join(" \\;\n", trip.Select(Sql)) + ";");
        notes.Add($"bare SQL: {trips.Count} round trips (the service: {trips.Count - 1} and DISCARD ALL ahead of the first)");
        return new CapturedScript(text.ToString(), mine.Count, notes);
    }

    /// <summary>The captured client's stream, copied into the replay database and cloned into the streams the script picks from.</summary>
    private async Task SeedAsync(SeededCourse course)
    {
        await using var replay = new NpgsqlConnection(replayConnection);
        await replay.OpenAsync();
        await using var source = await db.OpenConnectionAsync();
        foreach (var (table, key) in new[] { ("mt_streams", "id"), ("mt_events", "stream_id") })
        {
            using var reader = await source.BeginTextExportAsync(
                $"copy (select * from courses_events.{table} where {key} = '{course.ClientId}') to stdout");
            var rows = await reader.ReadToEndAsync();
            await using var writer = await replay.BeginTextImportAsync($"copy courses_events.{table} from stdin");
            await writer.WriteAsync(rows);
        }
        async Task<string> Columns(string table, params string[] except)
        {
            await using var query = new NpgsqlCommand("select string_agg(column_name, ', ' order by ordinal_position) from information_schema.columns " +
                "where table_schema = 'courses_events' and table_name = $1 and column_name <> all($2)", replay);
            query.Parameters.Add(new NpgsqlParameter { Value = table });
            query.Parameters.Add(new NpgsqlParameter { Value = except });
            return (string)(await query.ExecuteScalarAsync())!;
        }
        var streamColumns = await Columns("mt_streams", "id");
        var eventColumns = await Columns("mt_events", "seq_id", "id", "stream_id");
        foreach (var sql in new[]
        {
            "select setval('courses_events.mt_events_sequence', (select max(seq_id) from courses_events.mt_events))",
            $"insert into courses_events.mt_streams (id, {streamColumns}) select md5('s' || g)::uuid, {streamColumns} " +
            $"from courses_events.mt_streams, generate_series(1, {Streams}) g where id = '{course.ClientId}'",
            $"insert into courses_events.mt_events (seq_id, id, stream_id, {eventColumns}) " +
            $"select nextval('courses_events.mt_events_sequence'), gen_random_uuid(), md5('s' || g)::uuid, {eventColumns} " +
            $"from courses_events.mt_events, generate_series(1, {Streams}) g where stream_id = '{course.ClientId}' order by g, version",
            "vacuum analyze",
        })
        {
            await using var command = new NpgsqlCommand(sql, replay);
            await command.ExecuteNonQueryAsync();
        }
    }

    private bool _seeded;

    /// <summary>pgbench with <paramref name="clients"/> connections for the level's duration; tx/s and CPU per transaction.</summary>
    public async Task<AnchorLevel> RunAsync(CapturedScript script, SeededCourse course, int clients)
    {
        if (!_seeded) { await SeedAsync(course); _seeded = true; }
        var file = Path.Combine(options.ResultsDir, "tmp", "bare-sql.pgbench");
        await File.WriteAllTextAsync(file, script.Text);
        var target = new NpgsqlConnectionStringBuilder(replayConnection);
        var seconds = (int)options.LevelDuration.TotalSeconds;
        var start = new ProcessStartInfo(Path.Combine(pgBin, "pgbench"))
        {
            ArgumentList = { "-h", target.Host!, "-p", target.Port.ToString(CultureInfo.InvariantCulture), "-U", target.Username ?? "postgres",
                "-n", "-M", "simple", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, 2).ToString(CultureInfo.InvariantCulture),
                "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", file, target.Database! },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var before = Cpu.Read(0, options.PostgresPid);
        using var pgbench = Process.Start(start)!;
        var output = pgbench.StandardOutput.ReadToEndAsync();
        var errors = pgbench.StandardError.ReadToEndAsync();
        await pgbench.WaitForExitAsync();
        var used = Cpu.Read(0, options.PostgresPid) - before;
        var text = await output;
        var tps = Regex.Match(text, @"tps = ([0-9.]+)") is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var done = Regex.Match(text, @"number of transactions actually processed: (\d+)") is { Success: true } d ? long.Parse(d.Groups[1].Value) : 0;
        var failed = pgbench.ExitCode != 0 || done == 0;
        var per = Math.Max(1, done);
        var latency = Regex.Match(text, @"latency average = ([0-9.]+) ms") is { Success: true } a ? double.Parse(a.Groups[1].Value, CultureInfo.InvariantCulture) : double.NaN;
        var note = failed ? $"pgbench failed (exit {pgbench.ExitCode}): {(await errors).Split('\n').FirstOrDefault(l => l.Length > 0)}" : "";
        if (failed) say($"anchors: {note}");
        return new AnchorLevel(Anchors.Sql, clients, seconds, done, tps, latency, double.NaN, failed ? 1 : 0, double.NaN, used.Postgres / per,
            used.Load / per, note);
    }
}
