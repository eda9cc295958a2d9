using Courses.Domain.Protocol;

namespace Courses.Domain.Sessions;

public sealed record RecordMaintenanceSession(
    Guid CourseId,
    Guid SessionId,
    DateTimeOffset PerformedAt,
    string PractitionerId,
    IReadOnlyList<AreaDepth> Areas,
    Serum Serum,
    bool NumbingCreamApplied,
    bool CalmingMaskApplied,
    bool SpfApplied,
    string? Notes,
    string By,
    ProductLot? NumbingCream = null,
    ProductLot? NeedleCartridge = null,
    Device? Device = null) : ISessionPerformed;

public static class RecordMaintenanceSessionDecision
{
    /// <summary>
    /// Checks, in order: not-found (course), already-recorded (session id); maintenance-not-allowed;
    /// future-time, out-of-order, too-soon (healing window only: the minimum days apply between course sessions);
    /// then the clinical rules of <see cref="SessionRules.Clinical"/>. Moves maintenance due to this session + the interval.
    /// </summary>
    public static Decision Decide(TreatmentRecord record, RecordMaintenanceSession command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (!record.Courses.TryGetValue(command.CourseId, out var course)) return Decision.Unknown("course", command.CourseId);

        var refusal = SessionRules.Refusal(record, course, command, protocol, now,
            standing: course.Status != CourseStatus.Completed
                ? Decision.Refuse(RuleCodes.MaintenanceNotAllowed,
                    $"Maintenance follows a completed course; this course is {course.Status.ToString().ToLowerInvariant()}.")
                : null,
            spacing: null);
        if (refusal is not null) return refusal;

        return Decision.Accept(new MaintenanceSessionRecorded(
            record.Id, course.Id, command.SessionId, course.MaintenanceSessions.Count() + 1, command.PerformedAt,
            command.PractitionerId, [.. command.Areas], SessionRules.Trimmed(command.Serum),
            command.NumbingCreamApplied, command.CalmingMaskApplied, command.SpfApplied, command.Notes, protocol.Version,
            SessionRules.Precautions(record, command.PerformedAt, protocol),
            protocol.DayOf(command.PerformedAt).AddMonths(protocol.MaintenanceIntervalMonths), command.By,
            SessionRules.HealedOn(command, protocol), SessionRules.Trimmed(command.NumbingCream),
            SessionRules.Trimmed(command.NeedleCartridge), SessionRules.Trimmed(command.Device)));
    }
}
