namespace Courses.Domain.Sessions;

/// <summary>
/// A course session. ProtocolVersion and Precautions are what it was checked against and shown with;
/// NextSessionDueOn is null when this session completed the course. HealedOn is the first day after its healing
/// window under that protocol.
/// </summary>
public sealed record SessionRecorded(
    Guid ClientId,
    Guid CourseId,
    Guid SessionId,
    int SessionNumber,
    DateTimeOffset PerformedAt,
    string PractitionerId,
    IReadOnlyList<AreaDepth> Areas,
    Serum Serum,
    bool NumbingCreamApplied,
    bool CalmingMaskApplied,
    bool SpfApplied,
    string? Notes,
    long ProtocolVersion,
    IReadOnlyList<Condition> Precautions,
    DateOnly? NextSessionDueOn,
    string By,
    DateOnly? HealedOn = null);

/// <summary>A maintenance session on a completed course; SessionNumber counts maintenance sessions only.</summary>
public sealed record MaintenanceSessionRecorded(
    Guid ClientId,
    Guid CourseId,
    Guid SessionId,
    int SessionNumber,
    DateTimeOffset PerformedAt,
    string PractitionerId,
    IReadOnlyList<AreaDepth> Areas,
    Serum Serum,
    bool NumbingCreamApplied,
    bool CalmingMaskApplied,
    bool SpfApplied,
    string? Notes,
    long ProtocolVersion,
    IReadOnlyList<Condition> Precautions,
    DateOnly MaintenanceDueOn,
    string By,
    DateOnly? HealedOn = null);
