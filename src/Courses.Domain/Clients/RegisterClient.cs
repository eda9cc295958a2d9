namespace Courses.Domain.Clients;

public sealed record RegisterClient(Guid ClientId, string FullName, DateOnly DateOfBirth, string? Email, string? Phone, string By);

public static class RegisterClientDecision
{
    public static Decision Decide(RegisterClient command, DateTimeOffset now) =>
        Decision.Accept(new ClientRegistered(
            command.ClientId,
            command.FullName.Trim(),
            command.DateOfBirth,
            command.Email?.Trim(),
            command.Phone?.Trim(),
            now,
            command.By));
}
