using Courses.Domain;
using Courses.Domain.Consultations;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Courses.Projections.Consultations;

/// <summary>
/// One consultation as the front desk's schedule shows it, whatever became of it. The day's list is a range query on
/// <see cref="ScheduledAtUtc"/> (an instant, so the clinic's day is cut in its own zone when the list is read, and a new
/// zone needs no rebuild); the client's name is joined from <c>ClientProfile</c>, so erasing it there erases it here.
/// </summary>
public sealed record BookedConsultation
{
    public Guid Id { get; init; }
    public Guid ConsultationId => Id;
    public Guid ClientId { get; init; }
    public DateTimeOffset ScheduledAt { get; init; }

    /// <summary>The same instant at offset 0, the indexed column: PostgreSQL's timestamptz takes only UTC from Npgsql.</summary>
    public DateTimeOffset ScheduledAtUtc => ScheduledAt.ToUniversalTime();
    public required string PractitionerId { get; init; }
    public IReadOnlyList<Concern> Concerns { get; init; } = [];
    public ConsultationStatus Status { get; init; }
}

public partial class BookedConsultationProjection : MultiStreamProjection<BookedConsultation, Guid>
{
    public BookedConsultationProjection()
    {
        Identity<ConsultationBooked>(e => e.ConsultationId);
        Identity<ConsultationRescheduled>(e => e.ConsultationId);
        Identity<ConsultationCancelled>(e => e.ConsultationId);
        Identity<ConsultationCompleted>(e => e.ConsultationId);
    }

    public override BookedConsultation? Evolve(BookedConsultation? consultation, Guid id, IEvent e) => (consultation, e.Data) switch
    {
        (_, ConsultationBooked b) => new BookedConsultation
        {
            Id = b.ConsultationId, ClientId = b.ClientId, ScheduledAt = b.ScheduledAt, PractitionerId = b.PractitionerId,
            Concerns = b.Concerns, Status = ConsultationStatus.Booked,
        },
        (null, _) => null,
        (var c, ConsultationRescheduled r) => c with { ScheduledAt = r.ScheduledAt },
        (var c, ConsultationCancelled) => c with { Status = ConsultationStatus.Cancelled },
        (var c, ConsultationCompleted done) => c with { Status = ConsultationStatus.Completed, Concerns = done.Concerns },
        (var c, _) => c,
    };
}
