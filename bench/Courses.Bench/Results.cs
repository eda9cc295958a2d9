namespace Courses.Bench;

/// <summary>Every figure of one run; written as latest.json and read back between the two phases.</summary>
public sealed class Results
{
    public string Mode { get; set; } = "full";
    public DateTimeOffset StartedAt { get; set; }
    public Machine Machine { get; set; } = new();
    public List<BaselineLevel> Baseline { get; set; } = [];
    public List<CommandLevel> Commands { get; set; } = [];
    public List<ReadResult> Reads { get; set; } = [];
    public ProjectionLag? Lag { get; set; }
    public Replay? Replay { get; set; }
    public Rebuild? Rebuild { get; set; }
    public List<string> Notes { get; set; } = [];
}

public sealed class Machine
{
    public int Cores { get; set; }
    public string Memory { get; set; } = "";
    public string PostgresVersion { get; set; } = "";
    public Dictionary<string, string> PostgresSettings { get; set; } = [];
    public string Dotnet { get; set; } = "";
}

public sealed record BaselineLevel(int Connections, double Seconds, long Transactions, double TxPerSecond);

public sealed record CommandLevel(int Workers, double Seconds, long Commands, double CommandsPerSecond, double P50Ms, double P95Ms,
    double P99Ms, long Errors, int ClientsStarted, double RatioToBaseline, List<string> FirstErrors);

public sealed record ReadResult(string Route, int Workers, double Seconds, long Requests, double RequestsPerSecond, double P50Ms,
    double P99Ms, long Errors, string Dataset, double P95Ms = double.NaN);

public sealed record ProjectionLag(int Workers, int Samples, int Unresolved, double P50Ms, double P99Ms, double MaxMs);

public sealed record Replay(int Events, double RecordMs, double VerifyMs, double SumMs, string VerifyAnswer);

public sealed record Rebuild(long Events, int DemoClients, int Copies, double SeedSeconds, double Seconds, double EventsPerSecond,
    double StartupSeconds, double EventsPerSecondExcludingStartup, long PeakMemoryKb, int ExitCode);
