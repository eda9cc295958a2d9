using JasperFx.Events;

namespace Courses.Projections.Records;

/// <summary>
/// The newest hash-chain link of each client stream folded during one request. A command folds the record from its
/// events anyway, so the chain's previous link is already in hand when the new events are sealed: no second read.
/// </summary>
public sealed class ChainHeads
{
    /// <summary>The event header that carries the hash chain.</summary>
    public const string Header = "hash";

    private static readonly AsyncLocal<ChainHeads?> Scope = new();
    private readonly Dictionary<(string Tenant, Guid Stream), (long Version, string Hash)> _heads = [];

    /// <summary>Starts collecting for the calling flow (a request); what it folds from here on is remembered.</summary>
    public static ChainHeads Begin() => Scope.Value = new ChainHeads();

    public static ChainHeads? Current => Scope.Value;

    internal static void Folded(IEvent e)
    {
        if (Scope.Value is not { } heads || e.Headers is null || !e.Headers.TryGetValue(Header, out var value)) return;
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
