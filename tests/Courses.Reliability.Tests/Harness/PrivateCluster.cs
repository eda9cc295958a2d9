namespace Courses.Reliability.Tests.Harness;

/// <summary>
/// A PostgreSQL cluster of this check's own (initdb into a temporary folder, its own free port), so that stopping
/// and starting it never touches the cluster other tests or people use. Run as the postgres user when we are root.
/// </summary>
public sealed class PrivateCluster : IAsyncDisposable
{
    private readonly string bin;
    private readonly string folder;

    private PrivateCluster(string bin, string folder, int port)
    {
        this.bin = bin;
        this.folder = folder;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString(string database) => $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database}";

    public static async Task<PrivateCluster> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (scripts/test installs it)");
        var folder = Path.Combine(Path.GetTempPath(), $"courses-rel-pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var cluster = new PrivateCluster(bin, folder, PublishedApi.FreePort());
        if (IsRoot) await Run("chown", "postgres:postgres", folder);
        await cluster.AsOwner("initdb", "-D", Path.Combine(folder, "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8");
        await cluster.StartServerAsync();
        return cluster;
    }

    public Task StartServerAsync() => AsOwner("pg_ctl", "-D", Path.Combine(folder, "data"), "-l", Path.Combine(folder, "postgres.log"), "-w", "-t", "60",
        "start", "-o", $"-p {Port} -k {folder} -c listen_addresses=127.0.0.1");

    public Task StopServerAsync(string mode = "fast") => AsOwner("pg_ctl", "-D", Path.Combine(folder, "data"), "-m", mode, "-w", "stop");

    private static bool IsRoot => Environment.UserName == "root";

    private Task AsOwner(string tool, params string[] args) =>
        IsRoot ? Run("runuser", ["-u", "postgres", "--", Path.Combine(bin, tool), .. args]) : Run(Path.Combine(bin, tool), args);

    private static async Task Run(string file, params string[] args)
    {
        var (code, output) = await PublishedApi.RunAsync(file, args, "/", new Dictionary<string, string>(), TimeSpan.FromMinutes(2));
        if (code != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed:\n{output}");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopServerAsync("immediate");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }
        Directory.Delete(folder, recursive: true);
    }
}
