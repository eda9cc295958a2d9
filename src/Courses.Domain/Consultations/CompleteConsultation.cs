using Courses.Domain.Courses;
using Courses.Domain.Protocol;

namespace Courses.Domain.Consultations;

/// <summary>PlannedSessions null: the protocol's default for the agreed concerns.</summary>
public sealed record CoursePlan(IReadOnlyList<PlannedArea> Areas, Serum Serum, int? PlannedSessions);

/// <summary>
/// CourseId is the id the course gets when the outcome is a plan (the HTTP edge generates it; unused on a decline).
/// Empty Concerns: the concerns the consultation was booked for.
/// </summary>
public sealed record CompleteConsultation(
    Guid ConsultationId,
    Guid CourseId,
    DateTimeOffset CompletedAt,
    string PractitionerId,
    ConsultationOutcome Outcome,
    IReadOnlyList<Concern> Concerns,
    CoursePlan? Plan,
    string? DeclineReason,
    string By);

public static class CompleteConsultationDecision
{
    /// <summary>
    /// Checks, in order: not-found; consultation-not-open, already-recorded (course id); future-time; screening-required;
    /// then for a plan: plan-required, areas-invalid, contraindicated, planned-sessions-out-of-range,
    /// depth-out-of-range (each starting depth), serum-allergy. A decline needs only the screening.
    /// </summary>
    public static Decision Decide(TreatmentRecord record, CompleteConsultation command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (!record.Consultations.TryGetValue(command.ConsultationId, out var consultation))
            return Decision.Unknown("consultation", command.ConsultationId);

        var concerns = command.Concerns.Count > 0 ? command.Concerns.Distinct().ToList() : [.. consultation.Concerns];
        var completed = new ConsultationCompleted(record.Id, consultation.Id, command.CompletedAt, command.PractitionerId,
            command.Outcome, concerns, command.By);

        var refusal = ConsultationRules.NotOpen(consultation, "completed")
            ?? (command.Outcome == ConsultationOutcome.Plan && record.Courses.ContainsKey(command.CourseId)
                ? Decision.Refuse(RuleCodes.AlreadyRecorded, $"Course {command.CourseId} is already on this client's record.")
                : null)
            ?? Rules.FutureTime("Completed at", command.CompletedAt, now, protocol)
            ?? ScreeningRequired(record, command.CompletedAt, protocol);
        if (refusal is not null) return refusal;

        if (command.Outcome == ConsultationOutcome.Decline)
            return Decision.Accept(completed,
                new TreatmentDeclined(record.Id, consultation.Id, command.DeclineReason, command.CompletedAt, command.By));

        if (command.Plan is not { } plan)
            return Decision.Refuse(RuleCodes.PlanRequired, "A consultation completed with a plan needs the plan: areas, starting depths and serum.");

        var plannedSessions = plan.PlannedSessions ?? protocol.DefaultSessionsFor(concerns);
        refusal = Rules.AreasInvalid([.. plan.Areas.Select(a => a.Area)], "plan")
            ?? Rules.Contraindicated(record, command.CompletedAt, protocol, "course can be planned")
            ?? PlannedSessionsOutOfRange(plannedSessions, protocol)
            ?? plan.Areas.Select(a => Rules.DepthOutOfRange(a.Area, a.StartingDepthMm, protocol)).FirstOrDefault(r => r is not null)
            ?? Rules.SerumAllergy(record, plan.Serum, command.CompletedAt);
        if (refusal is not null) return refusal;

        return Decision.Accept(completed, new CoursePlanned(
            record.Id, command.CourseId, consultation.Id, concerns, [.. plan.Areas],
            plan.Serum with { Product = plan.Serum.Product.Trim(), Lot = plan.Serum.Lot?.Trim() },
            plannedSessions, command.PractitionerId, protocol.Version, command.CompletedAt, command.By));
    }

    private static Decision? ScreeningRequired(TreatmentRecord record, DateTimeOffset completedAt, ClinicProtocol protocol)
    {
        var screening = record.LatestScreeningAsOf(completedAt);
        if (screening is not null && screening.ScreenedAt >= completedAt.AddMonths(-protocol.ScreeningValidityMonths)) return null;
        var why = screening is null
            ? "there is no screening on record"
            : $"the latest screening, on {ClinicWords.Day(protocol.DayOf(screening.ScreenedAt))}, is older than {protocol.ScreeningValidityMonths} months";
        return Decision.Refuse(RuleCodes.ScreeningRequired, $"The consultation cannot be completed: {why}.");
    }

    private static Decision? PlannedSessionsOutOfRange(int plannedSessions, ClinicProtocol protocol) =>
        plannedSessions < protocol.MinPlannedSessions || plannedSessions > protocol.MaxPlannedSessions
            ? Decision.Refuse(RuleCodes.PlannedSessionsOutOfRange,
                $"A course has {protocol.MinPlannedSessions} – {protocol.MaxPlannedSessions} sessions under this clinic's protocol; {plannedSessions} were asked.")
            : null;
}
