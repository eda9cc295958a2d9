namespace Courses.Domain.Clients;

public sealed record ClientRegistered(
    Guid ClientId,
    string FullName,
    DateOnly DateOfBirth,
    string? Email,
    string? Phone,
    DateTimeOffset RegisteredAt,
    string RegisteredBy);

/// <summary>Both contact details as they now stand (null: the client gave none).</summary>
public sealed record ContactDetailsChanged(Guid ClientId, string? Email, string? Phone, DateTimeOffset ChangedAt, string By);
