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
    /// (set to the same size) still stops a chunked body that grows past it while being read.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.ContentLength > MaxRequestBodyBytes)
        {
            // The unread body is left on the connection, which Kestrel then drops after the answer: say so, or a client
            // that reuses the connection loses its next request (seen as "response ended prematurely").
            http.Response.Headers.Connection = "close";
            await Problems.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"This service accepts request bodies of at most {MaxRequestBodyBytes / 1024} KiB.");
            return;
        }
        await next(http);
    });
}
