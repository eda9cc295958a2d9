namespace Courses.Domain.Consents;

public sealed record ConsentRecorded(Guid ClientId, string Procedure, string FormVersion, DateTimeOffset SignedAt, string By);

public sealed record Consent(string Procedure, string FormVersion, DateTimeOffset SignedAt, string By)
{
    public const string Microneedling = "microneedling";

    public bool IsFor(string procedure) => string.Equals(Procedure.Trim(), procedure.Trim(), StringComparison.OrdinalIgnoreCase);
}
