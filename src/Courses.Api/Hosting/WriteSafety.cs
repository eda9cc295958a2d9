using System.Security.Cryptography;
using JasperFx;
using Courses.Projections.Records;
using Marten;
using Npgsql;

namespace Courses.Api.Hosting;

/// <summary>
/// Around every write under /api: If-Match (412 when the record has moved on), a retry on fresh state when a
/// write without If-Match loses a race (409 only if it loses again), and Idempotency-Key replay.
/// </summary>
public sealed class WriteSafety(RequestDelegate next, IDocumentStore store, ILogger<WriteSafety> logger)
{
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const string IdempotencyKeyReused = "idempotency-key-reused";
    public const int MaxKeyLength = 200;
    private const int Attempts = 3;

    public async Task InvokeAsync(HttpContext http)
    {
        if (!IsWrite(http) || http.User.Identity?.IsAuthenticated != true || http.GetEndpoint() is null)
        {
            await next(http);
            return;
        }
        var clinic = http.User.FindFirst(Authentication.ClinicClaim)?.Value;
        if (string.IsNullOrWhiteSpace(clinic))
        {
            await next(http);
            return;
        }

        long? expectedVersion = null;
        var ifMatch = http.Request.Headers.IfMatch.ToString();
        if (!string.IsNullOrEmpty(ifMatch) && ifMatch != "*")
        {
            expectedVersion = ETags.Parse(ifMatch);
            if (expectedVersion is null)
            {
                await Reject(http, StatusCodes.Status400BadRequest, "Invalid If-Match",
                    "If-Match must be the ETag of the record, as the service sent it (for example \"3\").");
                return;
            }
        }

        ChainHeads.Begin();

        // A lost race is decided again from the same body, so every write body must be readable twice.
        http.Request.EnableBuffering();

        IdempotentRequest? idempotent = null;
        if (http.Request.Headers.TryGetValue(IdempotencyKeyHeader, out var keys))
        {
            var key = keys.ToString();
            if (key.Length is 0 or > MaxKeyLength || key.Any(c => c < 0x21 || c > 0x7e))
            {
                await Reject(http, StatusCodes.Status400BadRequest, "Invalid Idempotency-Key",
                    $"Idempotency-Key must be 1 to {MaxKeyLength} visible ASCII characters.");
                return;
            }
            idempotent = new IdempotentRequest(key, await HashAsync(http));
        }

        // Requests with the same key wait for each other, on every node: the second one then finds the first
        // one's answer instead of deciding again on a record the first one has already changed.
        await using var keyLock = idempotent is null ? null : await IdempotencyKeyLock.TakeAsync(store, clinic, idempotent.Key, http.RequestAborted);
        if (idempotent is not null && keyLock is null)
        {
            await Reject(http, StatusCodes.Status409Conflict, "Request still in progress",
                "A request with this Idempotency-Key is still being decided. Retry it shortly to get its answer.", retryAfterSeconds: 1);
            return;
        }
        await DecideAsync(http, clinic, expectedVersion, idempotent);
    }

    private async Task DecideAsync(HttpContext http, string clinic, long? expectedVersion, IdempotentRequest? idempotent)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (idempotent is not null && await ReplayAsync(http, clinic, idempotent)) return;

            if (expectedVersion is not null)
            {
                var current = await CurrentVersionAsync(http, clinic);
                if (current is not null && current != expectedVersion)
                {
                    await Stale(http, expectedVersion.Value, current.Value);
                    return;
                }
            }

            http.Features.Set(idempotent);
            http.Features.Set(expectedVersion is null ? null : new ExpectedVersion(StreamId(http, clinic), expectedVersion.Value));
            http.Features.Set<AcceptedWrite?>(null);
            try
            {
                await next(http);
                return;
            }
            catch (ConcurrencyException e) when (!http.Response.HasStarted)
            {
                if (expectedVersion is not null)
                {
                    logger.LogInformation(e, "Write on {Path} lost to a concurrent one under If-Match", http.Request.Path);
                    await Stale(http, expectedVersion.Value, null);
                    return;
                }
                if (attempt == Attempts)
                {
                    logger.LogWarning(e, "Write on {Path} lost {Attempts} races in a row", http.Request.Path, Attempts);
                    await Reject(http, StatusCodes.Status409Conflict, "Concurrent write lost",
                        "The record kept changing while this request was being decided. Reload it and try again.");
                    return;
                }
                logger.LogInformation("Write on {Path} lost a race; deciding again on fresh state", http.Request.Path);
            }
            catch (DocumentAlreadyExistsException) when (idempotent is not null && !http.Response.HasStarted)
            {
                // A concurrent request with the same key committed first: the next pass replays its answer.
                logger.LogInformation("Concurrent request with the same Idempotency-Key on {Path}", http.Request.Path);
            }
            Reset(http);
        }
    }

    private static bool IsWrite(HttpContext http) =>
        (HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPut(http.Request.Method) || HttpMethods.IsDelete(http.Request.Method))
        && http.Request.Path.StartsWithSegments("/api");

    private static async Task<string> HashAsync(HttpContext http)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{http.Request.Method} {http.Request.Path}\n"));
        var buffer = new byte[8192];
        int read;
        while ((read = await http.Request.Body.ReadAsync(buffer, http.RequestAborted)) > 0)
            sha.AppendData(buffer, 0, read);
        http.Request.Body.Position = 0;
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private async Task<bool> ReplayAsync(HttpContext http, string clinic, IdempotentRequest request)
    {
        await using var session = store.QuerySession(clinic);
        var record = await session.LoadAsync<IdempotencyRecord>(request.Key, http.RequestAborted);
        if (record is null) return false;

        if (record.RequestHash != request.RequestHash)
        {
            await Reject(http, StatusCodes.Status422UnprocessableEntity, "Idempotency-Key reused",
                "This Idempotency-Key was already used for a different request. Use a new key for a new request.",
                code: IdempotencyKeyReused);
            return true;
        }

        http.Response.StatusCode = record.Status;
        http.Response.Headers.ETag = record.ETag;
        if (record.Location is not null) http.Response.Headers.Location = record.Location;
        http.Response.Headers[ReplayedHeader] = "true";
        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(record.Body, http.RequestAborted);
        return true;
    }

    /// <summary>The stream the route writes to: the client's record, or the clinic's protocol.</summary>
    private static Guid? StreamId(HttpContext http, string clinic) =>
        http.Request.RouteValues.TryGetValue("clientId", out var raw) && Guid.TryParse(raw?.ToString(), out var clientId)
            ? clientId
            : http.Request.Path.StartsWithSegments("/api/protocol") ? ProtocolStream.IdFor(clinic) : null;

    private async Task<long?> CurrentVersionAsync(HttpContext http, string clinic)
    {
        if (StreamId(http, clinic) is not { } streamId) return null;
        await using var session = store.QuerySession(clinic);
        var state = await session.Events.FetchStreamStateAsync(streamId, http.RequestAborted);
        return state?.Version;
    }

    private static void Reset(HttpContext http)
    {
        http.Response.Headers.Clear();
        http.Response.StatusCode = StatusCodes.Status200OK;
        if (http.Request.Body.CanSeek) http.Request.Body.Position = 0;
    }

    private static Task Stale(HttpContext http, long expected, long? current) =>
        Reject(http, StatusCodes.Status412PreconditionFailed, "The record has moved on",
            current is null
                ? $"The record changed after version {expected} while this request was being decided. Reload it and decide again."
                : $"You sent If-Match for version {expected}, but the record is at version {current}. Reload it and decide again.",
            etag: current);

    private static async Task Reject(HttpContext http, int status, string title, string detail, string? code = null, long? etag = null,
        int? retryAfterSeconds = null)
    {
        Reset(http);
        if (etag is not null) http.Response.Headers.ETag = ETags.For(etag.Value);
        if (retryAfterSeconds is not null) http.Response.Headers.RetryAfter = retryAfterSeconds.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Problems.WriteAsync(http, status, title, detail,
            extensions: code is null ? null : new Dictionary<string, object?> { ["code"] = code });
    }
}

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
        var waited = TimeSpan.Zero;
        var pause = TimeSpan.FromMilliseconds(5);
        while (true)
        {
            var connection = store.Storage.Database.CreateConnection();
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

/// <summary>The version an If-Match names, for the stream the request writes to.</summary>
public sealed record ExpectedVersion(Guid? StreamId, long Version);

/// <summary>
/// Enforces, inside the write's own transaction, what <see cref="WriteSafety"/> promised: the stream must still be
/// at the If-Match version when the events land, and the Idempotency-Key record commits with them.
/// </summary>
public sealed class WriteSafetyListener(IHttpContextAccessor http, TimeProvider clock) : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (http.HttpContext is not { } context) return Task.CompletedTask;

        if (context.Features.Get<ExpectedVersion>() is { StreamId: { } streamId } expected)
        {
            // Whatever version the handler fetched, the events may only land on the version the caller saw.
            foreach (var stream in session.PendingChanges.Streams().Where(s => s.Id == streamId))
                stream.ExpectedVersionOnServer = expected.Version;
        }

        var request = context.Features.Get<IdempotentRequest>();
        var answer = context.Features.Get<AcceptedWrite>();
        if (request is not null && answer is not null)
        {
            session.Insert(new IdempotencyRecord
            {
                Id = request.Key,
                RequestHash = request.RequestHash,
                Status = answer.Status,
                Location = answer.Location,
                ETag = answer.ETag,
                Body = answer.Body,
                RecordedAt = clock.GetUtcNow(),
            });
            // One record per request, even if the handler saves more than once.
            context.Features.Set<IdempotentRequest?>(null);
        }
        return Task.CompletedTask;
    }
}
