using System.Diagnostics;

namespace Courses.Bench;

/// <summary><c>perf record</c> of a process over a measured window (call graphs; managed frames named by the runtime's perf map).</summary>
public sealed class Profiler : IDisposable
{
    private readonly Process _perf;

    private Profiler(Process perf) => _perf = perf;

    public static Profiler Sample(int pid, string output) =>
        new(Process.Start(new ProcessStartInfo("perf", ["record", "-F", "499", "-g", "-p", pid.ToString(), "-o", output])
        {
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("perf did not start"));

    /// <summary>Ends the recording the way Ctrl-C does, so perf writes a complete file.</summary>
    public void Stop()
    {
        if (_perf.HasExited) return;
        Process.Start("kill", ["-INT", _perf.Id.ToString()])?.WaitForExit();
        _perf.WaitForExit(TimeSpan.FromSeconds(30));
    }

    public void Dispose()
    {
        Stop();
        _perf.Dispose();
    }
}
