using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Courses.Reliability.Tests.Harness;

/// <summary>
/// The API published once (Release) for the whole run, so faults hit the real thing: separate processes in
/// Production mode, with pre-generated handler code and the schema applied by db-apply.
/// </summary>
public sealed class PublishedApi
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? directory;

    public static async Task<string> DirectoryAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (directory is not null) return directory;
            var output = Path.Combine(Figures.RepoRoot, ".data", "reliability-api");
            var (code, log) = await RunAsync("dotnet", ["publish", Path.Combine(Figures.RepoRoot, "src", "Courses.Api"), "-c", "Release", "-o", output,
                "-nologo", "-v", "quiet", "-clp:ErrorsOnly;NoSummary"], Figures.RepoRoot, new Dictionary<string, string>(), TimeSpan.FromMinutes(8));
            if (code != 0) throw new InvalidOperationException("dotnet publish failed:\n" + log);
            return directory = output;
        }
        finally
        {
            Gate.Release();
        }
    }

    public static async Task<(int Code, string Output)> RunAsync(string file, IEnumerable<string> args, string workingDirectory,
        IDictionary<string, string> environment, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', start.ArgumentList)} did not finish in {timeout}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}

/// <summary>One API process on 127.0.0.1 and a free port, killed with SIGKILL when a check says so.</summary>
public sealed class ApiProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StreamWriter log;

    private ApiProcess(Process process, string address, int port, StreamWriter log)
    {
        this.process = process;
        this.log = log;
        Port = port;
        Api = new ApiClient(new HttpClient { BaseAddress = new Uri($"http://{address}:{port}"), Timeout = TimeSpan.FromSeconds(30) });
    }

    public int Port { get; }
    public ApiClient Api { get; }
    public bool HasExited => process.HasExited;

    public static Dictionary<string, string> Environment(string connectionString) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
        ["ConnectionStrings__Courses"] = connectionString,
        ["Auth__SigningKey"] = Tokens.SigningKey,
        ["Limits__WritesPerMinutePerUser"] = "0",
        ["Limits__ClientReadsPerMinutePerUser"] = "0",
        ["Limits__RequestsPerMinutePerClinic"] = "0",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__Marten"] = "Information",
        ["Logging__LogLevel__Wolverine"] = "Information",
    };

    /// <summary>Creates or updates the schema, as an operator does before starting the service in production.</summary>
    public static async Task ApplySchemaAsync(string connectionString)
    {
        var dir = await PublishedApi.DirectoryAsync();
        var (code, output) = await PublishedApi.RunAsync("dotnet", [Path.Combine(dir, "Courses.Api.dll"), "db-apply"], dir,
            Environment(connectionString), TimeSpan.FromMinutes(3));
        if (code != 0) throw new InvalidOperationException("db-apply failed:\n" + output);
    }

    public static Task<(int Code, string Output)> CommandAsync(string connectionString, params string[] args) =>
        CommandAsync(connectionString, new Dictionary<string, string>(), args);

    /// <summary>A command of the published app, with settings beyond <see cref="Environment"/> (a tenancy, say).</summary>
    public static async Task<(int Code, string Output)> CommandAsync(string connectionString, IDictionary<string, string> extra, params string[] args)
    {
        var dir = await PublishedApi.DirectoryAsync();
        var environment = Environment(connectionString);
        foreach (var (key, value) in extra) environment[key] = value;
        return await PublishedApi.RunAsync("dotnet", [Path.Combine(dir, "Courses.Api.dll"), .. args], dir, environment, TimeSpan.FromMinutes(5));
    }

    /// <summary>Starts a node on 127.0.0.1, or inside <paramref name="network"/> on its address, with settings beyond
    /// <see cref="Environment"/> (a tenancy, say), and waits until it is ready.</summary>
    public static async Task<ApiProcess> StartAsync(string connectionString, string name, NodeNetwork? network = null,
        IDictionary<string, string>? extra = null)
    {
        var dir = await PublishedApi.DirectoryAsync();
        var port = PublishedApi.FreePort();
        var address = network?.Address ?? "127.0.0.1";
        string[] command = [.. network?.Prefix ?? [], "dotnet"];
        var start = new ProcessStartInfo(command[0]) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var word in command[1..]) start.ArgumentList.Add(word);
        start.ArgumentList.Add(Path.Combine(dir, "Courses.Api.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://{address}:{port}");
        foreach (var (key, value) in Environment(connectionString)) start.Environment[key] = value;
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var logs = Path.Combine(Figures.RepoRoot, ".data", "reliability-logs");
        System.IO.Directory.CreateDirectory(logs);
        var log = new StreamWriter(Path.Combine(logs, $"{name}-{port}.log")) { AutoFlush = true };
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiProcess(process, address, port, log);
        await api.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
        return api;
    }

    public Task WaitUntilReadyAsync(TimeSpan patience) =>
        Eventually.True(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException($"the API on port {Port} exited with {process.ExitCode}");
            try
            {
                return (await Api.Get(null, "/health/ready")).Status == 200;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, patience, $"the API on port {Port} answering /health/ready", TimeSpan.FromMilliseconds(200));

    /// <summary>
    /// SIGSTOP: the process runs no more code, but its kernel still answers for its sockets (ACKs, keepalive replies),
    /// so to its peers it has not gone anywhere. A vanished host is this plus its network cut (<see cref="NetworkSandbox"/>).
    /// </summary>
    public void Freeze()
    {
        if (SignalProcess(process.Id, SigStop) != 0)
            throw new InvalidOperationException($"SIGSTOP to {process.Id} failed: errno {Marshal.GetLastPInvokeError()}");
    }

    private const int SigStop = 19;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SignalProcess(int pid, int signal);

    /// <summary>kill -9: no shutdown hooks, no flushing, in-flight requests cut off.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    private bool disposed;

    public ValueTask DisposeAsync()
    {
        if (disposed) return ValueTask.CompletedTask;
        disposed = true;
        Kill();
        process.Dispose();
        lock (log) log.Dispose();
        Api.Http.Dispose();
        return ValueTask.CompletedTask;
    }
}
