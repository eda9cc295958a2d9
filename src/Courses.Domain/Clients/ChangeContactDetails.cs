using Courses.Domain.Protocol;

namespace Courses.Domain.Clients;

/// <summary>Replaces both contact details; null or blank removes one.</summary>
public sealed record ChangeContactDetails(string? Email, string? Phone, string By);

public static class ChangeContactDetailsDecision
{
    public static Decision Decide(TreatmentRecord record, ChangeContactDetails command, ClinicProtocol protocol, DateTimeOffset now)
    {
        var email = string.IsNullOrWhiteSpace(command.Email) ? null : command.Email.Trim();
        var phone = string.IsNullOrWhiteSpace(command.Phone) ? null : command.Phone.Trim();

        // Nothing changed: an empty acceptance keeps the history free of no-op events.
        if (email == record.Email && phone == record.Phone) return Decision.Accept();

        return Decision.Accept(new ContactDetailsChanged(record.Id, email, phone, now, command.By));
    }
}
