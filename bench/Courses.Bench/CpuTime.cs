namespace Courses.Bench;

/// <summary>
/// CPU a process (and, for PostgreSQL's postmaster, its backends) has used, from /proc: utime + stime, in milliseconds.
/// Read before and after a measured phase, it gives CPU per request that the machine's other load does not inflate.
/// </summary>
public static class CpuTime
{
    private static readonly double MsPerTick = 1000.0 / 100; // USER_HZ is 100 on Linux

    public static double OfProcess(int pid) => Ticks(pid) * MsPerTick;

    /// <summary>The children of <paramref name="parent"/> (PostgreSQL's backends and workers), summed.</summary>
    public static double OfChildren(int parent) =>
        Directory.EnumerateDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ParentOf(pid) == parent).Sum(Ticks) * MsPerTick;

    /// <summary>
    /// What <paramref name="pid"/>'s children used before they exited and were waited for (cutime + cstime): backends
    /// of connections that closed during a measurement, or a tool this process ran.
    /// </summary>
    public static double OfExitedChildren(int pid) => Fields(pid) is { } f ? (long.Parse(f[13]) + long.Parse(f[14])) * MsPerTick : 0;

    private static string[]? Fields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name, in parentheses, may hold spaces: the fields counted after its closing parenthesis.
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static int ParentOf(int pid) => Fields(pid) is { } f ? int.Parse(f[1]) : 0;

    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime) are 12 and 13 once the pid and name are cut off.
    private static long Ticks(int pid) => Fields(pid) is { } f ? long.Parse(f[11]) + long.Parse(f[12]) : 0;
}
