using Courses.Api.Hosting;

namespace Courses.Reliability.Tests.Harness;

public static class Tokens
{
    public const string SigningKey = "reliability-tests-signing-key-0123456789abcdef";
    public const string ClinicA = "rel-clinic-a";
    public const string ClinicB = "rel-clinic-b";

    private static readonly AuthOptions Auth = new() { SigningKey = SigningKey };

    public static string For(string role, string clinic = ClinicA, string? subject = null) =>
        Authentication.IssueToken(Auth, clinic, [role], subject ?? $"rel-{role}", DateTimeOffset.UtcNow, TimeSpan.FromHours(2));

    public static string SignedWith(string key, string role) =>
        Authentication.IssueToken(new AuthOptions { SigningKey = key }, ClinicA, [role], "intruder", DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    public static string Expired(string role) =>
        Authentication.IssueToken(Auth, ClinicA, [role], "late", DateTimeOffset.UtcNow.AddHours(-3), TimeSpan.FromHours(1));

    public static string WrongAudience(string role) =>
        Authentication.IssueToken(new AuthOptions { SigningKey = SigningKey, Audience = "another-api" }, ClinicA, [role], "elsewhere",
            DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    public static string WithoutClinic(string role) =>
        Authentication.IssueToken(Auth, clinic: "", [role], "nowhere", DateTimeOffset.UtcNow, TimeSpan.FromHours(1));
}
