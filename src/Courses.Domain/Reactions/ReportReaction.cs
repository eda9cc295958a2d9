using Courses.Domain.Courses;
using Courses.Domain.Protocol;

namespace Courses.Domain.Reactions;

/// <summary>SessionId: the session the reaction followed, when known. SuspectedProduct: the serum or cream suspected.</summary>
public sealed record ReportReaction(
    Guid ReactionId,
    DateTimeOffset OccurredAt,
    ReactionKind Kind,
    Severity Severity,
    Guid? SessionId,
    string? SuspectedProduct,
    string? Notes,
    string By);

public static class ReportReactionDecision
{
    /// <summary>
    /// Checks, in order: not-found (session), already-recorded (reaction id); future-time, reaction-before-session.
    /// Policies, as events after ReactionReported: an infection, an allergic reaction or any severe reaction pauses every
    /// planned or active course (in the order they were planned); an allergic reaction naming a product records an
    /// allergy to it unless one is already recorded: to a numbing cream or cartridge when a session used it by that name,
    /// else to a serum.
    /// </summary>
    public static Decision Decide(TreatmentRecord record, ReportReaction command, ClinicProtocol protocol, DateTimeOffset now)
    {
        var session = command.SessionId is { } sessionId ? record.FindSession(sessionId) : null;
        if (command.SessionId is { } unknown && session is null)
            return Decision.Refuse(RuleCodes.UnknownSession, $"This client's record has no session {unknown}; leave sessionId out if the reaction is not tied to one.");

        var refusal = (record.Reactions.ContainsKey(command.ReactionId)
                ? Decision.Refuse(RuleCodes.AlreadyRecorded, $"Reaction {command.ReactionId} is already on this client's record.")
                : null)
            ?? Rules.FutureTime("Occurred at", command.OccurredAt, now, protocol)
            ?? (session is not null && command.OccurredAt < session.PerformedAt
                ? Decision.Refuse(RuleCodes.ReactionBeforeSession,
                    $"The reaction is dated {ClinicWords.Time(command.OccurredAt)}, before the session it followed ({ClinicWords.Time(session.PerformedAt)}).")
                : null);
        if (refusal is not null) return refusal;

        var product = string.IsNullOrWhiteSpace(command.SuspectedProduct) ? null : command.SuspectedProduct.Trim();
        var windows = record.Courses.Values.SelectMany(c => c.Sessions).OrderBy(s => s.PerformedAt)
            .Select(s => new HealingWindow(s.SessionId, s.PerformedAt, s.HealedOn));
        var events = new List<object>
        {
            new ReactionReported(record.Id, command.ReactionId, command.OccurredAt, command.Kind, command.Severity,
                command.SessionId, command.SessionId is { } id ? record.SessionCourse(id)?.Id : null, product, command.Notes, command.By,
                session is null ? null : new SessionFacts(session.PerformedAt, session.DeepestDepthMm, session.Serum.Product,
                    session.Serum.Lot, session.PractitionerId, session.NumbingCreamApplied, session.NumbingCream?.Product,
                    session.NeedleCartridge?.Product),
                new HealingOf(HealingWindow.SessionFollowedBy(command.SessionId, command.OccurredAt, windows, protocol.Zone()))),
        };

        if (PausesCourses(command))
        {
            var reason = $"Paused automatically: {command.Severity.ToString().ToLowerInvariant()} {ClinicWords.For(command.Kind)} " +
                         $"on {ClinicWords.Day(protocol.DayOf(command.OccurredAt))}.";
            events.AddRange(record.RunningCourses.Select(course =>
                new CoursePaused(record.Id, course.Id, reason, true, command.ReactionId, now, command.By)));
        }

        if (command.Kind == ReactionKind.AllergicReaction && product is not null && !record.HasAllergy(product))
            events.Add(KindOf(record, session, product) is { } kind
                ? new ProductAllergyRecorded(record.Id, product, kind, command.ReactionId, command.OccurredAt, command.By)
                : new SerumAllergyRecorded(record.Id, product, command.ReactionId, command.OccurredAt, command.By));

        return Decision.Accept([.. events]);
    }

    /// <summary>
    /// The numbing cream or cartridge the product names: of the session the reaction followed, or, with none named, of
    /// the latest session that used it. Any other product is taken for a serum, as before products were traced.
    /// </summary>
    private static ProductKind? KindOf(TreatmentRecord record, CourseSession? session, string product) =>
        session is not null
            ? session.KindOf(product)
            : record.Courses.Values.SelectMany(c => c.Sessions).OrderByDescending(s => s.PerformedAt)
                .Select(s => s.KindOf(product)).FirstOrDefault(kind => kind is not null);

    private static bool PausesCourses(ReportReaction reaction) =>
        reaction.Kind is ReactionKind.Infection or ReactionKind.AllergicReaction || reaction.Severity == Severity.Severe;
}
