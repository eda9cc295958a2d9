namespace Courses.Domain.Clients;

public sealed record ClientRegistered(
    Guid ClientId,
    string FullName,
    DateOnly DateOfBirth,
    string? Email,
    string? Phone,
    DateTimeOffset RegisteredAt,
    string RegisteredBy);
