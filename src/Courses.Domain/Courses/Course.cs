using System.Collections.Immutable;

namespace Courses.Domain.Courses;

/// <summary>An area the consultation agreed to treat, and the depth its first session may go to.</summary>
public sealed record PlannedArea(Area Area, decimal StartingDepthMm);

public sealed record CoursePlanned(
    Guid ClientId,
    Guid CourseId,
    Guid ConsultationId,
    IReadOnlyList<Concern> Concerns,
    IReadOnlyList<PlannedArea> Areas,
    Serum Serum,
    int PlannedSessions,
    string PractitionerId,
    long ProtocolVersion,
    DateTimeOffset PlannedAt,
    string By);

/// <summary>Automatic pauses come from a reaction (ReactionId); manual ones from a practitioner's reason.</summary>
public sealed record CoursePaused(
    Guid ClientId,
    Guid CourseId,
    string Reason,
    bool Automatic,
    Guid? ReactionId,
    DateTimeOffset PausedAt,
    string By);

public sealed record CourseResumed(Guid ClientId, Guid CourseId, string Reason, DateTimeOffset ResumedAt, string By);

/// <summary>The last planned session was recorded; CompletedAt is that session's time.</summary>
public sealed record CourseCompleted(Guid ClientId, Guid CourseId, DateTimeOffset CompletedAt, DateOnly MaintenanceDueOn, string By);

public sealed record CourseCancelled(Guid ClientId, Guid CourseId, string Reason, DateTimeOffset CancelledAt, string By);

/// <summary>A session of a course as the record keeps it; maintenance sessions are numbered on their own.</summary>
public sealed record CourseSession(
    Guid SessionId,
    int Number,
    bool IsMaintenance,
    DateTimeOffset PerformedAt,
    string PractitionerId,
    ImmutableList<AreaDepth> Areas,
    Serum Serum,
    bool NumbingCreamApplied,
    DateOnly? HealedOn = null)
{
    public decimal DeepestDepthMm => Areas.Count == 0 ? 0 : Areas.Max(a => a.DepthMm);

    /// <summary>The protocol version the session was checked against.</summary>
    public long ProtocolVersion { get; init; }

    public ProductLot? NumbingCream { get; init; }
    public ProductLot? NeedleCartridge { get; init; }
    public Device? Device { get; init; }

    /// <summary>What kind of product of this session the name is, if the session used it besides its serum.</summary>
    public ProductKind? KindOf(string product) =>
        NumbingCream is { } cream && ClinicWords.SameProduct(cream.Product, product) ? ProductKind.NumbingCream
        : NeedleCartridge is { } cartridge && ClinicWords.SameProduct(cartridge.Product, product) ? ProductKind.NeedleCartridge
        : null;

    public decimal? DepthOn(Area area) => Areas.FirstOrDefault(a => a.Area == area)?.DepthMm;
}

public sealed record Course(
    Guid Id,
    Guid ConsultationId,
    CourseStatus Status,
    ImmutableList<Concern> Concerns,
    ImmutableList<PlannedArea> Areas,
    Serum Serum,
    int PlannedSessions,
    DateTimeOffset PlannedAt)
{
    public ImmutableList<CourseSession> Sessions { get; init; } = [];
    public DateOnly? NextSessionDueOn { get; init; }
    public DateOnly? MaintenanceDueOn { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }
    public string? PauseReason { get; init; }

    /// <summary>The reaction that paused the course automatically, while it stays paused.</summary>
    public Guid? PausedByReactionId { get; init; }

    public IEnumerable<CourseSession> CourseSessions => Sessions.Where(s => !s.IsMaintenance);
    public IEnumerable<CourseSession> MaintenanceSessions => Sessions.Where(s => s.IsMaintenance);
    public int SessionsCompleted => CourseSessions.Count();
    public bool IsRunning => Status is CourseStatus.Planned or CourseStatus.Active;

    public PlannedArea? PlannedAreaFor(Area area) => Areas.FirstOrDefault(a => a.Area == area);

    /// <summary>The depth used on that area in the course's latest session that treated it (maintenance included).</summary>
    public decimal? PreviousDepth(Area area) =>
        Sessions.LastOrDefault(s => s.Areas.Any(a => a.Area == area))?.Areas.First(a => a.Area == area).DepthMm;
}
