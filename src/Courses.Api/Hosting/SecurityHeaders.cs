namespace Courses.Api.Hosting;

/// <summary>Headers that keep browsers from sniffing, framing, caching or leaking what the API answers.</summary>
public static class SecurityHeaders
{
    public static IApplicationBuilder UseCoursesSecurityHeaders(this IApplicationBuilder app) => app.Use((http, next) =>
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            if (http.Request.Path.StartsWithSegments("/api"))
            {
                // JSON only: nothing an answer could make a browser load or run, and no copy kept anywhere.
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
                // A route may say more (an image: "private, no-store"), never less.
                if (!headers.CacheControl.ToString().Contains("no-store", StringComparison.Ordinal)) headers.CacheControl = "no-store";
            }
            else
            {
                // The API reference page loads its own scripts; it may still never be framed.
                headers.ContentSecurityPolicy = "frame-ancestors 'none'";
            }
            return Task.CompletedTask;
        });
        return next(http);
    });
}
