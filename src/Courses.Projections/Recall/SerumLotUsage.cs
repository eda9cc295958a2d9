using System.Collections.Immutable;
using Courses.Domain;
using Courses.Domain.Sessions;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Courses.Projections.Recall;

/// <summary>A session or maintenance session that applied the lot.</summary>
public sealed record LotSession(Guid ClientId, Guid CourseId, Guid SessionId, DateTimeOffset PerformedAt, string Product, bool Maintenance);

/// <summary>
/// The sessions in which one client received one serum lot, for a recall: one document per (lot, client), so a busy
/// lot is many small rows behind an index rather than one document rewritten, ever larger, at every session.
/// </summary>
public sealed record SerumLotUsage
{
    public required string Id { get; init; }
    /// <summary>The lot's key (<see cref="Key"/>), indexed: a recall reads every document with it.</summary>
    public required string LotKey { get; init; }
    /// <summary>The lot as first typed for this client.</summary>
    public required string Lot { get; init; }
    public Guid ClientId { get; init; }
    public ImmutableList<LotSession> Sessions { get; init; } = [];

    /// <summary>
    /// Lots are typed by hand from the vial: " l-100" and "L-100" are the same lot. Case-insensitive on purpose — a
    /// recall that lists one client too many costs a phone call, one that misses a client costs their safety.
    /// </summary>
    public static string Key(string lot) => lot.Trim().ToUpperInvariant();

    public static string IdFor(string lotKey, Guid clientId) => $"{lotKey}/{clientId:N}";
}

public partial class SerumLotUsageProjection : MultiStreamProjection<SerumLotUsage, string>
{
    public SerumLotUsageProjection()
    {
        // Each kind by its concrete type: an interface here would make Marten drop its event-type filter altogether.
        Identities<SessionRecorded>(IdsOf);
        Identities<MaintenanceSessionRecorded>(IdsOf);
    }

    // Sessions always carry a lot since the API requires it; older events without one name no lot to recall.
    private static IReadOnlyList<string> IdsOf(ISessionRecorded session) =>
        string.IsNullOrWhiteSpace(session.Serum.Lot) ? [] : [SerumLotUsage.IdFor(SerumLotUsage.Key(session.Serum.Lot), session.ClientId)];

    public override SerumLotUsage? Evolve(SerumLotUsage? usage, string id, IEvent e) => e.Data switch
    {
        ISessionRecorded s => Add(usage, id, s),
        _ => usage,
    };

    private static SerumLotUsage Add(SerumLotUsage? usage, string id, ISessionRecorded session)
    {
        var current = usage ?? new SerumLotUsage
        {
            Id = id, LotKey = SerumLotUsage.Key(session.Serum.Lot!), Lot = session.Serum.Lot!.Trim(), ClientId = session.ClientId,
        };
        return current with
        {
            Sessions = current.Sessions.Add(new LotSession(session.ClientId, session.CourseId, session.SessionId, session.PerformedAt,
                session.Serum.Product, session.IsMaintenance)),
        };
    }
}
