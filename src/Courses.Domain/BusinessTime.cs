using Courses.Domain.Assessments;
using Courses.Domain.Clients;
using Courses.Domain.Consents;
using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Photos;
using Courses.Domain.Protocol;
using Courses.Domain.Reactions;
using Courses.Domain.Screenings;
using Courses.Domain.Sessions;

namespace Courses.Domain;

/// <summary>The time in the clinic's world an event describes, as opposed to when the store recorded it.</summary>
public static class BusinessTime
{
    public static DateTimeOffset? Of(object @event) => @event switch
    {
        ClientRegistered e => e.RegisteredAt,
        ContactDetailsChanged e => e.ChangedAt,
        ContactDetailsErased e => e.ErasedAt,
        MedicalScreeningRecorded e => e.ScreenedAt,
        ConsentRecorded e => e.SignedAt,
        ConsentWithdrawn e => e.WithdrawnAt,
        ConsultationBooked e => e.BookedAt,
        ConsultationRescheduled e => e.RescheduledAt,
        ConsultationCancelled e => e.CancelledAt,
        ConsultationCompleted e => e.CompletedAt,
        TreatmentDeclined e => e.DeclinedAt,
        CoursePlanned e => e.PlannedAt,
        SessionRecorded e => e.PerformedAt,
        MaintenanceSessionRecorded e => e.PerformedAt,
        ReactionReported e => e.OccurredAt,
        ReactionResolved e => e.ResolvedAt,
        SerumAllergyRecorded e => e.ObservedAt,
        ProductAllergyRecorded e => e.ObservedAt,
        CoursePaused e => e.PausedAt,
        CourseResumed e => e.ResumedAt,
        CourseCompleted e => e.CompletedAt,
        CourseCancelled e => e.CancelledAt,
        ProtocolAdjusted e => e.AdjustedAt,
        SkinAssessed e => e.AssessedAt,
        PhotoConsentRecorded e => e.SignedAt,
        PhotoConsentWithdrawn e => e.WithdrawnAt,
        PhotoTaken e => e.TakenAt,
        PhotoRetracted e => e.RetractedAt,
        _ => null,
    };
}
