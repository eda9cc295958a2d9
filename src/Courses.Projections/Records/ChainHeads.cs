using JasperFx.Events;

namespace Courses.Projections.Records;

/// <summary>
/// The newest hash-chain link of each client stream that one write request folded. A command folds the record from its
/// events anyway, so the chain's previous link is already in hand when the new events are sealed: no second read.
/// The write pipeline starts a collector per request (<see cref="CollectForThisRequest"/>) and keeps it in the
/// request's features; the hash-chain listener reads it from there.
/// </summary>
public sealed class ChainHeads
{
    /// <summary>The event header that carries the hash chain.</summary>
    public const string Header = "hash";

    // Marten calls the fold (TreatmentRecordProjection.Evolve) with nothing of the request in reach, so the request's
    // collector travels with its async flow; nothing else reads this.
    private static readonly AsyncLocal<ChainHeads?> Collecting = new();

    private readonly Dictionary<(string Tenant, Guid Stream), (long Version, string Hash)> _heads = [];

    /// <summary>Starts collecting for the calling request: every record it folds from here on leaves its chain head here.</summary>
    public static ChainHeads CollectForThisRequest() => Collecting.Value = new ChainHeads();

    internal static void Folded(IEvent e)
    {
        if (Collecting.Value is not { } heads || e.Headers is null || !e.Headers.TryGetValue(Header, out var value)) return;
        var hash = value?.ToString();
        if (string.IsNullOrEmpty(hash)) return;
        lock (heads._heads) heads._heads[(e.TenantId, e.StreamId)] = (e.Version, hash);
    }

    /// <summary>The hash of the stream's event at <paramref name="version"/>, if this request folded up to exactly it.</summary>
    public bool TryGet(string tenant, Guid stream, long version, out string hash)
    {
        lock (_heads)
        {
            if (_heads.TryGetValue((tenant, stream), out var head) && head.Version == version)
            {
                hash = head.Hash;
                return true;
            }
        }
        hash = "";
        return false;
    }
}
