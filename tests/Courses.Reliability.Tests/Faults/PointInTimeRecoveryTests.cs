using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Courses.Api.Http;
using Courses.Reliability.Tests.BadInput;
using Courses.Reliability.Tests.Harness;
using Npgsql;
using static Courses.Reliability.Tests.Harness.Clinic;

namespace Courses.Reliability.Tests.Faults;

/// <summary>
/// The README's backup story, done: a cluster with WAL archiving, a base backup taken while the API writes, a target
/// moment chosen in the middle of the writes, the base backup restored into a new data folder and the archived WAL
/// replayed to that moment, the service started on the restored database — and proof that the cut is where it was asked.
/// </summary>
public sealed class PointInTimeRecoveryTests
{
    /// <summary>One command: the record it wrote to, the version it answered (its ETag), and when it left and was answered.</summary>
    private sealed record Sent(Guid Client, long Version, DateTimeOffset SentAt, DateTimeOffset AnsweredAt, int Status);

    [Fact]
    public async Task A_base_backup_and_the_archived_WAL_restore_exactly_the_commands_acknowledged_before_the_chosen_moment()
    {
        var figures = new Figures("backup and point-in-time recovery");
        const string database = "courses_rel_drill";
        await using var primary = await PrivateCluster.StartAsync(settings: string.Join('\n',
            "wal_level = replica",
            "archive_mode = on",
            "archive_command = 'mkdir -p ../archive && test ! -f ../archive/%f && cp %p ../archive/%f'"));
        var archive = Path.Combine(primary.Folder, "archive");
        var source = new ProcessDatabase(primary.ConnectionString(database));
        await source.CreateAsync();

        var clinic = $"rel-drill-{Guid.NewGuid():N}";
        var sent = new ConcurrentBag<Sent>();
        var phase = Scale.Count(100, 2000);
        DateTimeOffset target;
        (DateTimeOffset From, DateTimeOffset To) backupWindow;
        await using (var api = await source.StartAsync("drill-primary"))
        {
            using var stop = new CancellationTokenSource();
            var load = Enumerable.Range(0, 6).Select(worker => Task.Run(() => WriteRecordsAsync(api.Api, clinic, worker, sent, stop.Token))).ToList();
            int Acknowledged() => sent.Count(s => s.Status is >= 200 and < 300);
            async Task LoadFor(int more, string what)
            {
                var goal = Acknowledged() + more;
                await Eventually.True(() => Acknowledged() >= goal || load.Any(w => w.IsCompleted), TimeSpan.FromMinutes(5), what);
                if (load.FirstOrDefault(w => w.IsCompleted) is { } failed) await failed;
            }

            await LoadFor(phase, "writes before the base backup");
            var barrage = await BadInputBarrage.StartAsync(api.Api, figures);
            var backupStarted = DateTimeOffset.UtcNow;
            // pg_basebackup as the README has it (tar, compressed, with the WAL it needs), while the writes go on; a fast checkpoint
            // starts it at once (the default spreads the checkpoint out over minutes, gentler on a busy primary).
            var clock = Stopwatch.StartNew();
            await primary.ToolAsync("pg_basebackup", "-h", "127.0.0.1", "-p", primary.Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres",
                "-D", Path.Combine(primary.Folder, "base"), "-Ft", "-z", "-Xs", "--checkpoint=fast");
            figures.Add("base backup ms", clock.ElapsedMilliseconds);
            backupWindow = (backupStarted, DateTimeOffset.UtcNow);
            figures.Add("base backup KiB", Directory.GetFiles(Path.Combine(primary.Folder, "base")).Sum(f => new FileInfo(f).Length) / 1024);
            await LoadFor(phase, "writes between the base backup and the target");
            target = DateTimeOffset.UtcNow;
            await LoadFor(phase, "writes after the target");
            await stop.CancelAsync();
            await Task.WhenAll(load);
            await barrage.StopAsync();
        }

        // Everything written is in the archive once the segment in use is closed and copied; then the primary is gone.
        var closed = await ScalarTextAsync(source.ConnectionString, "select pg_walfile_name(pg_switch_wal())");
        await Eventually.True(async () => string.CompareOrdinal(await ScalarTextAsync(source.ConnectionString,
            "select coalesce(last_archived_wal, '') from pg_stat_archiver"), closed) >= 0, TimeSpan.FromSeconds(60), $"WAL up to {closed} archived");
        await primary.StopServerAsync();
        var segments = Directory.GetFiles(archive);
        figures.Add("WAL files archived", segments.Length);
        figures.Add("WAL archived KiB", segments.Sum(f => new FileInfo(f).Length) / 1024);

        // The README's restore, step by step: unpack the base backup into an empty data folder, recovery settings,
        // recovery.signal, start; PostgreSQL replays the archive up to the target and opens read-write.
        await using var restored = await PrivateCluster.CreateAsync();
        var data = restored.DataDirectory;
        var backup = Path.Combine(primary.Folder, "base");
        await restored.ToolAsync("/bin/mkdir", "-m", "700", data);
        await restored.ToolAsync("/bin/tar", "-xzf", Path.Combine(backup, "base.tar.gz"), "-C", data);
        await restored.ToolAsync("/bin/tar", "-xzf", Path.Combine(backup, "pg_wal.tar.gz"), "-C", Path.Combine(data, "pg_wal"));
        await restored.ToolAsync("/bin/sh", "-c", "printf '%s\\n' \"$1\" >> \"$2/postgresql.conf\" && touch \"$2/recovery.signal\"", "sh", string.Join('\n',
            $"restore_command = 'cp {archive}/%f %p'",
            $"recovery_target_time = '{target.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}+00'",
            "recovery_target_action = 'promote'",
            // In production the restored cluster archives its new timeline too; here the drill's archive stays as the backup left it.
            "archive_mode = off"), data);
        var restoring = Stopwatch.StartNew();
        await restored.StartServerAsync();
        var copy = new ProcessDatabase(restored.ConnectionString(database));
        await Eventually.True(async () => await ScalarTextAsync(copy.ConnectionString, "select pg_is_in_recovery()::text") == "false",
            TimeSpan.FromMinutes(2), "the restored cluster promoted");
        figures.Add("restore ms (start to read-write)", restoring.ElapsedMilliseconds);

        // The rule, from the commit order PostgreSQL replays: a command answered by the target was committed by then
        // and must be there; one sent after it was committed after it and must not; one in flight across the target
        // may be either, but whole (its version present or not, the chain intact either way).
        var stored = await VersionsAsync(copy.ConnectionString);
        var commands = sent.Where(s => s.Status is >= 200 and < 300).ToList();
        bool Present(Sent s) => stored.Contains((s.Client, s.Version));
        var before = commands.Where(s => s.AnsweredAt <= target).ToList();
        var after = commands.Where(s => s.SentAt > target).ToList();
        var across = commands.Except(before).Except(after).ToList();
        figures.Add("commands sent", sent.Count);
        figures.Add("commands acknowledged", commands.Count);
        figures.Add("acknowledged during the fault", commands.Count(s => s.SentAt >= backupWindow.From && s.AnsweredAt <= backupWindow.To));
        figures.Add("acknowledged found", commands.Count(Present));
        figures.Add("5xx", sent.Count(s => s.Status >= 500));
        figures.Add("4xx", sent.Count(s => s.Status is >= 400 and < 500));
        figures.Add("answered by the target", before.Count);
        figures.Add("found of those answered by the target", before.Count(Present));
        figures.Add("sent after the target", after.Count);
        figures.Add("found of those sent after the target", after.Count(Present));
        figures.Add("in flight across the target", across.Count);
        figures.Add("found of those in flight across the target", across.Count(Present));

        // The service on the restored database: the schema checked (db-apply), every record's hash chain verified, a
        // new write accepted, and the async projections caught up equal to a rebuild.
        await ApiProcess.ApplySchemaAsync(copy.ConnectionString);
        var streams = stored.Select(s => s.Stream).ToHashSet();
        var records = commands.Select(s => s.Client).Distinct().Where(streams.Contains).ToList();
        await using (var api = await copy.StartAsync("drill-restored"))
        {
            var auditor = Tokens.For(Roles.Auditor, clinic);
            foreach (var record in records)
            {
                var verdict = await api.Api.Get(auditor, $"/api/clients/{record}/history/verify");
                Assert.True(verdict.Status == 200, verdict.Body);
                if (verdict.Json.GetProperty("status").GetString() == "intact") figures.Add("hash chains verified intact");
            }
            await Ok(api.Api.Post(Tokens.For(Roles.Reception, clinic), "/api/clients", new { fullName = "After Restore", dateOfBirth = "1980-01-01" }), 201);
            await copy.WaitForProjectionsAsync(TimeSpan.FromSeconds(120));
        }
        figures.Add("read model rows equal to a rebuild", await copy.AssertReadModelsEqualRebuildAsync());
        figures.Report();

        Assert.Equal(0, figures["5xx"]);
        Assert.Equal(0, figures["4xx"]);
        Assert.True(before.Count > 0 && after.Count > 0, "the target should fall in the middle of the writes");
        Assert.All(before, s => Assert.True(Present(s), $"acknowledged at {s.AnsweredAt:O}, before the target {target:O}, but not restored: {s}"));
        Assert.All(after, s => Assert.False(Present(s), $"sent at {s.SentAt:O}, after the target {target:O}, but restored: {s}"));
        Assert.Equal(records.Count, figures["hash chains verified intact"]);
    }

    /// <summary>
    /// A worker's writes: one client after another, registered, screened, consented and booked — four commands, each
    /// answered with the record's new version.
    /// </summary>
    private static async Task WriteRecordsAsync(ApiClient api, string clinic, int worker, ConcurrentBag<Sent> sent, CancellationToken stop)
    {
        var reception = Tokens.For(Roles.Reception, clinic);
        var practitioner = Tokens.For(Roles.Practitioner, clinic);
        var day = DateTimeOffset.UtcNow.AddDays(-30);
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var key = $"d{worker}-{i}";
            var registered = await SendAsync(api, reception, "/api/clients", new { fullName = $"Drill {key}", dateOfBirth = "1988-08-08" }, key, null, sent);
            if (registered is not { } client) continue;
            var c = $"/api/clients/{client}";
            await SendAsync(api, practitioner, $"{c}/screenings",
                new { screenedAt = At(day), conditions = Array.Empty<string>(), knownAllergies = Array.Empty<string>() }, key + "-s", client, sent);
            await SendAsync(api, practitioner, $"{c}/consents", new { signedAt = At(day), procedure = "microneedling", formVersion = "v3" }, key + "-c", client, sent);
            await SendAsync(api, reception, $"{c}/consultations",
                new { scheduledAt = At(DateTimeOffset.UtcNow.AddDays(7)), practitionerId = Practitioner, concerns = new[] { "fineLines" } }, key + "-b", client, sent);
        }
    }

    private static async Task<Guid?> SendAsync(ApiClient api, string token, string path, object body, string key, Guid? client, ConcurrentBag<Sent> sent)
    {
        var at = DateTimeOffset.UtcNow;
        var answer = await api.Post(token, path, body, key);
        var answered = DateTimeOffset.UtcNow;
        var id = client ?? (answer.Status == 201 ? answer.Json.GetProperty("clientId").GetGuid() : null);
        var version = answer.Status is >= 200 and < 300
            ? ETags.Parse(answer.Header("ETag")) ?? throw new InvalidOperationException($"{path} answered {answer.Status} without a version")
            : -1;
        sent.Add(new Sent(id ?? Guid.Empty, version, at, answered, answer.Status));
        return id;
    }

    private static async Task<HashSet<(Guid Stream, long Version)>> VersionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand($"select stream_id, version from {ProcessDatabase.EventSchema}.mt_events", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var versions = new HashSet<(Guid, long)>();
        while (await reader.ReadAsync()) versions.Add((reader.GetGuid(0), reader.GetInt64(1)));
        return versions;
    }

    private static async Task<string> ScalarTextAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
    }
}
