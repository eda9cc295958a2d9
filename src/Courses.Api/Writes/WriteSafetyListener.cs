
namespace Courses.Api.Writes;

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
