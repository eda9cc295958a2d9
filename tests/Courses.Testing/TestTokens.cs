using Courses.Api.Hosting;

namespace Courses.Testing;

/// <summary>Bearer tokens as the service issues them, signed with the key the host under test was given.</summary>
public sealed record TestTokens(string SigningKey, string Clinic, string SubjectPrefix, TimeSpan Lifetime)
{
    private AuthOptions Auth => new() { SigningKey = SigningKey };

    public string For(string role, string? clinic = null, string? subject = null) =>
        Authentication.IssueToken(Auth, clinic ?? Clinic, [role], subject ?? $"{SubjectPrefix}{role}", DateTimeOffset.UtcNow, Lifetime);

    public string SignedWith(string key, string role) =>
        Authentication.IssueToken(new AuthOptions { SigningKey = key }, Clinic, [role], "intruder", DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    public string Expired(string role) =>
        Authentication.IssueToken(Auth, Clinic, [role], "late", DateTimeOffset.UtcNow.AddHours(-3), TimeSpan.FromHours(1));

    public string WrongAudience(string role) =>
        Authentication.IssueToken(new AuthOptions { SigningKey = SigningKey, Audience = "another-api" }, Clinic, [role], "elsewhere", DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    public string WithoutClinic(string role) =>
        Authentication.IssueToken(Auth, clinic: "", [role], "nowhere", DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
}
