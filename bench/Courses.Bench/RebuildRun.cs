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
            "--clients", options.RebuildClients.ToString());
        if (seeded.ExitCode != 0) note($"demo-data exited {seeded.ExitCode}; see {log}");
        var seedSeconds = seed.Elapsed.TotalSeconds;

        var events = await Reads.CountAsync(db, "select count(*) from courses_events.mt_events");
        // The command-line host's own start-up and shut-down, to tell them apart from the rebuild itself.
        var startup = await RunApiAsync(options, log, sampleMemory: false, "projections", "list");
        var rebuild = await RunApiAsync(options, log, sampleMemory: true, "projections", "rebuild");
        if (rebuild.ExitCode != 0) note($"projections rebuild exited {rebuild.ExitCode}; see {log}");

        var net = Math.Max(0.001, rebuild.Seconds - startup.Seconds);
        return new Rebuild(events, options.RebuildClients, seedSeconds, rebuild.Seconds, events / rebuild.Seconds,
            startup.Seconds, events / net, rebuild.PeakKb, rebuild.ExitCode);
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
