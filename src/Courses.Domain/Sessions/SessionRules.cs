using Courses.Domain.Assessments;
using Courses.Domain.Consents;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;

namespace Courses.Domain.Sessions;

/// <summary>The rules course sessions and maintenance sessions share.</summary>
internal static class SessionRules
{
    /// <summary>
    /// The checks of either kind, in order: already-recorded; the course's standing for this kind; future-time,
    /// out-of-order, this kind's own spacing, too-soon after the latest session's healing; then <see cref="Clinical"/>.
    /// </summary>
    public static Decision? Refusal(TreatmentRecord record, Course course, ISessionPerformed command, ClinicProtocol protocol,
        DateTimeOffset now, Decision? standing, Decision? spacing) =>
        AlreadyRecorded(record, command.SessionId)
        ?? standing
        ?? Rules.FutureTime("Performed at", command.PerformedAt, now, protocol)
        ?? OutOfOrder(record, command.PerformedAt)
        ?? spacing
        ?? StillHealing(record, command.PerformedAt, protocol)
        ?? Clinical(record, course, command, protocol);

    public static Decision? AlreadyRecorded(TreatmentRecord record, Guid sessionId) =>
        record.FindSession(sessionId) is null
            ? null
            : Decision.Refuse(RuleCodes.AlreadyRecorded, $"Session {sessionId} is already on this client's record.");

    public static Decision? OutOfOrder(TreatmentRecord record, DateTimeOffset performedAt) =>
        record.LatestSession is { } latest && performedAt < latest.PerformedAt
            ? Decision.Refuse(RuleCodes.OutOfOrder,
                $"The record's latest session was performed at {ClinicWords.Time(latest.PerformedAt)}; sessions are entered in the order they happened, so one at {ClinicWords.Time(performedAt)} cannot follow it.")
            : null;

    /// <summary>The first day after a session's healing window, chosen by its deepest pass.</summary>
    public static DateOnly HealedOn(DateTimeOffset performedAt, decimal deepestDepthMm, ClinicProtocol protocol) =>
        protocol.DayOf(performedAt).AddDays(protocol.HealingDays(deepestDepthMm));

    public static DateOnly HealedOn(ISessionPerformed session, ClinicProtocol protocol) =>
        HealedOn(session.PerformedAt, session.Areas.Max(a => a.DepthMm), protocol);

    public static Serum Trimmed(Serum serum) => new(serum.Product.Trim(), serum.Lot?.Trim());

    public static ProductLot? Trimmed(ProductLot? product) =>
        product is null ? null : new(product.Product.Trim(), string.IsNullOrWhiteSpace(product.Lot) ? null : product.Lot.Trim());

    public static Device? Trimmed(Device? device) =>
        device is null ? null : new(device.Model.Trim(), string.IsNullOrWhiteSpace(device.Serial) ? null : device.Serial.Trim());

    /// <summary>Healing follows the latest session on the record, whichever course it belonged to.</summary>
    public static Decision? StillHealing(TreatmentRecord record, DateTimeOffset performedAt, ClinicProtocol protocol)
    {
        if (record.LatestSession is not { } latest) return null;
        var days = protocol.HealingDays(latest.DeepestDepthMm);
        var healedOn = HealedOn(latest.PerformedAt, latest.DeepestDepthMm, protocol);
        return protocol.DayOf(performedAt) < healedOn
            ? Decision.Refuse(RuleCodes.TooSoon,
                $"The session of {ClinicWords.Day(protocol.DayOf(latest.PerformedAt))} went to {ClinicWords.Mm(latest.DeepestDepthMm)} and heals for {days} days; the next session can be on {ClinicWords.Day(healedOn)} at the earliest, {ClinicWords.Day(protocol.DayOf(performedAt))} was asked.")
            : null;
    }

    /// <summary>
    /// Checks, in order: areas-invalid, contraindicated, consent-required, unresolved-reaction, serum-allergy,
    /// product-allergy, lot-required, area-not-planned, depth-out-of-range, first-session-too-deep, escalation-too-steep,
    /// still-inflamed, numbing-required.
    /// </summary>
    public static Decision? Clinical(TreatmentRecord record, Course course, ISessionPerformed session, ClinicProtocol protocol)
    {
        var (areas, performedAt) = (session.Areas, session.PerformedAt);
        return Rules.AreasInvalid([.. areas.Select(a => a.Area)], "session")
        ?? Rules.Contraindicated(record, performedAt, protocol, "session can be recorded")
        ?? ConsentRequired(record, performedAt)
        ?? UnresolvedReaction(record, protocol)
        ?? Rules.SerumAllergy(record, session.Serum, performedAt)
        ?? ProductAllergy(record, ProductKind.NumbingCream, session.NumbingCream, performedAt)
        ?? ProductAllergy(record, ProductKind.NeedleCartridge, session.NeedleCartridge, performedAt)
        ?? LotRequired(session, protocol)
        ?? EachArea(areas, a => course.PlannedAreaFor(a.Area) is null
            ? Decision.Refuse(RuleCodes.AreaNotPlanned, $"{ClinicWords.For(a.Area)} is not in this course's plan.")
            : null)
        ?? EachArea(areas, a => Rules.DepthOutOfRange(a.Area, a.DepthMm, protocol))
        ?? EachArea(areas, a => FirstTreatmentTooDeep(course, a))
        ?? EachArea(areas, a => EscalationTooSteep(course, a, protocol))
        ?? EachArea(areas, a => AssessmentRules.StillInflamed(record, course, a, performedAt, protocol))
        ?? EachArea(areas, a => a.DepthMm > protocol.NumbingThresholdMm && !session.NumbingCreamApplied
            ? Decision.Refuse(RuleCodes.NumbingRequired,
                $"{ClinicWords.For(a.Area)} at {ClinicWords.Mm(a.DepthMm)} is above {ClinicWords.Mm(protocol.NumbingThresholdMm)} and needs numbing cream.")
            : null);
    }

    /// <summary>A numbing cream or cartridge the client is allergic to (a recorded allergy, or one the screening in force names).</summary>
    private static Decision? ProductAllergy(TreatmentRecord record, ProductKind kind, ProductLot? product, DateTimeOffset at) =>
        product is not null && record.AllergyMatching(product.Product, at) is { } allergy
            ? Decision.Refuse(RuleCodes.ProductAllergy,
                $"The client is allergic to {allergy.Trim()}; the {ClinicWords.For(kind)} {product.Product.Trim()} cannot be used.")
            : null;

    /// <summary>Under a protocol that asks for them, every product the session used names its lot: a recall can reach no one otherwise.</summary>
    private static Decision? LotRequired(ISessionPerformed session, ClinicProtocol protocol)
    {
        if (!protocol.RequireProductLots) return null;
        var missing = new List<string>();
        if (string.IsNullOrWhiteSpace(session.Serum.Lot)) missing.Add("the serum's lot");
        if (session.NumbingCreamApplied && string.IsNullOrWhiteSpace(session.NumbingCream?.Lot))
            missing.Add(session.NumbingCream is null ? "the numbing cream applied and its lot" : "the numbing cream's lot");
        if (string.IsNullOrWhiteSpace(session.NeedleCartridge?.Lot))
            missing.Add(session.NeedleCartridge is null ? "the needle cartridge and its lot" : "the needle cartridge's lot");
        return missing.Count == 0
            ? null
            : Decision.Refuse(RuleCodes.LotRequired,
                $"This clinic's protocol requires the lot of every product a session uses; missing: {string.Join(", ", missing)}.");
    }

    /// <summary>The precautions on the screening in force at the session, shown with it.</summary>
    public static IReadOnlyList<Condition> Precautions(TreatmentRecord record, DateTimeOffset performedAt, ClinicProtocol protocol) =>
        record.LatestScreeningAsOf(performedAt)?.Conditions.Where(protocol.Precautions.Contains).Distinct().Order().ToList() ?? [];

    private static Decision? ConsentRequired(TreatmentRecord record, DateTimeOffset performedAt) =>
        record.HasConsentFor(Consent.Microneedling, performedAt)
            ? null
            : Decision.Refuse(RuleCodes.ConsentRequired,
                $"No consent to microneedling signed on or before {ClinicWords.Time(performedAt)} is on file.");

    private static Decision? UnresolvedReaction(TreatmentRecord record, ClinicProtocol protocol) =>
        record.UnresolvedReactions.FirstOrDefault() is { } reaction
            ? Decision.Refuse(RuleCodes.UnresolvedReaction,
                $"The {ClinicWords.For(reaction.Kind)} of {ClinicWords.Day(protocol.DayOf(reaction.OccurredAt))} is not resolved yet; no session until it is.")
            : null;

    /// <summary>An area's first treatment in the course goes no deeper than the depth the consultation planned for it.</summary>
    private static Decision? FirstTreatmentTooDeep(Course course, AreaDepth area)
    {
        if (course.PreviousDepth(area.Area) is not null || course.PlannedAreaFor(area.Area) is not { } planned) return null;
        return area.DepthMm > planned.StartingDepthMm
            ? Decision.Refuse(RuleCodes.FirstSessionTooDeep,
                $"{ClinicWords.For(area.Area)} was planned to start at {ClinicWords.Mm(planned.StartingDepthMm)}; {ClinicWords.Mm(area.DepthMm)} was asked for its first session.")
            : null;
    }

    private static Decision? EscalationTooSteep(Course course, AreaDepth area, ClinicProtocol protocol)
    {
        if (course.PreviousDepth(area.Area) is not { } previous) return null;
        return area.DepthMm - previous > protocol.MaxIncreasePerSessionMm
            ? Decision.Refuse(RuleCodes.EscalationTooSteep,
                $"{ClinicWords.For(area.Area)} may go at most {ClinicWords.Mm(protocol.MaxIncreasePerSessionMm)} deeper than its previous session ({ClinicWords.Mm(previous)}); {ClinicWords.Mm(area.DepthMm)} was asked.")
            : null;
    }

    private static Decision? EachArea(IReadOnlyList<AreaDepth> areas, Func<AreaDepth, Decision?> rule) =>
        areas.Select(rule).FirstOrDefault(refusal => refusal is not null);
}
