
namespace Courses.Api.Writes;

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
