using Courses.Domain.Protocol;

namespace Courses.Domain.Consultations;

public sealed record RescheduleConsultation(Guid ConsultationId, DateTimeOffset ScheduledAt, string? Reason, string By);

public static class RescheduleConsultationDecision
{
    public static Decision Decide(TreatmentRecord record, RescheduleConsultation command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (!record.Consultations.TryGetValue(command.ConsultationId, out var consultation))
            return Decision.Unknown("consultation", command.ConsultationId);

        return ConsultationRules.NotOpen(consultation, "rescheduled")
            ?? Decision.Accept(new ConsultationRescheduled(
                record.Id, consultation.Id, consultation.ScheduledAt, command.ScheduledAt, command.Reason, now, command.By));
    }
}
