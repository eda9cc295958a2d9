using Courses.Domain;
using Courses.Domain.Courses;
using Courses.Domain.Sessions;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Courses.Projections.Courses;

/// <summary>
/// A completed course and when its next maintenance session is due; the clinic-wide list is a range query on
/// <see cref="DueOn"/>. The client's name is joined from <c>ClientProfile</c> when the list is read, so it stays
/// in one place (and erasing it there erases it here).
/// </summary>
public sealed record MaintenanceDue
{
    public Guid Id { get; init; }
    public Guid CourseId => Id;
    public Guid ClientId { get; init; }
    public DateOnly DueOn { get; init; }

    /// <summary>The last session's day in the offset it was sent with; the list answers the clinic's day from <see cref="LastSessionAt"/>.</summary>
    public DateOnly LastSessionOn { get; init; }

    /// <summary>When the last session was performed (null in documents projected before it was kept).</summary>
    public DateTimeOffset? LastSessionAt { get; init; }
}

public partial class MaintenanceDueProjection : MultiStreamProjection<MaintenanceDue, Guid>
{
    public MaintenanceDueProjection()
    {
        Identity<CourseCompleted>(e => e.CourseId);
        Identity<MaintenanceSessionRecorded>(e => e.CourseId);
    }

    public override MaintenanceDue? Evolve(MaintenanceDue? due, Guid id, IEvent e) => (due, e.Data) switch
    {
        (_, CourseCompleted c) => new MaintenanceDue
        {
            Id = c.CourseId, ClientId = c.ClientId, DueOn = c.MaintenanceDueOn, LastSessionOn = ClinicWords.DayOf(c.CompletedAt),
            LastSessionAt = c.CompletedAt,
        },
        (not null, MaintenanceSessionRecorded m) => due with { DueOn = m.MaintenanceDueOn, LastSessionOn = ClinicWords.DayOf(m.PerformedAt),
            LastSessionAt = m.PerformedAt },
        _ => due,
    };
}
