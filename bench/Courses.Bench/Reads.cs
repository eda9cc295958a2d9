using System.Collections.Concurrent;
using System.Diagnostics;
using Npgsql;

namespace Courses.Bench;

public static class Reads
{
    /// <summary>N workers GET paths chosen by <paramref name="next"/> back to back for the duration.</summary>
    public static async Task<ReadResult> RunAsync(Api api, string token, string route, int workers, TimeSpan duration,
        Func<Random, string> next, string dataset, ConcurrentQueue<string> failures)
    {
        var latencies = new Latencies();
        long requests = 0, errors = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var rng = new Random(worker * 104729 + Environment.TickCount);
            var mine = new List<double>();
            while (watch.Elapsed < duration)
            {
                var answer = await api.Get(token, next(rng));
                mine.Add(answer.Ms);
                Interlocked.Increment(ref requests);
                if (!answer.Ok)
                {
                    Interlocked.Increment(ref errors);
                    if (failures.Count < 5) failures.Enqueue(answer.Failure ?? $"status {answer.Status}");
                }
            }
            latencies.AddRange(mine);
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        return new ReadResult(route, workers, seconds, requests, requests / seconds, latencies.P(50), latencies.P(99), errors, dataset,
            latencies.P(95));
    }

    /// <summary>
    /// Completed courses straight into the read models, as bench/maintenance-due does: a client profile and a maintenance
    /// row each, due dates spread over two years around today, in the token's clinic.
    /// </summary>
    public static async Task SeedMaintenanceAsync(NpgsqlDataSource db, string clinic, int courses)
    {
        var sql = $"""
            insert into courses.mt_doc_clientprofile (tenant_id, id, data, mt_dotnet_type)
            select @clinic, id, jsonb_build_object('id', id, 'fullName', 'Client ' || n, 'dateOfBirth', '1990-01-01',
                   'registeredAt', '2025-01-01T09:00:00+00:00', 'version', 8), 'Courses.Projections.Clients.ClientProfile'
            from (select n, md5('client' || n)::uuid as id from generate_series(1, {courses}) n) c;
            insert into courses.mt_doc_maintenancedue (tenant_id, id, data, mt_dotnet_type, due_on)
            select @clinic, md5('course' || n)::uuid, jsonb_build_object('id', md5('course' || n)::uuid, 'clientId', md5('client' || n)::uuid,
                   'dueOn', to_char(due, 'YYYY-MM-DD'), 'lastSessionOn', to_char(due - interval '6 months', 'YYYY-MM-DD')),
                   'Courses.Projections.Courses.MaintenanceDue', due
            from (select n, (current_date - 365 + (n % 730))::date as due from generate_series(1, {courses}) n) c;
            """;
        await using (var seed = db.CreateCommand(sql))
        {
            seed.CommandTimeout = 600;
            seed.Parameters.Add(new NpgsqlParameter("clinic", clinic));
            await seed.ExecuteNonQueryAsync();
        }
        foreach (var table in new[] { "courses.mt_doc_maintenancedue", "courses.mt_doc_clientprofile" })
        {
            await using var analyze = db.CreateCommand($"vacuum analyze {table}"); // one statement: VACUUM refuses a batch
            analyze.CommandTimeout = 600;
            await analyze.ExecuteNonQueryAsync();
        }
    }

    public static async Task<long> CountAsync(NpgsqlDataSource db, string sql)
    {
        await using var count = db.CreateCommand(sql);
        return Convert.ToInt64(await count.ExecuteScalarAsync());
    }
}
