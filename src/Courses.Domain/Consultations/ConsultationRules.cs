namespace Courses.Domain.Consultations;

internal static class ConsultationRules
{
    public static Decision? NotOpen(Consultation consultation, string what) =>
        consultation.IsOpen
            ? null
            : Decision.Refuse(RuleCodes.ConsultationNotOpen,
                $"This consultation is already {consultation.Status.ToString().ToLowerInvariant()}; it cannot be {what}.");
}
