using Courses.Domain.Protocol;

namespace Courses.Domain.Photos;

public sealed record WithdrawPhotoConsent(DateTimeOffset WithdrawnAt, IReadOnlyList<PhotoUse> Uses, string By);

public static class WithdrawPhotoConsentDecision
{
    /// <summary>Checks, in order: future-time; no-consent-in-force (a use named that is not in force at that time).</summary>
    public static Decision Decide(TreatmentRecord record, WithdrawPhotoConsent command, ClinicProtocol protocol, DateTimeOffset now)
    {
        var notInForce = command.Uses.Distinct().Order()
            .Where(use => !record.HasPhotoConsentFor(use, command.WithdrawnAt)).ToList();
        return Rules.FutureTime("Withdrawn at", command.WithdrawnAt, now, protocol)
            ?? (notInForce.Count > 0
                ? Decision.Refuse(RuleCodes.NoConsentInForce,
                    $"No photo consent for {string.Join(", ", notInForce.Select(ClinicWords.For))} is in force at {ClinicWords.Time(command.WithdrawnAt)}: there is nothing to withdraw.")
                : Decision.Accept(new PhotoConsentWithdrawn(record.Id, command.WithdrawnAt, [.. command.Uses.Distinct().Order()], command.By)));
    }
}
