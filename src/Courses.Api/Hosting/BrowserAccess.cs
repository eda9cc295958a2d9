using Microsoft.AspNetCore.Cors.Infrastructure;

namespace Courses.Api.Hosting;

/// <summary>
/// CORS for browser front-ends. Only the origins configured under <c>Cors:AllowedOrigins</c> may call the API from a
/// browser; with none (the default) the service sends no CORS headers at all. Credentials stay off: a front-end sends
/// its bearer token in <c>Authorization</c>, never a cookie.
/// </summary>
public static class BrowserAccess
{
    public const string Section = "Cors:AllowedOrigins";

    /// <summary>What a browser may send beyond the CORS-safelisted headers.</summary>
    public static readonly string[] AllowedHeaders = ["Authorization", "Content-Type", "If-Match", "Idempotency-Key", ReadReplica.Header];

    /// <summary>What a front-end script may read from an answer: the version, a creation's address, when to retry.</summary>
    public static readonly string[] ExposedHeaders = ["ETag", "Location", "Retry-After"];

    public static readonly string[] AllowedMethods = ["GET", "POST", "PUT", "DELETE"];

    /// <summary>How long a browser may cache a preflight answer.</summary>
    public static readonly TimeSpan PreflightMaxAge = TimeSpan.FromMinutes(10);

    public static string[] AllowedOrigins(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<string[]>()?
            .Select(origin => origin.Trim().TrimEnd('/'))
            .Where(origin => origin.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToArray() ?? [];

    public static IServiceCollection AddCoursesBrowserAccess(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = AllowedOrigins(configuration);
        if (origins.Length == 0) return services;
        return services.AddCors(cors => cors.AddDefaultPolicy(new CorsPolicyBuilder()
            .WithOrigins(origins)
            .WithMethods(AllowedMethods)
            .WithHeaders(AllowedHeaders)
            .WithExposedHeaders(ExposedHeaders)
            .DisallowCredentials()
            .SetPreflightMaxAge(PreflightMaxAge)
            .Build()));
    }

    /// <summary>Before authentication, so a preflight needs no token and refusals (401, 403, 4xx) are readable by the page.</summary>
    public static IApplicationBuilder UseCoursesBrowserAccess(this IApplicationBuilder app, IConfiguration configuration) =>
        AllowedOrigins(configuration).Length == 0 ? app : app.UseCors();
}
