namespace Courses.Reliability.Tests.Harness;

/// <summary>
/// A PostgreSQL cluster of this check's own (initdb into a temporary folder, its own free port), so that stopping
/// and starting it never touches the cluster other tests or people use. Run as the postgres user when we are root.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string bin;
    private readonly string listen;

    private PrivateCluster(string bin, string folder, int port, string listen)
    {
        this.bin = bin;
        Folder = folder;
        Port = port;
        this.listen = listen;
    }

    public int Port { get; }

    /// <summary>The cluster's own temporary folder (owned by the server's user): its data, log, and whatever a check keeps beside them.</summary>
    public string Folder { get; }

    public string DataDirectory => Path.Combine(Folder, "data");

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    /// <summary>
    /// initdb and start. <paramref name="alsoListenOn"/>: another local address the server listens on, with trust for
    /// <paramref name="trustedNetwork"/> (a node in a network namespace of its own connects from there).
    /// <paramref name="settings"/> go into postgresql.conf, so a base backup carries them.
    /// </summary>
    public static async Task<PrivateCluster> StartAsync(string? alsoListenOn = null, string? trustedNetwork = null, string? settings = null)
    {
        var cluster = await CreateAsync(alsoListenOn);
        await cluster.ToolAsync("initdb", "-D", cluster.DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8");
        if (trustedNetwork is not null)
            await cluster.AppendAsOwnerAsync(Path.Combine(cluster.DataDirectory, "pg_hba.conf"), $"host all all {trustedNetwork} trust");
        if (settings is not null) await cluster.AppendAsOwnerAsync(Path.Combine(cluster.DataDirectory, "postgresql.conf"), settings);
        await cluster.StartServerAsync();
        return cluster;
    }

    /// <summary>A folder and a port, no data yet: a restore fills <see cref="DataDirectory"/> before <see cref="StartServerAsync"/>.</summary>
    public static async Task<PrivateCluster> CreateAsync(string? alsoListenOn = null)
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (scripts/test installs it)");
        var folder = Path.Combine(Path.GetTempPath(), $"courses-rel-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        if (IsRoot) await RunAsync("chown", "postgres:postgres", folder);
        return new PrivateCluster(bin, folder, PublishedApi.FreePort(), alsoListenOn is null ? "127.0.0.1" : $"127.0.0.1,{alsoListenOn}");
    }

    public Task StartServerAsync() => ToolAsync("pg_ctl", "-D", DataDirectory, "-l", Path.Combine(Folder, "postgres.log"), "-w", "-t", "120",
        "start", "-o", $"-p {Port} -k {Folder} -c listen_addresses={listen}");

    public Task StopServerAsync(string mode = "fast") => ToolAsync("pg_ctl", "-D", DataDirectory, "-m", mode, "-w", "stop");

    private static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs a PostgreSQL tool (or any program, given a path) as the server's user; returns its output.</summary>
    public Task<string> ToolAsync(string tool, params string[] args)
    {
        var file = Path.IsPathRooted(tool) ? tool : Path.Combine(bin, tool);
        return IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : RunAsync(file, args);
    }

    private Task AppendAsOwnerAsync(string file, string lines) => ToolAsync("/bin/sh", "-c", $"printf '%s\\n' \"$1\" >> \"$2\"", "sh", lines, file);

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        var (code, output) = await PublishedApi.RunAsync(file, args, "/", new Dictionary<string, string>(), TimeSpan.FromMinutes(4));
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed:\n{output}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync("immediate");
        }
        catch (InvalidOperationException)
        {
            // Already stopped, or never started.
        }
        Directory.Delete(Folder, recursive: true);
    }
}
