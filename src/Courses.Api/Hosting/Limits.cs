namespace Courses.Api.Hosting;

public static class Limits
{
    public const long MaxRequestBodyBytes = 256 * 1024;

    /// <summary>No request of this API needs more; a larger body is refused with 413 before it is read.</summary>
    public static WebApplicationBuilder AddCoursesRequestLimits(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
        });
        return builder;
    }

    /// <summary>
    /// Refuses a declared body over the limit with a 413 problem before anything reads it. Kestrel's own limit
    /// (set to the same size) still stops a chunked body that grows past it while being read. A route that declares a
    /// larger limit (<see cref="RequestSizeLimitAttribute"/>: the photo upload alone) gets it, for that request only.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var limit = http.GetEndpoint()?.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                    ?? MaxRequestBodyBytes;
        if (http.Request.ContentLength > limit)
        {
            // The unread body is left on the connection, which Kestrel then drops after the answer: say so, or a client
            // that reuses the connection loses its next request (seen as "response ended prematurely").
            http.Response.Headers.Connection = "close";
            await Problems.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"This route accepts request bodies of at most {Describe(limit)}.");
            return;
        }
        if (limit != MaxRequestBodyBytes && http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit;
        await next(http);
    });

    private static string Describe(long bytes) => bytes >= 1024 * 1024 ? $"{bytes / (1024.0 * 1024):0.#} MiB" : $"{bytes / 1024} KiB";
}
