using Courses.Domain.Protocol;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Courses.Projections.Protocol;

/// <summary>The protocol in force at a clinic: the latest adjustment in the clinic's own stream.</summary>
public sealed record ClinicProtocolDocument
{
    public Guid Id { get; init; }
    public required ClinicProtocol Protocol { get; init; }
    public DateTimeOffset AdjustedAt { get; init; }
    public string? AdjustedBy { get; init; }
    public long Version { get; init; }
}

public partial class ClinicProtocolProjection : SingleStreamProjection<ClinicProtocolDocument, Guid>
{
    // Only the protocol's own events: without this, every client write would also look up a protocol document.
    public ClinicProtocolProjection() => IncludeType<ProtocolAdjusted>();

    public override ClinicProtocolDocument? Evolve(ClinicProtocolDocument? current, Guid id, IEvent e) => e.Data switch
    {
        ProtocolAdjusted adjusted => new ClinicProtocolDocument
        {
            Id = id,
            Protocol = adjusted.Protocol,
            AdjustedAt = adjusted.AdjustedAt,
            AdjustedBy = adjusted.By,
            Version = e.Version,
        },
        _ => current,
    };
}
