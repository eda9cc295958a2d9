using Courses.Api.Hosting;

namespace Courses.Api.Tests.Harness;

public static class Tokens
{
    public const string Clinic = "clinic-a";
    public const string OtherClinic = "clinic-b";

    private static readonly AuthOptions Auth = new() { SigningKey = AppFixture.SigningKey };

    public static string For(string role, string clinic = Clinic, string? subject = null) =>
        Authentication.IssueToken(Auth, clinic, [role], subject ?? $"user-{role}", DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    public static string SignedWith(string key, string role) =>
        Authentication.IssueToken(new AuthOptions { SigningKey = key }, Clinic, [role], "intruder", DateTimeOffset.UtcNow, TimeSpan.FromHours(1));

    public static string Expired(string role) =>
        Authentication.IssueToken(Auth, Clinic, [role], "late", DateTimeOffset.UtcNow.AddHours(-3), TimeSpan.FromHours(1));
}
