using System.Diagnostics;
using Npgsql;

namespace Courses.Bench;

/// <summary>The physical limit: one small-row INSERT per transaction (autocommit), N connections, as fast as they go.</summary>
public static class Baseline
{
    public static async Task<BaselineLevel> RunAsync(NpgsqlDataSource db, int connections, TimeSpan duration)
    {
        await using (var create = db.CreateCommand(
            "create table if not exists bench_baseline (id bigserial primary key, worker int not null, payload text not null, at timestamptz not null default now())"))
            await create.ExecuteNonQueryAsync();

        long total = 0;
        var watch = Stopwatch.StartNew();
        var deadline = watch.Elapsed + duration;
        var workers = Enumerable.Range(0, connections).Select(async worker =>
        {
            await using var connection = await db.OpenConnectionAsync();
            await using var insert = new NpgsqlCommand("insert into bench_baseline (worker, payload) values ($1, $2)", connection);
            insert.Parameters.Add(new NpgsqlParameter { Value = worker });
            insert.Parameters.Add(new NpgsqlParameter { Value = "a small row of about forty bytes of text" });
            await insert.PrepareAsync();
            long count = 0;
            while (watch.Elapsed < deadline)
            {
                await insert.ExecuteNonQueryAsync();
                count++;
            }
            Interlocked.Add(ref total, count);
        }).ToList();
        await Task.WhenAll(workers);
        var seconds = watch.Elapsed.TotalSeconds;
        return new BaselineLevel(connections, seconds, total, total / seconds);
    }
}
