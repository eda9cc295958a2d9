using System.Net;
using System.Net.Sockets;

namespace Courses.Api.Webhooks;

/// <summary>
/// Where a webhook may deliver: public addresses only, so an admin's URL cannot reach this machine, the cloud's metadata
/// service or the clinic's private network. The URL's host is checked at registration; every address its name resolves
/// to is checked again at delivery, just before connecting (<see cref="WebhookConnections"/>). Hosts and ranges named in
/// <see cref="WebhookSettings.AllowedPrivateTargets"/> are let through, for development and tests.
/// </summary>
public sealed class WebhookTargets
{
    private readonly HashSet<string> _allowedHosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<IPNetwork> _allowedRanges = [];

    /// <param name="allowed">Comma-separated host names, addresses and CIDR ranges (<c>localhost,10.0.0.0/8,::1</c>).</param>
    public WebhookTargets(string? allowed)
    {
        foreach (var entry in (allowed ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (IPNetwork.TryParse(entry, out var range)) _allowedRanges.Add(range);
            else if (IPAddress.TryParse(entry, out var address)) _allowedRanges.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            else if (Uri.CheckHostName(entry) == UriHostNameType.Dns) _allowedHosts.Add(entry.TrimEnd('.'));
            else
                throw new InvalidOperationException(
                    $"{WebhookSettings.Section}:{nameof(WebhookSettings.AllowedPrivateTargets)} takes host names, addresses and CIDR ranges; '{entry}' is none.");
        }
    }

    /// <summary>Why a webhook may not be registered with this URL, or null when it may. Names are checked again when they resolve.</summary>
    public string? RefusalOf(Uri url)
    {
        var host = Host(url);
        if (_allowedHosts.Contains(host)) return null;
        if (url.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 && IPAddress.TryParse(host, out var address))
            return RefusalOf(host, address);
        return NamesThisMachineOrAPrivateNetwork(host) ? $"'{host}' names this machine or a private network." : null;
    }

    /// <summary>Why a delivery to <paramref name="host"/> may not connect to <paramref name="address"/>, or null when it may.</summary>
    public string? RefusalOf(string host, IPAddress address)
    {
        if (_allowedHosts.Contains(host.TrimEnd('.')) || IsPublic(address)) return null;
        var mapped = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (_allowedRanges.Any(r => r.Contains(address) || r.Contains(mapped))) return null;
        return $"{address} is not a public address.";
    }

    /// <summary>The host as it is looked up: IDN in ASCII, lower case, without a trailing dot or an IPv6 zone.</summary>
    public static string Host(Uri url)
    {
        var host = url.HostNameType == UriHostNameType.IPv6 ? url.Host.Trim('[', ']') : url.IdnHost;
        return host.TrimEnd('.').ToLowerInvariant();
    }

    /// <summary>Single-label names resolve through the local search domains; these suffixes are reserved for local use.</summary>
    private static bool NamesThisMachineOrAPrivateNetwork(string host) =>
        !host.Contains('.') || LocalSuffixes.Any(s => host.EndsWith(s, StringComparison.Ordinal));

    private static readonly string[] LocalSuffixes = [".localhost", ".local", ".localdomain", ".internal", ".home.arpa"];

    /// <summary>Reachable on the internet: not loopback, private, shared, link-local, multicast, reserved or for documentation.</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetwork) return !NotPublicV4.Any(r => r.Contains(address));
        return GlobalUnicastV6.Contains(address) && !NotPublicV6.Any(r => r.Contains(address));
    }

    // From IANA's special-purpose address registries: every range here is not globally reachable.
    private static readonly IPNetwork[] NotPublicV4 = Ranges(
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4");

    // Outside 2000::/3 lie loopback, unspecified, IPv4-compatible and NAT64 forms, unique-local, link-local and multicast.
    private static readonly IPNetwork GlobalUnicastV6 = IPNetwork.Parse("2000::/3");

    // Teredo and protocol assignments, documentation, and 6to4 (which embeds any IPv4 address, private ones too).
    private static readonly IPNetwork[] NotPublicV6 = Ranges("2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20");

    private static IPNetwork[] Ranges(params string[] cidrs) => cidrs.Select(IPNetwork.Parse).ToArray();
}

/// <summary>A delivery whose receiver's name resolved to an address webhooks may not reach: it is not sent, nor retried.</summary>
public sealed class WebhookTargetRefused(string message) : Exception(message);

/// <summary>
/// The webhooks' connections: the receiver's name is resolved here once, every address checked, and the socket opened to
/// a checked address, so a name that answers differently on a second lookup (DNS rebinding) reaches nothing unchecked.
/// No proxy (it would connect elsewhere) and no redirects (a receiver could point them inside).
/// </summary>
public sealed class WebhookConnections(WebhookTargets targets, Func<string, CancellationToken, Task<IPAddress[]>>? resolve = null)
{
    private readonly Func<string, CancellationToken, Task<IPAddress[]>> _resolve = resolve ?? Dns.GetHostAddressesAsync;

    public SocketsHttpHandler Handler() => new()
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        ConnectCallback = ConnectAsync,
        // Pooled connections were opened to checked addresses; a fresh lookup now and then follows a receiver that moves.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellation)
    {
        var (host, port) = (context.DnsEndPoint.Host, context.DnsEndPoint.Port);
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await _resolve(host, cancellation);
        if (addresses.Length == 0) throw new WebhookTargetRefused($"The receiver's name '{host}' resolved to no address.");
        // Any internal address refuses the name: a public name has no reason to also answer with one.
        if (addresses.Select(a => targets.RefusalOf(host, a)).OfType<string>().FirstOrDefault() is { } refusal)
            throw new WebhookTargetRefused($"The receiver's name '{host}' resolved to an address webhooks may not reach: {refusal}");

        SocketException? failed = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellation);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                failed = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw failed!;
    }
}
