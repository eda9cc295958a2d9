using Courses.Api.Http;
namespace Courses.Api.Hosting;

public static class Limits
{
    public const long MaxRequestBodyBytes = 256 * 1024;

    /// <summary>
    /// Refuses a declared body over the limit with a 413 problem before anything reads it. Kestrel's own limit
    /// (set to the same size) still stops a chunked body that grows past it while being read.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        if (http.Request.ContentLength > MaxRequestBodyBytes)
        {
            await Problems.WriteAsync(http, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"This service accepts request bodies of at most {MaxRequestBodyBytes / 1024} KiB.");
            return;
        }
        await next(http);
    });
}
