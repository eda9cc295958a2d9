using System.Globalization;
using System.Text.RegularExpressions;
using Courses.Reliability.Tests.Harness;
using Npgsql;

namespace Courses.Reliability.Tests.Faults;

/// <summary>
/// The node running the async projections is on a host that vanishes: no FIN, no RST, nothing more from it. The node
/// runs in a network namespace of its own (another TCP stack, reached over a veth pair), PostgreSQL listens on this
/// side of the pair, and the fault is SIGSTOP of the node (it runs nothing more) plus its interface going down (its
/// kernel answers nothing more). SIGSTOP alone is not a vanished host: the frozen process's kernel still ACKs and answers
/// keepalives, so PostgreSQL would wait for it forever; a link cut alone leaves a live node that could act again.
/// </summary>
public sealed partial class VanishedHostTests
{
    [Fact]
    public async Task When_the_host_running_the_projections_vanishes_without_a_word_a_standby_takes_over_within_30_s()
    {
        var figures = new Figures("failover (host vanished)");
        await using var sandbox = await NetworkSandbox.CreateAsync();
        // A network check: the cluster need not sync to disk, and spares the disk the other checks share.
        await using var cluster = await PrivateCluster.StartAsync(alsoListenOn: sandbox.HostAddress, trustedNetwork: sandbox.Network, settings: "fsync = off");
        // Every node names the database alike, as in a deployment: Wolverine knows a database by its connection's host,
        // and a standby that reached it as 127.0.0.1 would run a second copy of every projection agent of its own.
        var database = new ProcessDatabase(new NpgsqlConnectionStringBuilder(cluster.ConnectionString("courses_rel_vanish"))
            { Host = sandbox.HostAddress }.ConnectionString);
        await database.CreateAsync();
        var fromTheNode = database.ConnectionString;

        var takeover = await Takeover.MeasureAsync(figures, database,
            () => ApiProcess.StartAsync(fromTheNode, "vanish-first", sandbox.Node),
            async first =>
            {
                // The liveness settings the service asks for are on the server's own sockets towards the node: a keepalive
                // timer (tcp_keepalives_idle = 5 s) on every one of them. A socket with data in flight shows its
                // retransmission timer instead, so look a few times until each has shown its keepalive.
                var shown = new Dictionary<string, double>();
                var sockets = await Eventually.Until(async () =>
                {
                    var timers = KeepaliveTimers(await sandbox.SocketsTowardsNodeAsync(), cluster.Port);
                    foreach (var (socket, seconds) in timers)
                        if (seconds is { } keepalive) shown[socket] = Math.Max(shown.GetValueOrDefault(socket), keepalive);
                    return timers.Select(t => t.Socket).ToList();
                }, current => current.Count > 0 && current.All(shown.ContainsKey), TimeSpan.FromSeconds(10),
                    "a keepalive timer on every server socket towards the node", TimeSpan.FromMilliseconds(100),
                    () => string.Join("\n", shown.Select(t => $"{t.Key}: {t.Value} s")));
                figures.Add("server sockets towards the node", sockets.Count);
                figures.Add("of them with a keepalive timer ≤ 5 s", sockets.Count(socket => shown[socket] <= 5.0));
                Assert.All(sockets, socket => Assert.True(shown[socket] <= 5.0, $"{socket}: keepalive in {shown[socket]} s, not within 5 s"));
                first.Freeze();
                await sandbox.CutAsync();
            },
            () => database.ScalarAsync("select count(*) from pg_stat_activity where client_addr = @node::inet", ("node", sandbox.Node.Address)));
        Assert.True(takeover <= TimeSpan.FromSeconds(30), $"the standby took over after {takeover.TotalSeconds:0.0} s (target 30 s)");
    }

    /// <summary>
    /// For each server socket (local port <paramref name="port"/>) in <c>ss -tno</c> output: its peer address and port,
    /// and its keepalive timer's seconds (null when it shows another timer).
    /// </summary>
    private static List<(string Socket, double? Seconds)> KeepaliveTimers(string ss, int port) =>
        ss.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => (Line: line, Words: line.Split(' ', StringSplitOptions.RemoveEmptyEntries)))
            .Where(s => s.Words is [_, _, var local, _, ..] && local.EndsWith($":{port}", StringComparison.Ordinal))
            .Select(s => (s.Words[3], KeepaliveTimer().Match(s.Line) is { Success: true } m ? Seconds(m.Groups[1].Value) : null))
            .ToList();

    /// <summary>ss writes a timer as 850ms, 4.2sec or 1min3sec.</summary>
    private static double? Seconds(string timer) =>
        timer.EndsWith("ms", StringComparison.Ordinal) ? double.Parse(timer[..^2], CultureInfo.InvariantCulture) / 1000
        : timer.Contains("min", StringComparison.Ordinal) ? 60 * double.Parse(timer[..timer.IndexOf("min", StringComparison.Ordinal)], CultureInfo.InvariantCulture)
        : double.Parse(timer.TrimEnd('s', 'e', 'c'), CultureInfo.InvariantCulture);

    [GeneratedRegex(@"timer:\(keepalive,([^,]+),")]
    private static partial Regex KeepaliveTimer();
}
