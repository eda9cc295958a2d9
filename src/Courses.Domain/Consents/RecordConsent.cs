using Courses.Domain.Protocol;

namespace Courses.Domain.Consents;

public sealed record RecordConsent(DateTimeOffset SignedAt, string Procedure, string FormVersion, string By,
    ConsentEvidence? Evidence = null);

public static class RecordConsentDecision
{
    public static Decision Decide(TreatmentRecord record, RecordConsent command, ClinicProtocol protocol, DateTimeOffset now) =>
        Rules.FutureTime("Signed at", command.SignedAt, now, protocol)
        ?? Decision.Accept(new ConsentRecorded(
            record.Id, command.Procedure.Trim().ToLowerInvariant(), command.FormVersion.Trim(), command.SignedAt, command.By,
            command.Evidence?.DocumentSha256?.ToLowerInvariant(), command.Evidence?.ExplainedBy?.Trim(),
            command.Evidence?.RisksExplained is { Count: > 0 } risks ? [.. risks.Distinct().Order()] : null, command.Evidence?.Method));
}
