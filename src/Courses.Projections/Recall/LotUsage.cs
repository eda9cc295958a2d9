using System.Collections.Immutable;
using Courses.Domain;
using Courses.Domain.Sessions;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Courses.Projections.Recall;

/// <summary>A session or maintenance session that used the lot, and which of its products the lot was.</summary>
public sealed record LotSession(Guid ClientId, Guid CourseId, Guid SessionId, DateTimeOffset PerformedAt, string Product, bool Maintenance,
    ProductKind Kind = ProductKind.Serum);

/// <summary>
/// The sessions in which one client received one lot, of any product (serum, numbing cream, needle cartridge), for a
/// recall: one document per (lot, client), so a busy lot is many small rows behind an index rather than one document
/// rewritten, ever larger, at every session.
/// </summary>
public sealed record LotUsage
{
    public required string Id { get; init; }
    /// <summary>The lot's key (<see cref="Key"/>), indexed: a recall reads every document with it.</summary>
    public required string LotKey { get; init; }
    /// <summary>The lot as first typed for this client.</summary>
    public required string Lot { get; init; }
    public Guid ClientId { get; init; }
    public ImmutableList<LotSession> Sessions { get; init; } = [];

    /// <summary>
    /// Lots are typed by hand from the vial or the pack: " l-100" and "L-100" are the same lot. Case-insensitive on
    /// purpose — a recall that lists one client too many costs a phone call, one that misses a client costs their safety.
    /// </summary>
    public static string Key(string lot) => lot.Trim().ToUpperInvariant();

    public static string IdFor(string lotKey, Guid clientId) => $"{lotKey}/{clientId:N}";

    /// <summary>Every product of the session that names a lot, with the lot.</summary>
    public static IEnumerable<(ProductKind Kind, string Product, string Lot)> LotsOf(ISessionRecorded session)
    {
        // Sessions always carry a serum lot since the API requires it; older events without one name no lot to recall.
        if (!string.IsNullOrWhiteSpace(session.Serum.Lot)) yield return (ProductKind.Serum, session.Serum.Product, session.Serum.Lot);
        if (session.NumbingCream is { Lot: { } cream } && !string.IsNullOrWhiteSpace(cream))
            yield return (ProductKind.NumbingCream, session.NumbingCream.Product, cream);
        if (session.NeedleCartridge is { Lot: { } cartridge } && !string.IsNullOrWhiteSpace(cartridge))
            yield return (ProductKind.NeedleCartridge, session.NeedleCartridge.Product, cartridge);
    }
}

public partial class LotUsageProjection : MultiStreamProjection<LotUsage, string>
{
    public LotUsageProjection()
    {
        // Each kind by its concrete type: an interface here would make Marten drop its event-type filter altogether.
        Identities<SessionRecorded>(IdsOf);
        Identities<MaintenanceSessionRecorded>(IdsOf);
    }

    private static IReadOnlyList<string> IdsOf(ISessionRecorded session) =>
        [.. LotUsage.LotsOf(session).Select(l => LotUsage.IdFor(LotUsage.Key(l.Lot), session.ClientId)).Distinct()];

    public override LotUsage? Evolve(LotUsage? usage, string id, IEvent e) => e.Data switch
    {
        ISessionRecorded s => Add(usage, id, s),
        _ => usage,
    };

    private static LotUsage? Add(LotUsage? usage, string id, ISessionRecorded session)
    {
        var lots = LotUsage.LotsOf(session).Where(l => LotUsage.IdFor(LotUsage.Key(l.Lot), session.ClientId) == id).ToList();
        if (lots.Count == 0) return usage;
        var current = usage ?? new LotUsage
        {
            Id = id, LotKey = LotUsage.Key(lots[0].Lot), Lot = lots[0].Lot.Trim(), ClientId = session.ClientId,
        };
        return current with
        {
            Sessions = current.Sessions.AddRange(lots.Select(l => new LotSession(session.ClientId, session.CourseId, session.SessionId,
                session.PerformedAt, l.Product, session.IsMaintenance, l.Kind))),
        };
    }
}
