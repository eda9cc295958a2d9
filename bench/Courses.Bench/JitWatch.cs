using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace Courses.Bench;

/// <summary>
/// Counts the methods the API's runtime compiles (first compilations and tier-ups alike), over an EventPipe session on
/// its diagnostic port. A measured window is warm when this count stops growing: until then the figures include the
/// JIT's own CPU and code that is not yet optimised.
/// </summary>
public sealed class JitWatch : IAsyncDisposable
{
    private const long JitKeyword = 0x10;
    private readonly EventPipeSession _session;
    private readonly Task _reading;
    private long _compiled;

    private JitWatch(EventPipeSession session)
    {
        _session = session;
        _reading = Task.Run(() =>
        {
            using var source = new EventPipeEventSource(session.EventStream);
            source.Clr.MethodJittingStarted += _ => Interlocked.Increment(ref _compiled);
            source.Process();
        });
    }

    /// <summary>Methods compiled since the watch started.</summary>
    public long Compiled => Interlocked.Read(ref _compiled);

    /// <summary>A watch on <paramref name="pid"/>, or none when there is no process to watch or it refuses the session.</summary>
    public static JitWatch? Attach(int pid)
    {
        if (pid <= 0) return null;
        try
        {
            var provider = new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, JitKeyword);
            return new JitWatch(new DiagnosticsClient(pid).StartEventPipeSession(provider, requestRundown: false));
        }
        catch (Exception e) when (e is ServerNotAvailableException or DiagnosticsClientException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"JIT not watched: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// Runs <paramref name="load"/> in steps of <paramref name="step"/> until one step compiles at most
    /// <paramref name="flatAt"/> methods, or <paramref name="limit"/> has passed. Returns the time taken and the last step's count.
    /// </summary>
    public async Task<(TimeSpan Took, long LastStep, bool Flat)> WarmUntilFlatAsync(Func<TimeSpan, Task> load, TimeSpan step,
        long flatAt, TimeSpan limit, Action<string> say)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        long last;
        do
        {
            var before = Compiled;
            await load(step);
            last = Compiled - before;
            say($"  warm-up {clock.Elapsed.TotalSeconds,4:F0} s: {last} methods compiled in the last {step.TotalSeconds:F0} s");
            if (last <= flatAt) return (clock.Elapsed, last, true);
        } while (clock.Elapsed < limit);
        return (clock.Elapsed, last, false);
    }

    /// <summary>Load until <paramref name="jit"/>'s runtime stops compiling (at most <paramref name="seconds"/>), or for that long when not watched.</summary>
    public static async Task<string> WarmAsync(JitWatch? jit, Func<TimeSpan, Task> load, int seconds, int flatAt, Action<string> say)
    {
        string said;
        if (jit is null)
        {
            await load(TimeSpan.FromSeconds(seconds));
            said = $"warm-up {seconds} s (JIT not watched)";
        }
        else
        {
            var (took, last, flat) = await jit.WarmUntilFlatAsync(load, TimeSpan.FromSeconds(5), flatAt, TimeSpan.FromSeconds(seconds), say);
            said = flat
                ? $"warm after {took.TotalSeconds:F0} s of load: {last} methods compiled in the last 5 s (flat: ≤ {flatAt})"
                : $"NOT warm after {took.TotalSeconds:F0} s of load: still {last} methods compiled in the last 5 s";
        }
        say(said);
        return said;
    }

    public async ValueTask DisposeAsync()
    {
        try { await _session.StopAsync(CancellationToken.None); }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or ObjectDisposedException) { }
        await _reading.ConfigureAwait(false);
        _session.Dispose();
    }
}
