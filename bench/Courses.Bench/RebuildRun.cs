using System.Diagnostics;
using Npgsql;

namespace Courses.Bench;

/// <summary>
/// With the API stopped: fills a clinic with demo clients (≈ 10 events each, the service's own demo-data command), then
/// times `Courses.Api.dll projections rebuild` over every event in the database and samples its peak resident memory.
/// </summary>
public static class RebuildRun
{
    public static async Task<Rebuild> RunAsync(Options options, NpgsqlDataSource db, Action<string> note)
    {
        var log = Path.Combine(options.ResultsDir, "tmp", "rebuild.log");
        Directory.CreateDirectory(Path.GetDirectoryName(log)!);
        File.WriteAllText(log, "");

        var seed = Stopwatch.StartNew();
        var seeded = await RunApiAsync(options, log, sampleMemory: false, "demo-data", "--clinic", "rebuild-clinic",
            "--clients", options.RebuildClients.ToString(), "--allow-production");
        if (seeded.ExitCode != 0) note($"demo-data exited {seeded.ExitCode}; see {log}");
        var copies = await CopyClinicAsync(db, "rebuild-clinic", options.RebuildEvents);
        var seedSeconds = seed.Elapsed.TotalSeconds;

        var events = await Reads.CountAsync(db, "select count(*) from courses_events.mt_events");
        // The command-line host's own start-up and shut-down, to tell them apart from the rebuild itself.
        var startup = await RunApiAsync(options, log, sampleMemory: false, "projections", "list");
        var rebuild = await RunApiAsync(options, log, sampleMemory: true, "projections", "rebuild");
        if (rebuild.ExitCode != 0) note($"projections rebuild exited {rebuild.ExitCode}; see {log}");

        var net = Math.Max(0.001, rebuild.Seconds - startup.Seconds);
        return new Rebuild(events, options.RebuildClients, copies, seedSeconds, rebuild.Seconds, events / rebuild.Seconds,
            startup.Seconds, events / net, rebuild.PeakKb, rebuild.ExitCode);
    }

    /// <summary>
    /// Until the store holds <paramref name="target"/> events, copies the clinic's streams and events, in their order,
    /// into further clinics ("rebuild-clinic-2", ...): demo-data writes through the domain at a few thousand events a
    /// second, a copy in SQL at a hundred thousand or more. Each copy is a clinic of its own, so every projection
    /// builds its documents again for it. Returns how many copies were made.
    /// </summary>
    private static async Task<int> CopyClinicAsync(NpgsqlDataSource db, string clinic, long target)
    {
        var have = await Reads.CountAsync(db, "select count(*) from courses_events.mt_events");
        var perClinic = await Reads.CountAsync(db, $"select count(*) from courses_events.mt_events where tenant_id = '{clinic}'");
        if (have >= target || perClinic == 0) return 0;
        var copies = (int)Math.Ceiling((target - have) / (double)perClinic);
        await using var command = db.CreateCommand($"""
            insert into courses_events.mt_streams (tenant_id, id, type, version, timestamp, created, compacted_version, is_archived)
            select s.tenant_id || '-' || (k + 1), s.id, s.type, s.version, s.timestamp, s.created, s.compacted_version, s.is_archived
            from courses_events.mt_streams s cross join generate_series(1, {copies}) k where s.tenant_id = '{clinic}';

            insert into courses_events.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type,
                correlation_id, causation_id, headers, user_name, is_archived)
            select nextval('courses_events.mt_events_sequence'), gen_random_uuid(), c.stream_id, c.version, c.data, c.type, c.timestamp,
                c.tenant, c.mt_dotnet_type, c.correlation_id, c.causation_id, c.headers, c.user_name, c.is_archived
            from (select e.*, e.tenant_id || '-' || (k + 1) as tenant
                  from generate_series(1, {copies}) k cross join courses_events.mt_events e
                  where e.tenant_id = '{clinic}' order by k, e.seq_id) c;
            """);
        command.CommandTimeout = 1800;
        await command.ExecuteNonQueryAsync();
        // Statistics for the copied rows: without them the planner took the stream loads for a scan of the clinic's rows.
        await using var analyze = db.CreateCommand("analyze courses_events.mt_streams; analyze courses_events.mt_events");
        analyze.CommandTimeout = 1800;
        await analyze.ExecuteNonQueryAsync();
        return copies;
    }

    private static async Task<(int ExitCode, double Seconds, long PeakKb)> RunApiAsync(Options options, string log, bool sampleMemory,
        params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = options.ApiDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("Courses.Api.dll");
        foreach (var arg in args) info.ArgumentList.Add(arg);

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        await using var writer = File.AppendText(log);
        await writer.WriteLineAsync($"== dotnet Courses.Api.dll {string.Join(' ', args)}");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();

        long peak = 0;
        var exited = process.WaitForExitAsync();
        while (sampleMemory && !exited.IsCompleted)
        {
            peak = Math.Max(peak, ReadHighWaterKb(process.Id));
            await Task.WhenAny(exited, Task.Delay(20));
        }
        await exited;
        var seconds = watch.Elapsed.TotalSeconds;
        await writer.WriteAsync(await output);
        await writer.WriteAsync(await errors);
        return (process.ExitCode, seconds, peak);
    }

    /// <summary>VmHWM (peak resident set) of a running process, in kB; 0 once it has gone.</summary>
    private static long ReadHighWaterKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmHWM:"))
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 0;
    }
}
