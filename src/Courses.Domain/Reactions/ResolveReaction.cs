using Courses.Domain.Protocol;

namespace Courses.Domain.Reactions;

public sealed record ResolveReaction(Guid ReactionId, DateTimeOffset ResolvedAt, string? Outcome, string By);

public static class ResolveReactionDecision
{
    /// <summary>Checks, in order: not-found; reaction-already-resolved; future-time, resolved-before-reported.</summary>
    public static Decision Decide(TreatmentRecord record, ResolveReaction command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (!record.Reactions.TryGetValue(command.ReactionId, out var reaction)) return Decision.Unknown("reaction", command.ReactionId);

        return (reaction.IsResolved
                ? Decision.Refuse(RuleCodes.ReactionAlreadyResolved,
                    $"This {ClinicWords.For(reaction.Kind)} was already resolved on {ClinicWords.Day(protocol.DayOf(reaction.ResolvedAt!.Value))}.")
                : null)
            ?? Rules.FutureTime("Resolved at", command.ResolvedAt, now, protocol)
            ?? (command.ResolvedAt < reaction.OccurredAt
                ? Decision.Refuse(RuleCodes.ResolvedBeforeReported,
                    $"The {ClinicWords.For(reaction.Kind)} occurred at {ClinicWords.Time(reaction.OccurredAt)}; it cannot be resolved before that ({ClinicWords.Time(command.ResolvedAt)}).")
                : null)
            ?? Decision.Accept(new ReactionResolved(record.Id, reaction.Id, command.ResolvedAt, command.Outcome, command.By, reaction.CourseId));
    }
}
