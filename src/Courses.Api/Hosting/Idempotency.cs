using Marten;

namespace Courses.Api.Hosting;

/// <summary>
/// A POST answered under an Idempotency-Key, kept per clinic (the document is tenanted) in the same
/// transaction as the events it produced, so a retry replays this answer and appends nothing.
/// </summary>
public sealed class IdempotencyRecord
{
    public required string Id { get; init; }
    public required string RequestHash { get; init; }
    public int Status { get; init; }
    public string? Location { get; init; }
    public required string ETag { get; init; }
    public required string Body { get; init; }
    public DateTimeOffset RecordedAt { get; init; }
}

/// <summary>What the write-safety middleware knows of the request, for the session listener to see.</summary>
public sealed record IdempotentRequest(string Key, string RequestHash);

/// <summary>Stores the idempotency record inside the transaction of the write it belongs to.</summary>
public sealed class IdempotencyListener(IHttpContextAccessor http, TimeProvider clock) : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        var context = http.HttpContext;
        var request = context?.Features.Get<IdempotentRequest>();
        var answer = context?.Features.Get<AcceptedWrite>();
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
            context!.Features.Set<IdempotentRequest?>(null);
        }
        return Task.CompletedTask;
    }
}
