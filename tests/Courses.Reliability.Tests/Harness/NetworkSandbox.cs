namespace Courses.Reliability.Tests.Harness;

/// <summary>Where a node runs: the address it listens on and the words that put a command inside its network.</summary>
public sealed record NodeNetwork(string Address, IReadOnlyList<string> Prefix);

/// <summary>
/// A network namespace of the check's own joined to this one by a veth pair: a node started inside it is another host
/// as far as TCP is concerned (its own stack, its own address), reached over <see cref="HostAddress"/> ↔
/// <see cref="Node"/>. <see cref="CutAsync"/> takes the node's interface down, as when a host loses power or its
/// cable: from then on nothing it had sent arrives, nothing it would answer leaves, and nobody is told (no FIN, no
/// RST). Needs root (the checks run as root on the build machines). Disposing deletes the namespace and the pair.
/// </summary>
public sealed class NetworkSandbox : IAsyncDisposable
{
    private readonly string name;
    private readonly string hostLink;
    private const string NodeLink = "eth0";

    private NetworkSandbox(string name, string hostLink, string hostAddress, string nodeAddress, string network)
    {
        this.name = name;
        this.hostLink = hostLink;
        HostAddress = hostAddress;
        Network = network;
        Node = new NodeNetwork(nodeAddress, ["ip", "netns", "exec", name]);
    }

    /// <summary>This side's address on the pair: a server listening here is reachable from the node.</summary>
    public string HostAddress { get; }

    /// <summary>The pair's network (a /30), to trust in pg_hba.conf.</summary>
    public string Network { get; }

    public NodeNetwork Node { get; }

    public static async Task<NetworkSandbox> CreateAsync()
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("the vanished-host check needs root for a network namespace (ip netns); the build machines run as root");
        var id = Guid.NewGuid().ToString("N")[..8];
        // A /30 out of 100.64.0.0/10 (shared address space, used by nothing on these machines) chosen at random.
        var block = Random.Shared.Next(0, 1 << 14) * 4;
        var prefix = $"100.{64 + (block >> 16)}.{(block >> 8) & 255}";
        var last = block & 255;
        var sandbox = new NetworkSandbox($"courses-rel-{id}", $"crel{id}", $"{prefix}.{last + 1}", $"{prefix}.{last + 2}", $"{prefix}.{last}/30");
        try
        {
            await sandbox.Ip("netns", "add", sandbox.name);
            await sandbox.Ip("link", "add", sandbox.hostLink, "type", "veth", "peer", "name", NodeLink, "netns", sandbox.name);
            await sandbox.Ip("addr", "add", $"{sandbox.HostAddress}/30", "dev", sandbox.hostLink);
            await sandbox.Ip("link", "set", sandbox.hostLink, "up");
            await sandbox.Ip("-n", sandbox.name, "addr", "add", $"{sandbox.Node.Address}/30", "dev", NodeLink);
            await sandbox.Ip("-n", sandbox.name, "link", "set", NodeLink, "up");
            await sandbox.Ip("-n", sandbox.name, "link", "set", "lo", "up");
        }
        catch
        {
            await sandbox.DisposeAsync();
            throw;
        }
        return sandbox;
    }

    /// <summary>The node's interface goes down: its peers' packets are dropped without a word, and it sends nothing.</summary>
    public Task CutAsync() => Ip("-n", name, "link", "set", NodeLink, "down");

    /// <summary>The established TCP sockets this side holds towards the node, as <c>ss -tnoi</c> shows them (timers included).</summary>
    public async Task<string> SocketsTowardsNodeAsync()
    {
        var (_, output) = await PublishedApi.RunAsync("ss", ["-tnoH", "state", "established", "dst", Node.Address], "/",
            new Dictionary<string, string>(), TimeSpan.FromSeconds(20));
        return output;
    }

    private async Task Ip(params string[] args)
    {
        var (code, output) = await PublishedApi.RunAsync("ip", args, "/", new Dictionary<string, string>(), TimeSpan.FromSeconds(30));
        if (code != 0) throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {output}");
    }

    public async ValueTask DisposeAsync()
    {
        // Deleting the namespace deletes its end of the pair, and with it this end; the second call is for a half-made pair.
        await PublishedApi.RunAsync("ip", ["netns", "delete", name], "/", new Dictionary<string, string>(), TimeSpan.FromSeconds(30));
        await PublishedApi.RunAsync("ip", ["link", "delete", hostLink], "/", new Dictionary<string, string>(), TimeSpan.FromSeconds(30));
    }
}
