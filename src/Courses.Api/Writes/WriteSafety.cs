using System.Security.Cryptography;
using Courses.Projections.Protocol;
using Courses.Projections.Records;
using JasperFx;
using Npgsql;

namespace Courses.Api.Writes;

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
        if (!WriteRequests.IsWrite(http.Request) || http.User.Identity?.IsAuthenticated != true || http.GetEndpoint() is null)
        {
            await next(http);
            return;
        }
        var clinic = http.User.FindFirst(Caller.ClinicClaim)?.Value;
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

        http.Features.Set(ChainHeads.CollectForThisRequest());

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
