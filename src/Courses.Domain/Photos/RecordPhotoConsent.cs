using Courses.Domain.Protocol;

namespace Courses.Domain.Photos;

public sealed record RecordPhotoConsent(DateTimeOffset SignedAt, string FormVersion, IReadOnlyList<PhotoUse> Uses, string By);

public static class RecordPhotoConsentDecision
{
    public static Decision Decide(TreatmentRecord record, RecordPhotoConsent command, ClinicProtocol protocol, DateTimeOffset now) =>
        Rules.FutureTime("Signed at", command.SignedAt, now, protocol)
        ?? Decision.Accept(new PhotoConsentRecorded(record.Id, command.FormVersion.Trim(), command.SignedAt,
            [.. command.Uses.Distinct().Order()], command.By));
}
