using System.Security.Cryptography;
using Npgsql;

namespace Courses.Api.Writes;

/// <summary>A PostgreSQL advisory lock on (clinic, Idempotency-Key), held on a connection of its own for one request.</summary>
internal sealed class IdempotencyKeyLock(NpgsqlConnection connection, long lockId) : IAsyncDisposable
{
    /// <summary>How long a request waits for another with the same key; tests shorten it.</summary>
    internal static TimeSpan Patience { get; set; } = TimeSpan.FromSeconds(10);

    internal static long LockIdFor(string clinic, string key) =>
        BitConverter.ToInt64(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"courses/idempotency/{clinic}/{key}")));

    /// <summary>
    /// The lock, or null when another request with the key held it for longer than <see cref="Patience"/>. A waiter
    /// polls rather than blocks, so it holds no pooled connection while the holder needs one to commit.
    /// </summary>
    public static async Task<IdempotencyKeyLock?> TakeAsync(IDocumentStore store, string clinic, string key, CancellationToken cancellation)
    {
        var lockId = LockIdFor(clinic, key);
        // The clinic's own database: with a database per clinic there is no shared one to lock in.
        var database = await store.Storage.FindOrCreateDatabase(clinic);
        var waited = TimeSpan.Zero;
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var connection = database.CreateConnection();
            try
            {
                await connection.OpenAsync(cancellation);
                await using var take = new NpgsqlCommand("select pg_try_advisory_lock(@id)", connection);
                take.Parameters.AddWithValue("id", lockId);
                if ((bool)(await take.ExecuteScalarAsync(cancellation))!) return new IdempotencyKeyLock(connection, lockId);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
            await connection.DisposeAsync();
            if (waited >= Patience) return null;
            await Task.Delay(pause, cancellation);
            waited += pause;
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 200));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var release = new NpgsqlCommand("select pg_advisory_unlock(@id)", connection);
            release.Parameters.AddWithValue("id", lockId);
            await release.ExecuteNonQueryAsync();
        }
        catch (NpgsqlException)
        {
            // The connection died (PostgreSQL restarting): its session, and so the lock, is gone already. The answer
            // may be written by now; throwing here would cut it off and hide a committed write from the caller.
        }
        finally
        {
            // Should the unlock fail, the pool's reset (DISCARD ALL) releases the lock when this connection is next used.
            await connection.DisposeAsync();
        }
    }
}
