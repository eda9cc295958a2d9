using System.Collections.Immutable;

namespace Courses.Domain.Consultations;

public sealed record ConsultationBooked(
    Guid ClientId,
    Guid ConsultationId,
    DateTimeOffset ScheduledAt,
    string PractitionerId,
    IReadOnlyList<Concern> Concerns,
    DateTimeOffset BookedAt,
    string By);

public sealed record ConsultationRescheduled(
    Guid ClientId,
    Guid ConsultationId,
    DateTimeOffset PreviousScheduledAt,
    DateTimeOffset ScheduledAt,
    string? Reason,
    DateTimeOffset RescheduledAt,
    string By);

public sealed record ConsultationCancelled(Guid ClientId, Guid ConsultationId, string Reason, DateTimeOffset CancelledAt, string By);

/// <summary>The assessment: which concerns were agreed, and whether it led to a plan or a decline (the event that follows).</summary>
public sealed record ConsultationCompleted(
    Guid ClientId,
    Guid ConsultationId,
    DateTimeOffset CompletedAt,
    string PractitionerId,
    ConsultationOutcome Outcome,
    IReadOnlyList<Concern> Concerns,
    string By);

public sealed record TreatmentDeclined(Guid ClientId, Guid ConsultationId, string? Reason, DateTimeOffset DeclinedAt, string By);

public sealed record Consultation(
    Guid Id,
    ConsultationStatus Status,
    DateTimeOffset ScheduledAt,
    string PractitionerId,
    ImmutableList<Concern> Concerns,
    DateTimeOffset BookedAt)
{
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public ConsultationOutcome? Outcome { get; init; }
    public Guid? CourseId { get; init; }
    public string? DeclineReason { get; init; }
    public string? CancelReason { get; init; }

    public bool IsOpen => Status == ConsultationStatus.Booked;
}
