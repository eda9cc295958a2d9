namespace Courses.Api.Writes;

/// <summary>
/// The one answer to "is this a write": a request under /api with a method that is not safe (RFC 9110: GET, HEAD,
/// OPTIONS and TRACE only read). Write safety, the per-user write limit and the command metrics all ask it.
/// </summary>
public static class WriteRequests
{
    public static bool IsWrite(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") &&
        !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) ||
          HttpMethods.IsTrace(request.Method));
}
