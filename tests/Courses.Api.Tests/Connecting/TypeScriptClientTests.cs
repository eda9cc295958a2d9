using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Courses.Api.Hosting;
using Courses.Api.Tests.Harness;
using Npgsql;

namespace Courses.Api.Tests.Connecting;

/// <summary>
/// The committed TypeScript client against the real service: the service runs as its own process (Production, as
/// deployed, in a database of its own); the client is regenerated from the document it serves and must equal the
/// committed one; it type-checks and compiles; and a small program built on it registers a client and records a session.
/// </summary>
public sealed class TypeScriptClientTests : IAsyncLifetime
{
    private const string Database = "courses_client_tests";
    private const string SigningKey = "typescript-client-test-signing-key-0123456789";
    private const string Clinic = "clinic-ts";

    private static readonly string Root = RepositoryRoot();
    private static readonly string ClientDir = Path.Combine(Root, "clients", "typescript");
    private readonly StringBuilder _serviceOutput = new();
    private Process? _service;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_service is { HasExited: false }) _service.Kill(entireProcessTree: true);
        if (_service is not null) await _service.WaitForExitAsync();
        _service?.Dispose();
    }

    [Fact]
    public async Task The_committed_client_is_current_compiles_and_records_a_session_against_the_live_service()
    {
        await Run("npm", "ci --no-audit --no-fund --prefer-offline --loglevel=error", ClientDir, TimeSpan.FromMinutes(5));

        var baseUrl = await StartServiceAsync();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };

        // Regenerate from the live document, exactly as scripts/client does, and compare with what is committed.
        var scratch = Directory.CreateTempSubdirectory("courses-ts-client-");
        try
        {
            var document = await http.GetStringAsync("/openapi/v1.json");
            Assert.True(document == await File.ReadAllTextAsync(Path.Combine(ClientDir, "openapi.json")),
                "clients/typescript/openapi.json differs from the service's document: run scripts/client and commit the result.");
            var regenerated = Path.Combine(scratch.FullName, "schema.d.ts");
            await File.WriteAllTextAsync(Path.Combine(scratch.FullName, "openapi.json"), document);
            await Run("node", $"node_modules/openapi-typescript/bin/cli.js \"{Path.Combine(scratch.FullName, "openapi.json")}\" --output \"{regenerated}\"",
                ClientDir, TimeSpan.FromMinutes(2));
            Assert.True(await File.ReadAllTextAsync(regenerated) == await File.ReadAllTextAsync(Path.Combine(ClientDir, "src", "schema.d.ts")),
                "clients/typescript/src/schema.d.ts is not what openapi-typescript generates from the document: run scripts/client.");
        }
        finally
        {
            scratch.Delete(recursive: true);
        }

        // tsc type-checks the client and the program, and emits nothing on any error.
        await Run("node", "node_modules/typescript/bin/tsc -p tsconfig.json", ClientDir, TimeSpan.FromMinutes(3));

        var token = (await Run("dotnet", $"\"{ApiAssembly()}\" token --clinic {Clinic} --role reception practitioner --sub ts-client",
            Path.GetDirectoryName(ApiAssembly())!, TimeSpan.FromMinutes(1), ServiceEnvironment())).Trim().Split('\n')[^1].Trim();
        var output = await Run("node", "dist/examples/record-session.js", ClientDir, TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["COURSES_URL"] = baseUrl, ["COURSES_TOKEN"] = token });
        var recorded = JsonDocument.Parse(output.Trim().Split('\n')[^1]).RootElement;
        Assert.Equal(1, recorded.GetProperty("sessionNumber").GetInt32());

        // The service holds what the program said it recorded.
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var course = JsonDocument.Parse(await http.GetStringAsync(
            $"/api/clients/{recorded.GetProperty("clientId").GetGuid()}/courses/{recorded.GetProperty("courseId").GetGuid()}")).RootElement;
        Assert.Equal(1, course.GetProperty("sessionsCompleted").GetInt32());
        Assert.Equal(recorded.GetProperty("sessionId").GetGuid(), course.GetProperty("sessions")[0].GetProperty("sessionId").GetGuid());
        Assert.Equal("active", course.GetProperty("status").GetString());
    }

    private Dictionary<string, string> ServiceEnvironment()
    {
        var connection = new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString()) { Database = Database }.ConnectionString;
        return new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            [$"ConnectionStrings__{Persistence.ConnectionStringName}"] = connection,
            ["Auth__SigningKey"] = SigningKey,
        };
    }

    /// <summary>The service as deployed: db-apply, then the API on a free loopback port, until /health/ready answers.</summary>
    private async Task<string> StartServiceAsync()
    {
        var environment = ServiceEnvironment();
        await TestDatabase.EnsureExistsAsync(environment[$"ConnectionStrings__{Persistence.ConnectionStringName}"]);
        var directory = Path.GetDirectoryName(ApiAssembly())!;
        await Run("dotnet", $"\"{ApiAssembly()}\" db-apply", directory, TimeSpan.FromMinutes(3), environment);

        var url = $"http://127.0.0.1:{FreePort()}";
        _service = Start("dotnet", $"\"{ApiAssembly()}\" --urls {url}", directory, environment, _serviceOutput);

        using var probe = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.True(async () =>
        {
            Assert.False(_service.HasExited, $"The service stopped:\n{_serviceOutput}");
            try
            {
                return (await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromMinutes(2), "the service answering /health/ready", TimeSpan.FromMilliseconds(250),
            evidence: () => $"its output:\n{_serviceOutput}");
        return url;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The API built beside this test project, in the same configuration.</summary>
    private static string ApiAssembly()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        var path = Path.Combine(Root, "src", "Courses.Api", "bin", configuration, "net10.0", "Courses.Api.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build the solution first.");
        return path;
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Courses.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Courses.slnx not found above the test's folder.");
    }

    private static Process Start(string file, string arguments, string directory, IDictionary<string, string>? environment,
        StringBuilder output, StringBuilder? standardOutput = null)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) { output.AppendLine(e.Data); standardOutput?.AppendLine(e.Data); }
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Runs a command to the end; fails the test with its output when it fails. Returns its standard output.</summary>
    private static async Task<string> Run(string file, string arguments, string directory, TimeSpan timeout,
        IDictionary<string, string>? environment = null)
    {
        var all = new StringBuilder();
        var stdout = new StringBuilder();
        using var process = Start(file, arguments, directory, environment, all, stdout);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {arguments} took longer than {timeout}:\n{all}");
        }
        process.WaitForExit(); // drains the redirected output
        Assert.True(process.ExitCode == 0, $"{file} {arguments} exited with {process.ExitCode}:\n{all}");
        return stdout.ToString();
    }
}
