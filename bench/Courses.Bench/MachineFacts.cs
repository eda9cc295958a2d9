using Npgsql;

namespace Courses.Bench;

public static class MachineFacts
{
    public static readonly string[] Settings = ["shared_buffers", "synchronous_commit", "fsync", "max_connections", "wal_level"];

    public static async Task<Machine> ReadAsync(NpgsqlDataSource db)
    {
        var machine = new Machine
        {
            Cores = Environment.ProcessorCount,
            Memory = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:"))?["MemTotal:".Length..].Trim() ?? "unknown",
            Dotnet = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
        };
        await using (var version = db.CreateCommand("select version()"))
            machine.PostgresVersion = (string)(await version.ExecuteScalarAsync())!;
        foreach (var setting in Settings)
        {
            await using var show = db.CreateCommand($"show {setting}");
            machine.PostgresSettings[setting] = (string)(await show.ExecuteScalarAsync())!;
        }
        return machine;
    }
}
