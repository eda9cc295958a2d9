namespace Courses.Domain.Sessions;

/// <summary>What was done in a session of either kind, as the practitioner reports it: the commands to record one say it too.</summary>
public interface ISessionPerformed
{
    Guid CourseId { get; }
    Guid SessionId { get; }
    DateTimeOffset PerformedAt { get; }
    string PractitionerId { get; }
    IReadOnlyList<AreaDepth> Areas { get; }
    Serum Serum { get; }
    bool NumbingCreamApplied { get; }
    bool CalmingMaskApplied { get; }
    bool SpfApplied { get; }
    string? Notes { get; }
    string By { get; }

    /// <summary>The numbing cream applied and its lot; absent from sessions recorded before products were traced.</summary>
    ProductLot? NumbingCream { get; }

    /// <summary>The single-use needle cartridge and its lot.</summary>
    ProductLot? NeedleCartridge { get; }

    /// <summary>The pen.</summary>
    Device? Device { get; }
}

/// <summary>
/// A session of either kind, course or maintenance: what every reader of sessions needs, so each reads them in one
/// case. <see cref="IsMaintenance"/> is implemented explicitly on the events so that it is never stored with them.
/// </summary>
public interface ISessionRecorded : ISessionPerformed
{
    Guid ClientId { get; }
    int SessionNumber { get; }
    long ProtocolVersion { get; }
    IReadOnlyList<Condition> Precautions { get; }
    DateOnly? HealedOn { get; }
    bool IsMaintenance { get; }
}

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
    DateOnly? HealedOn = null,
    ProductLot? NumbingCream = null,
    ProductLot? NeedleCartridge = null,
    Device? Device = null) : ISessionRecorded
{
    bool ISessionRecorded.IsMaintenance => false;
}

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
    DateOnly? HealedOn = null,
    ProductLot? NumbingCream = null,
    ProductLot? NeedleCartridge = null,
    Device? Device = null) : ISessionRecorded
{
    bool ISessionRecorded.IsMaintenance => true;
}
