namespace Courses.Api.Tests.Harness;

public static class Tokens
{
    public const string Clinic = "clinic-a";
    public const string OtherClinic = "clinic-b";

    public static TestTokens Issued { get; } = new(AppFixture.SigningKey, Clinic, SubjectPrefix: "user-", Lifetime: TimeSpan.FromHours(1));

    public static string For(string role, string clinic = Clinic, string? subject = null) => Issued.For(role, clinic, subject);
}
