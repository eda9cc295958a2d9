using System.Globalization;

namespace Courses.Reliability.Tests.Harness;

/// <summary>
/// The figures each check measured: printed to the test's output and appended, one line a check, to
/// <c>.data/reliability-figures.txt</c>, which <c>scripts/soak</c> prints at the end.
/// </summary>
public sealed class Figures(string check)
{
    private readonly Dictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public void Add(string name, long amount = 1)
    {
        lock (gate) counts[name] = counts.GetValueOrDefault(name) + amount;
    }

    public long this[string name]
    {
        get { lock (gate) return counts.GetValueOrDefault(name); }
    }

    public void Report()
    {
        string line;
        lock (gate)
            line = $"{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ} {(Scale.Soak ? "soak" : "fast")} {check}: " +
                   string.Join(", ", counts.OrderBy(c => c.Key, StringComparer.Ordinal)
                       .Select(c => $"{c.Key}={c.Value.ToString(CultureInfo.InvariantCulture)}"));
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        Console.WriteLine(line);
        lock (FileGate)
            File.AppendAllText(SummaryFile, line + Environment.NewLine);
    }

    private static readonly Lock FileGate = new();

    public static string SummaryFile =>
        Environment.GetEnvironmentVariable("COURSES_FIGURES") ?? Path.Combine(RepoRoot, ".data", "reliability-figures.txt");

    public static string RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Courses.slnx"))) return dir.FullName;
            throw new InvalidOperationException("Cannot find the repository root (Courses.slnx) above " + AppContext.BaseDirectory);
        }
    }
}

/// <summary>COURSES_SOAK=1 (scripts/soak) runs the same checks at larger counts.</summary>
public static class Scale
{
    public static bool Soak { get; } = Environment.GetEnvironmentVariable("COURSES_SOAK") == "1";

    public static int Count(int fast, int soak) => Soak ? soak : fast;
}
