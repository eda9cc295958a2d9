using System.Diagnostics;
using System.Text.Json;

namespace Courses.Api.Audit;

/// <summary>
/// Records every read of a client's personal or clinical data in the clinic's access log, before the response
/// completes: a read the log cannot record is cut off rather than answered.
/// </summary>
/// <remarks>
/// Sits between authentication and authorization so that reads refused with 403 are seen too. Logged: GETs that
/// answered 2xx, 403 or 404 (a 404 on another clinic's client id is what an auditor looks for). Not logged: 401
/// (no user, no clinic to log under), other failures, health, OpenAPI, writes, routes that disclose no client.
/// </remarks>
public sealed class AccessLog(RequestDelegate next, AccessLogWriter writer, TimeProvider clock, ILogger<AccessLog> logger)
{
    public const string AccessLogRoute = "/api/audit/access";
    public const string SerumLotClientsRoute = "/api/serum-lots/{lot}/clients";
    public const string LotClientsRoute = "/api/lots/{lot}/clients";
    public const string MaintenanceDueRoute = "/api/maintenance/due";
    public const string FindClientsRoute = "/api/clients";
    public const string ScheduleRoute = "/api/schedule";

    /// <summary>The routes that list clients, and the arrays of their answer whose entries name each client shown.</summary>
    private static readonly Dictionary<string, string[]> ClientLists = new()
    {
        [SerumLotClientsRoute] = ["clients"],
        // A recall of any lot names everyone it reached, with how to reach them.
        [LotClientsRoute] = ["items"],
        [MaintenanceDueRoute] = ["items"],
        // A search is a read of everyone it shows: logged with the clients it returned, and with none when refused.
        [FindClientsRoute] = ["items"],
        // The day names everyone who comes in or is due.
        [ScheduleRoute] = ["consultations", "sessionsDue", "maintenanceDue"],
    };
    private const string ClientIdParameter = "clientId";

    /// <summary>A read of client data: any GET whose route names a client, and the routes that list clients.</summary>
    public static bool IsClientRead(string method, RouteEndpoint? endpoint) =>
        HttpMethods.IsGet(method) && endpoint is not null
        && (endpoint.RoutePattern.GetParameter(ClientIdParameter) is not null
            || endpoint.RoutePattern.RawText is { } route && (ClientLists.ContainsKey(route) || route == AccessLogRoute));

    public async Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint() as RouteEndpoint;
        if (!IsClientRead(http.Request.Method, endpoint) || http.User.Identity?.IsAuthenticated != true || WarmupRequest.Is(http))
        {
            await next(http);
            return;
        }
        var clinic = http.User.FindFirst(Caller.ClinicClaim)?.Value;
        var user = http.User.FindFirst(Caller.SubjectClaim)?.Value;
        if (string.IsNullOrWhiteSpace(clinic) || string.IsNullOrWhiteSpace(user))
        {
            await next(http);
            return;
        }

        var at = clock.GetUtcNow();
        var route = endpoint!.RoutePattern.RawText!;
        var disclosed = ClientLists.TryGetValue(route, out var list) ? DisclosedClients.Capture(http, list) : null;

        await next(http);

        var status = http.Response.StatusCode;
        if (status is not (>= 200 and < 300 or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)) return;

        var record = new AccessRecord
        {
            Id = Guid.CreateVersion7(at),
            At = at,
            UserId = user,
            Method = http.Request.Method,
            Route = route,
            ClientIds = ClientIds(http, route, disclosed, status),
            Status = status,
            TraceId = Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
            RequestId = http.TraceIdentifier,
        };
        try
        {
            // Not the request's token: a caller who hangs up has still been shown the data.
            await writer.RecordAsync(clinic, record);
        }
        catch (Exception e)
        {
            // The body may be on the wire, but the response is not complete: aborting leaves nothing acknowledged.
            logger.LogError(e, "Could not record {User}'s read of {Route} ({Status}); aborting the response", user, route, status);
            http.Abort();
        }
    }

    private static Guid[] ClientIds(HttpContext http, string route, DisclosedClients? disclosed, int status)
    {
        if (http.Request.RouteValues.TryGetValue(ClientIdParameter, out var raw))
            return Guid.TryParse(raw?.ToString(), out var clientId) ? [clientId] : [];
        if (route == AccessLogRoute)
            return Guid.TryParse(http.Request.Query[ClientIdParameter].ToString(), out var asked) ? [asked] : [];
        return disclosed is not null && status is >= 200 and < 300 ? disclosed.Read() : [];
    }
}

/// <summary>
/// The client ids a list route wrote into its answer, read from a copy of the body as it streams out: exactly what
/// the caller saw, with no second query that could disagree with it.
/// </summary>
internal sealed class DisclosedClients : Stream
{
    private readonly Stream _inner;
    private readonly string[] _lists;
    private readonly MemoryStream _copy = new();

    private DisclosedClients(Stream inner, string[] lists) => (_inner, _lists) = (inner, lists);

    public static DisclosedClients Capture(HttpContext http, string[] lists)
    {
        var tee = new DisclosedClients(http.Response.Body, lists);
        http.Response.Body = tee;
        http.Response.RegisterForDispose(tee._copy);
        return tee;
    }

    /// <summary>Every <c>clientId</c> in the answer's lists.</summary>
    public Guid[] Read()
    {
        try
        {
            using var answer = JsonDocument.Parse(_copy.ToArray());
            var root = answer.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return [];
            return _lists
                .SelectMany(list => root.TryGetProperty(list, out var clients) && clients.ValueKind == JsonValueKind.Array
                    ? clients.EnumerateArray() : [])
                .Select(c => c.TryGetProperty("clientId", out var id) && id.TryGetGuid(out var guid) ? guid : Guid.Empty)
                .Where(id => id != Guid.Empty)
                .Distinct()
                .ToArray();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        _copy.Write(buffer, offset, count);
        _inner.Write(buffer, offset, count);
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _copy.Write(buffer.Span);
        await _inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => _inner.Flush();
    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
