using Courses.Domain.Protocol;

namespace Courses.Domain.Consents;

public sealed record WithdrawConsent(DateTimeOffset WithdrawnAt, string Reason, string By);

public static class WithdrawConsentDecision
{
    /// <summary>
    /// Checks, in order: future-time; out-of-order (a withdrawal dated before the latest session would leave that session
    /// without consent); no-consent-in-force (nothing to withdraw at that time).
    /// </summary>
    public static Decision Decide(TreatmentRecord record, WithdrawConsent command, ClinicProtocol protocol, DateTimeOffset now) =>
        Rules.FutureTime("Withdrawn at", command.WithdrawnAt, now, protocol)
        ?? (record.LatestSession is { } latest && command.WithdrawnAt < latest.PerformedAt
            ? Decision.Refuse(RuleCodes.OutOfOrder,
                $"A session was performed at {ClinicWords.Time(latest.PerformedAt)} under this consent; a withdrawal dated {ClinicWords.Time(command.WithdrawnAt)} cannot precede it.")
            : null)
        ?? (record.HasConsentFor(Consent.Microneedling, command.WithdrawnAt)
            ? Decision.Accept(new ConsentWithdrawn(record.Id, Consent.Microneedling, command.WithdrawnAt, command.Reason.Trim(), command.By))
            : Decision.Refuse(RuleCodes.NoConsentInForce,
                $"No consent to microneedling is in force at {ClinicWords.Time(command.WithdrawnAt)}: there is nothing to withdraw."));
}
