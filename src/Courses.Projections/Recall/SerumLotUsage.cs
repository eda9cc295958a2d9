using System.Collections.Immutable;
using Courses.Domain;
using Courses.Domain.Sessions;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Courses.Projections.Recall;

/// <summary>A session or maintenance session that applied the lot.</summary>
public sealed record LotSession(Guid ClientId, Guid CourseId, Guid SessionId, DateTimeOffset PerformedAt, string Product, bool Maintenance);

/// <summary>
/// Every session in a clinic that used one serum lot, for a recall. Id is the lot's key (<see cref="Key"/>);
/// Lot is the spelling first recorded.
/// </summary>
public sealed record SerumLotUsage
{
    public required string Id { get; init; }
    public required string Lot { get; init; }
    public ImmutableList<LotSession> Sessions { get; init; } = [];

    /// <summary>
    /// Lots are typed by hand from the vial: " l-100" and "L-100" are the same lot. Case-insensitive on purpose — a
    /// recall that lists one client too many costs a phone call, one that misses a client costs their safety.
    /// </summary>
    public static string Key(string lot) => lot.Trim().ToUpperInvariant();
}

public partial class SerumLotUsageProjection : MultiStreamProjection<SerumLotUsage, string>
{
    public SerumLotUsageProjection()
    {
        Identities<SessionRecorded>(e => KeysOf(e.Serum));
        Identities<MaintenanceSessionRecorded>(e => KeysOf(e.Serum));
    }

    // Sessions always carry a lot since the API requires it; older events without one name no lot to recall.
    private static IReadOnlyList<string> KeysOf(Serum serum) =>
        string.IsNullOrWhiteSpace(serum.Lot) ? [] : [SerumLotUsage.Key(serum.Lot)];

    public override SerumLotUsage? Evolve(SerumLotUsage? usage, string id, IEvent e) => e.Data switch
    {
        SessionRecorded s => Add(usage, id, s.Serum, new LotSession(s.ClientId, s.CourseId, s.SessionId, s.PerformedAt, s.Serum.Product, false)),
        MaintenanceSessionRecorded s => Add(usage, id, s.Serum, new LotSession(s.ClientId, s.CourseId, s.SessionId, s.PerformedAt, s.Serum.Product, true)),
        _ => usage,
    };

    private static SerumLotUsage Add(SerumLotUsage? usage, string id, Serum serum, LotSession session)
    {
        var current = usage ?? new SerumLotUsage { Id = id, Lot = serum.Lot!.Trim() };
        return current with { Sessions = current.Sessions.Add(session) };
    }
}
