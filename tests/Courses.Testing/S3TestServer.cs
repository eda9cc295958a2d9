using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Courses.Testing;

/// <summary>
/// A real S3-speaking server on loopback for the S3 photo store's tests: s3rver (npm, file-backed), installed by
/// scripts/s3rver, started in its own process on a free port with one bucket. Stop and Start again to play an outage.
/// </summary>
public sealed class S3TestServer : IAsyncDisposable
{
    public const string Bucket = "courses-photos";
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly string _launcher;
    private readonly string _data = Path.Combine(Path.GetTempPath(), $"courses-s3rver-{Guid.NewGuid():N}");
    private Process? _process;

    public int Port { get; } = FreePort();
    public string ServiceUrl => $"http://127.0.0.1:{Port}";

    private S3TestServer(string launcher) => _launcher = launcher;

    public static async Task<S3TestServer> StartAsync()
    {
        var server = new S3TestServer(await InstallAsync());
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        Directory.CreateDirectory(_data);
        var start = new ProcessStartInfo("node", [_launcher, "-d", _data, "-a", "127.0.0.1", "-p", Port.ToString(), "-s", "--configure-bucket", Bucket])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start s3rver.");
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"s3rver exited with {_process.ExitCode}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        throw new TimeoutException("s3rver did not start listening within 30 s.");
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Every object the server holds, as files under its data folder: what the tests check behind the API's back.</summary>
    public IReadOnlyList<string> ObjectKeys()
    {
        var bucket = Path.Combine(_data, Bucket);
        return Directory.Exists(bucket)
            ? [.. Directory.EnumerateFiles(bucket, "*._S3rver_object", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(bucket, f)[..^"._S3rver_object".Length].Replace('\\', '/'))]
            : [];
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { Directory.Delete(_data, recursive: true); } catch (IOException) { }
    }

    private static async Task<string> InstallAsync()
    {
        var root = RepoRoot();
        var install = Process.Start(new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "s3rver")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var launcher = (await install.StandardOutput.ReadToEndAsync()).Trim();
        var errors = await install.StandardError.ReadToEndAsync();
        await install.WaitForExitAsync();
        if (install.ExitCode != 0 || !File.Exists(launcher)) throw new InvalidOperationException($"scripts/s3rver failed: {errors}");
        return launcher;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Courses.slnx"))) return dir.FullName;
        throw new InvalidOperationException("The repository root (Courses.slnx) is not above the test's folder.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
