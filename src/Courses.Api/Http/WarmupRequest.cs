namespace Courses.Api.Http;

/// <summary>
/// Set on a request the node sent itself to warm up before reporting ready (Hosting/Warmup): its writes are rolled back
/// and its reads are not logged, since no one read anything.
/// </summary>
public sealed class WarmupRequest
{
    public static bool Is(HttpContext? http) => http?.Features.Get<WarmupRequest>() is not null;
}
