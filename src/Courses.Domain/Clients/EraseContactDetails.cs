using Courses.Domain.Protocol;

namespace Courses.Domain.Clients;

/// <summary>
/// Removes the client's name, email and phone. Health records are kept for care and legal retention; contact data for
/// anything else is not. The event records that it happened; the stored personal fields are masked in place with it.
/// </summary>
public sealed record EraseContactDetails(string? Reason, string By);

public sealed record ContactDetailsErased(Guid ClientId, DateTimeOffset ErasedAt, string? Reason, string By);

public static class EraseContactDetailsDecision
{
    /// <summary>
    /// Erasing what is already erased appends nothing, so a retried erasure only re-applies the masking; contact details
    /// given since an erasure are erased again.
    /// </summary>
    public static Decision Decide(TreatmentRecord record, EraseContactDetails command, ClinicProtocol protocol, DateTimeOffset now) =>
        record is { ContactErased: true, Email: null, Phone: null }
            ? Decision.Accept()
            : Decision.Accept(new ContactDetailsErased(record.Id, now, command.Reason, command.By));
}

/// <summary>Which stored fields are contact data, and how they read once erased: one place for masking and hashing.</summary>
public static class ContactData
{
    public const string ErasedName = "(erased)";

    /// <summary>The JSON members (camelCase, as stored) that hold contact data in ClientRegistered and ContactDetailsChanged.</summary>
    public static readonly IReadOnlySet<string> Members = new HashSet<string>(StringComparer.Ordinal) { "fullName", "email", "phone" };

    public static ClientRegistered Masked(ClientRegistered registered) =>
        registered with { FullName = ErasedName, Email = null, Phone = null };

    public static ContactDetailsChanged Masked(ContactDetailsChanged changed) => changed with { Email = null, Phone = null };
}
