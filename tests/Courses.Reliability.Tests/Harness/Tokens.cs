namespace Courses.Reliability.Tests.Harness;

public static class Tokens
{
    public const string SigningKey = "reliability-tests-signing-key-0123456789abcdef";
    public const string ClinicA = "rel-clinic-a";
    public const string ClinicB = "rel-clinic-b";

    public static TestTokens Issued { get; } = new(SigningKey, ClinicA, SubjectPrefix: "rel-", Lifetime: TimeSpan.FromHours(2));

    public static string For(string role, string clinic = ClinicA, string? subject = null) => Issued.For(role, clinic, subject);
}
