namespace Courses.Bench;

/// <summary>What bench/run passes in. Every value has a command-line flag; the script sets them all.</summary>
public sealed record Options
{
    public required string Phase { get; init; }            // "live" (API up) or "rebuild" (API stopped)
    public bool Quick { get; init; }
    public string BaseUrl { get; init; } = "";
    public string Connection { get; init; } = "";
    public string Clinic { get; init; } = "bench-clinic";
    public string ReceptionToken { get; init; } = "";
    public string PractitionerToken { get; init; } = "";
    public string AuditorToken { get; init; } = "";
    public string Token { get; init; } = "";
    public string PathsFile { get; init; } = "";
    /// <summary>The warm-up's length; with an API pid, its ceiling: it ends once a 5-s step compiles at most <see cref="JitFlat"/> methods.</summary>
    public int WarmupSeconds { get; init; } = 20;
    public int JitFlat { get; init; } = 25;
    public string PerfOutput { get; init; } = "";
    public int ApiPid { get; init; }
    public int PostgresPid { get; init; }
    public string ApiDir { get; init; } = "";
    public string ResultsDir { get; init; } = "";
    public int[] Concurrency { get; init; } = [1, 8, 32];

    public TimeSpan LevelDuration => Quick ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(Seconds);
    public int Seconds { get; init; } = 20;
    public int MaintenanceRows { get; init; } = 100_000;
    public int RebuildClients { get; init; } = 5_000;
    public long RebuildEvents { get; init; } = 1_000_000;
    public int ReplayEvents { get; init; } = 500;

    public static Options Parse(string[] args)
    {
        string Get(string name, string fallback = "")
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }
        var quick = args.Contains("--quick");
        int Int(string name, int full, int quickValue) => int.Parse(Get(name, (quick ? quickValue : full).ToString()));
        return new Options
        {
            Phase = args.Length > 0 ? args[0] : throw new ArgumentException("usage: Courses.Bench live|rebuild [options]"),
            Quick = quick,
            BaseUrl = Get("--base-url").TrimEnd('/'),
            Connection = Get("--connection"),
            Clinic = Get("--clinic", "bench-clinic"),
            ReceptionToken = Get("--reception-token"),
            PractitionerToken = Get("--practitioner-token"),
            AuditorToken = Get("--auditor-token"),
            Token = Get("--token"),
            PathsFile = Get("--paths"),
            WarmupSeconds = int.Parse(Get("--warmup-seconds", "20")),
            JitFlat = int.Parse(Get("--jit-flat", "25")),
            PerfOutput = Get("--perf-output"),
            ApiPid = int.Parse(Get("--api-pid", "0")),
            PostgresPid = int.Parse(Get("--postgres-pid", "0")),
            ApiDir = Get("--api-dir"),
            ResultsDir = Get("--results"),
            Seconds = Int("--seconds", 20, 2),
            MaintenanceRows = Int("--maintenance-rows", 100_000, 2_000),
            RebuildClients = Int("--rebuild-clients", 5_000, 40),
            RebuildEvents = Int("--rebuild-events", 1_000_000, 5_000),
            ReplayEvents = Int("--replay-events", 500, 100),
            Concurrency = args.Contains("--workers") ? [int.Parse(Get("--workers"))] : [1, 8, 32],
        };
    }
}
