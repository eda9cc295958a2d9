using Courses.Domain.Protocol;

namespace Courses.Domain.Consultations;

public sealed record CancelConsultation(Guid ConsultationId, string Reason, string By);

public static class CancelConsultationDecision
{
    public static Decision Decide(TreatmentRecord record, CancelConsultation command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (!record.Consultations.TryGetValue(command.ConsultationId, out var consultation))
            return Decision.Unknown("consultation", command.ConsultationId);

        return ConsultationRules.NotOpen(consultation, "cancelled")
            ?? Decision.Accept(new ConsultationCancelled(record.Id, consultation.Id, command.Reason, now, command.By));
    }
}
