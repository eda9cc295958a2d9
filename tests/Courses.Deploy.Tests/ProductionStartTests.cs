using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Npgsql;
using static Courses.Deploy.Tests.Repo;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Courses.Deploy.Tests;

/// <summary>
/// The published app, run exactly as the image runs it: the Dockerfile's ENTRYPOINT, WORKDIR and ENV, plus the
/// environment compose gives an API node. Only the connection string (this machine's PostgreSQL) and the port (a
/// free one) differ; the collector endpoint is left out, as there is no collector here.
/// </summary>
public sealed class ProductionStartTests(PublishedApp app) : IClassFixture<PublishedApp>
{
    [Fact]
    public async Task A_production_start_against_an_unmigrated_database_fails_loudly_and_starts_once_db_apply_ran()
    {
        var connection = await PublishedApp.FreshDatabaseAsync("courses_deploy_start");

        var refused = await app.RunToExitAsync(connection, []);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("\"LogLevel\":\"Critical\"", refused.Output);
        Assert.Contains("The database schema is not applied or is out of date", refused.Output);
        Assert.Contains("db-apply", refused.Output);
        Assert.False(await PublishedApp.TableExistsAsync(connection, "courses_events.mt_events"), "a production start must not migrate");

        // The compose service db-apply: the same image and environment, with its command.
        var migrate = Map(At(YamlDocument("deploy", "compose.yaml"), "services", "db-apply"));
        var applied = await app.RunToExitAsync(connection, List(migrate["command"]).Cast<string>().ToArray());
        Assert.True(applied.ExitCode == 0, applied.Output);
        Assert.True(await PublishedApp.TableExistsAsync(connection, "courses_events.mt_events"));

        await using var running = app.Start(connection, out var port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var live = await running.PollAsync(http, "/health/live");
        Assert.Equal(HttpStatusCode.OK, live);
        await running.PollAsync(http, "/health/ready", HttpStatusCode.OK);
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("healthy", JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("status").GetString());

        // An API route answers as in production: no token, 401, as a problem body.
        var anonymous = await http.GetAsync("/api/clients/00000000-0000-0000-0000-000000000001");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        // The image's HEALTHCHECK command, in the same environment, against the running node.
        var probe = await app.RunToExitAsync(connection, Image.HealthCheck.Skip(Image.Entrypoint.Count).ToArray(), port);
        Assert.True(probe.ExitCode == 0, probe.Output);
        Assert.Contains("\"Now listening on: http://[::]:" + port, running.Output);
        Assert.Contains("Hosting environment: Production", running.Output);
    }

    [Fact]
    public async Task With_a_database_per_clinic_db_apply_migrates_every_clinic_database_and_production_starts()
    {
        var main = await PublishedApp.FreshDatabaseAsync("courses_deploy_main");
        var clinics = new Dictionary<string, string>
        {
            ["clinic-a"] = await PublishedApp.FreshDatabaseAsync("courses_deploy_clinic_a"),
            ["clinic-b"] = await PublishedApp.FreshDatabaseAsync("courses_deploy_clinic_b"),
        };
        var tenancy = clinics.ToDictionary(c => $"Tenancy__Clinics__{c.Key}", c => c.Value);
        tenancy["Tenancy__Mode"] = "DatabasePerClinic";

        var refused = await app.RunToExitAsync(main, [], extra: tenancy);
        Assert.NotEqual(0, refused.ExitCode);

        var applied = await app.RunToExitAsync(main, ["db-apply"], extra: tenancy);
        Assert.True(applied.ExitCode == 0, applied.Output);
        foreach (var clinic in clinics.Values)
        {
            Assert.True(await PublishedApp.TableExistsAsync(clinic, "courses_events.mt_events"));
            Assert.True(await PublishedApp.TableExistsAsync(clinic, "courses_messages.wolverine_incoming_envelopes"));
        }
        Assert.True(await PublishedApp.TableExistsAsync(main, "courses_messages.wolverine_nodes"));

        await using var running = app.Start(main, out var port, tenancy);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal(HttpStatusCode.OK, await running.PollAsync(http, "/health/ready", HttpStatusCode.OK));
    }

    [Fact]
    public async Task A_new_node_warms_itself_before_it_is_ready_and_leaves_nothing_behind()
    {
        var connection = await PublishedApp.FreshDatabaseAsync("courses_deploy_warm");
        var migrate = Map(At(YamlDocument("deploy", "compose.yaml"), "services", "db-apply"));
        Assert.Equal(0, (await app.RunToExitAsync(connection, List(migrate["command"]).Cast<string>().ToArray())).ExitCode);

        await using var running = app.Start(connection, out var port);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        await running.PollAsync(http, "/health/ready", HttpStatusCode.OK);
        var checks = JsonDocument.Parse(await http.GetStringAsync("/health/ready")).RootElement.GetProperty("checks");
        Assert.Equal("healthy", checks.GetProperty("warmUp").GetProperty("status").GetString());
        await Eventually.Until(() => Task.FromResult(running.Output), output => output.Contains("Warm-up: "), TimeSpan.FromSeconds(10),
            "the warm-up's log line", TimeSpan.FromMilliseconds(100));
        Assert.DoesNotContain("\"LogLevel\":\"Error\"", running.Output);
        Assert.DoesNotContain("Warm-up stopped early", running.Output);

        // Its writes were decided and rolled back: of the warm-up clinic, only the tombstones Marten writes for the
        // sequence numbers a failed write took; no document, no access record, no message.
        await using var db = new NpgsqlConnection(connection);
        await db.OpenAsync();
        async Task<long> Count(string sql)
        {
            await using var command = new NpgsqlCommand(sql, db);
            return (long)(await command.ExecuteScalarAsync())!;
        }
        Assert.Equal(0, await Count("select count(*) from courses_events.mt_events where type <> 'tombstone'"));
        Assert.True(await Count("select count(*) from courses_events.mt_events where type = 'tombstone'") > 0,
            "the warm-up's writes reached their transaction");
        await using (var tables = new NpgsqlCommand(
            "select table_schema || '.' || table_name from information_schema.columns where column_name = 'tenant_id' and table_name like 'mt_doc_%'", db))
        await using (var reader = await tables.ExecuteReaderAsync())
        {
            var names = new List<string>();
            while (await reader.ReadAsync()) names.Add(reader.GetString(0));
            await reader.CloseAsync();
            foreach (var table in names) Assert.Equal(0, await Count($"select count(*) from {table}"));
        }
        Assert.Equal(0, await Count("select count(*) from courses_messages.wolverine_outgoing_envelopes"));

        // What rolls a write back is the key that signed its token, which never leaves the node: a token for the same
        // clinic from the configured key writes as any other.
        var token = (await app.RunToExitAsync(connection, ["token", "--clinic", "courses-warm-up", "--role", "reception", "--sub", "u"], port)).Output.Trim();
        using var register = new HttpRequestMessage(HttpMethod.Post, "/api/clients")
        {
            Content = new StringContent("""{"fullName":"Real Client","dateOfBirth":"1990-01-01"}""", Encoding.UTF8, "application/json"),
        };
        register.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Split('\n').Last().Trim());
        Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(register)).StatusCode);
        Assert.Equal(1, await Count("select count(*) from courses_events.mt_events where type = 'client_registered'"));
    }

    [Fact]
    public async Task A_node_without_time_zone_data_stays_out_of_rotation_and_says_why()
    {
        var connection = await PublishedApp.FreshDatabaseAsync("courses_deploy_tz");
        var migrate = Map(At(YamlDocument("deploy", "compose.yaml"), "services", "db-apply"));
        Assert.Equal(0, (await app.RunToExitAsync(connection, List(migrate["command"]).Cast<string>().ToArray())).ExitCode);
        var noZones = System.IO.Directory.CreateTempSubdirectory("courses-no-tzdata").FullName;

        await using var running = app.Start(connection, out var port, new Dictionary<string, string> { ["TZDIR"] = noZones });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal(HttpStatusCode.OK, await running.PollAsync(http, "/health/live"));
        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var check = JsonDocument.Parse(await ready.Content.ReadAsStringAsync()).RootElement.GetProperty("checks").GetProperty("timeZones");
        Assert.Equal("unhealthy", check.GetProperty("status").GetString());
        Assert.Contains("install tzdata", check.GetProperty("description").GetString());
    }

    [Fact]
    public async Task The_health_probe_fails_when_nothing_answers()
    {
        var connection = await PublishedApp.FreshDatabaseAsync("courses_deploy_probe");
        var probe = await app.RunToExitAsync(connection, Image.HealthCheck.Skip(Image.Entrypoint.Count).ToArray(), PublishedApp.FreePort());
        Assert.NotEqual(0, probe.ExitCode);
        Assert.Contains("/health/live did not answer", probe.Output);
    }

    private static Dockerfile Image => Dockerfile.Load();
}

public sealed record Exited(int ExitCode, string Output);

/// <summary><c>dotnet publish</c> of the API once for the class, into .data/ (git-ignored), ReadyToRun as the image builds it.</summary>
public sealed class PublishedApp : IAsyncLifetime
{
    private static readonly string[] PlatformPrefixes = ["ASPNETCORE_", "DOTNET_", "ConnectionStrings__", "Auth__", "Marten__", "Metrics__", "OTEL_", "Tenancy__"];
    private readonly Dockerfile _image = Dockerfile.Load();
    public string Directory { get; } = Repo.Path(".data", "deploy-tests", "app");

    public async ValueTask InitializeAsync()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
        var publish = new ProcessStartInfo("dotnet",
            ["publish", Repo.Path("src", "Courses.Api", "Courses.Api.csproj"), "-c", "Release", "-o", Directory,
             "-p:UseAppHost=false", "-r", "linux-x64", "--self-contained", "false", "-p:PublishReadyToRun=true",
             "-nologo", "-v", "quiet", "-clp:ErrorsOnly;NoSummary"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(publish)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed:\n{await output}\n{await error}");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>The image's process: ENTRYPOINT + arguments, in WORKDIR, with ENV and compose's API environment.</summary>
    private ProcessStartInfo StartInfo(string connection, IReadOnlyList<string> args, int port, IReadOnlyDictionary<string, string>? extra)
    {
        var workDir = _image.WorkDir ?? "/";
        string Local(string path) => path.StartsWith(workDir + "/", StringComparison.Ordinal) ? System.IO.Path.Combine(Directory, path[(workDir.Length + 1)..]) : path;
        var command = _image.Entrypoint.Concat(_image.Cmd.Count > 0 && args.Count == 0 ? _image.Cmd : args).Select(Local).ToArray();
        var start = new ProcessStartInfo(command[0], command.Skip(1))
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var key in start.Environment.Keys.Where(k => PlatformPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToArray())
            start.Environment.Remove(key);
        foreach (var (key, value) in _image.Env) start.Environment[key] = value;
        var compose = Map(At(YamlDocument("deploy", "compose.yaml"), "services", "api1", "environment"));
        foreach (var (key, value) in compose)
            start.Environment[key] = Regex(value as string ?? "");
        start.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        start.Environment["ConnectionStrings__Courses"] = connection;
        start.Environment["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) start.Environment[key] = value;
        return start;
    }

    /// <summary>Compose's <c>${NAME:-default}</c>, with nothing set: the default.</summary>
    private static string Regex(string value) => System.Text.RegularExpressions.Regex.Replace(value, @"\$\{\w+:-([^}]*)\}", "$1");

    public async Task<Exited> RunToExitAsync(string connection, IReadOnlyList<string> args, int? port = null,
        IReadOnlyDictionary<string, string>? extra = null)
    {
        using var process = new Process { StartInfo = StartInfo(connection, args, port ?? FreePort(), extra) };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{string.Join(' ', args)} did not exit:\n{output}");
        }
        process.WaitForExit();
        lock (output) return new Exited(process.ExitCode, output.ToString());
    }

    public Running Start(string connection, out int port, IReadOnlyDictionary<string, string>? extra = null)
    {
        port = FreePort();
        return new Running(Process.Start(StartInfo(connection, [], port, extra))!);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("COURSES_TEST_CONNECTION")
                                          ?? "Host=127.0.0.1;Port=55432;Username=postgres;Database=courses_tests")
        { Database = database }.ConnectionString;

    public static async Task<string> FreshDatabaseAsync(string database)
    {
        var admin = new NpgsqlConnectionStringBuilder(ConnectionString("postgres")) { Pooling = false };
        await using var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        await using (var drop = new NpgsqlCommand($"drop database if exists \"{database}\" with (force)", connection))
            await drop.ExecuteNonQueryAsync();
        await using (var create = new NpgsqlCommand($"create database \"{database}\"", connection))
            await create.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(ConnectionString(database)) { Pooling = false }.ConnectionString;
    }

    public static async Task<bool> TableExistsAsync(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("select to_regclass(@table) is not null", connection);
        query.Parameters.AddWithValue("table", table);
        return (bool)(await query.ExecuteScalarAsync())!;
    }
}

/// <summary>A started node; disposing stops it (only this process, which the test started).</summary>
public sealed class Running : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    public Running(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>Polls a route until it answers (with <paramref name="status"/>, when given), the process exits, or a minute passes.</summary>
    public async Task<HttpStatusCode> PollAsync(HttpClient http, string path, HttpStatusCode? status = null) =>
        (await Eventually.Until(async () =>
        {
            if (_process.HasExited) throw new InvalidOperationException($"The app exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var answer = await http.GetAsync(path);
                return (HttpStatusCode?)answer.StatusCode;
            }
            catch (HttpRequestException)
            {
                return null;
            }
        }, answered => answered is not null && (status is null || answered == status), TimeSpan.FromMinutes(1),
            $"{path} answering{(status is null ? "" : $" {(int)status}")}", TimeSpan.FromMilliseconds(200),
            evidence: () => Output))!.Value;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
