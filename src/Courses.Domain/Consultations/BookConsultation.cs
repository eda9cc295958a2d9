using Courses.Domain.Protocol;

namespace Courses.Domain.Consultations;

public sealed record BookConsultation(
    Guid ConsultationId,
    DateTimeOffset ScheduledAt,
    string PractitionerId,
    IReadOnlyList<Concern> Concerns,
    string By);

public static class BookConsultationDecision
{
    /// <summary>A booking is the one business time that may lie in the future, so scheduledAt is not checked.</summary>
    public static Decision Decide(TreatmentRecord record, BookConsultation command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (record.Consultations.ContainsKey(command.ConsultationId))
            return Decision.Refuse(RuleCodes.AlreadyRecorded, $"Consultation {command.ConsultationId} is already on this client's record.");

        return Decision.Accept(new ConsultationBooked(
            record.Id, command.ConsultationId, command.ScheduledAt, command.PractitionerId,
            [.. command.Concerns.Distinct()], now, command.By));
    }
}
