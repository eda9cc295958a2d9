namespace Courses.Domain.Photos;

/// <summary>What a client lets the clinic use their photos for: their own clinical record, teaching, or publicity.</summary>
public enum PhotoUse { ClinicalRecord, Education, Marketing }

/// <summary>The client signed a photo consent for these uses (separate from the consent to treatment).</summary>
public sealed record PhotoConsentRecorded(Guid ClientId, string FormVersion, DateTimeOffset SignedAt, IReadOnlyList<PhotoUse> Uses, string By);

/// <summary>The client withdrew these uses from WithdrawnAt on; photos taken before stay on the record.</summary>
public sealed record PhotoConsentWithdrawn(Guid ClientId, DateTimeOffset WithdrawnAt, IReadOnlyList<PhotoUse> Uses, string By);

public sealed record PhotoConsent(string FormVersion, DateTimeOffset SignedAt, IReadOnlyList<PhotoUse> Uses, string By);

public sealed record PhotoConsentWithdrawal(DateTimeOffset WithdrawnAt, IReadOnlyList<PhotoUse> Uses, string By);

/// <summary>Which uses are in force at a business time: each use's latest signing at or before it, not withdrawn since.</summary>
public static class PhotoConsents
{
    public static bool InForce(IEnumerable<PhotoConsent> consents, IEnumerable<PhotoConsentWithdrawal> withdrawals, PhotoUse use,
        DateTimeOffset at) =>
        consents.Where(c => c.Uses.Contains(use) && c.SignedAt <= at).MaxBy(c => c.SignedAt) is { } latest
        && !withdrawals.Any(w => w.Uses.Contains(use) && w.WithdrawnAt >= latest.SignedAt && w.WithdrawnAt <= at);

    public static IReadOnlyList<PhotoUse> UsesInForce(IEnumerable<PhotoConsent> consents, IEnumerable<PhotoConsentWithdrawal> withdrawals,
        DateTimeOffset at) =>
        [.. Enum.GetValues<PhotoUse>().Where(use => InForce(consents, withdrawals, use, at))];
}
