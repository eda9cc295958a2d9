using System.Globalization;
using System.Threading.RateLimiting;
using Courses.Api.Writes;
using Microsoft.AspNetCore.RateLimiting;

namespace Courses.Api.Hosting;

/// <summary>The <c>Limits</c> configuration section.</summary>
public sealed class LimitSettings
{
    public const string Section = "Limits";

    /// <summary>Writes (POST, PUT, DELETE under /api) one user of one clinic may make a minute; 0 switches the limit off.</summary>
    public int WritesPerMinutePerUser { get; set; } = 600;
}

/// <summary>
/// Per-user write rate limit: a runaway front-end or a stolen token cannot flood a clinic's records. Partitioned by
/// the token's subject and clinic, so one busy user never slows another; reads are not limited.
/// </summary>
public static class WriteRateLimit
{
    public static IServiceCollection AddCoursesWriteRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(LimitSettings.Section).Get<LimitSettings>() ?? new LimitSettings();
        services.AddRateLimiter(options =>
        {
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                settings.WritesPerMinutePerUser <= 0 || !WriteRequests.IsWrite(http.Request) || http.User.Identity?.IsAuthenticated != true
                    ? RateLimitPartition.GetNoLimiter("unlimited")
                    : RateLimitPartition.GetFixedWindowLimiter(
                        $"{http.User.FindFirst(Caller.ClinicClaim)?.Value}\n{http.User.FindFirst(Caller.SubjectClaim)?.Value}",
                        _ => new FixedWindowRateLimiterOptions
                        {
                            PermitLimit = settings.WritesPerMinutePerUser,
                            Window = TimeSpan.FromMinutes(1),
                            QueueLimit = 0,
                            AutoReplenishment = true,
                        }));
            options.OnRejected = async (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Problems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "Too many writes",
                    $"This user has made {settings.WritesPerMinutePerUser} writes in the last minute, the most allowed. Try again in {seconds} s.");
            };
        });
        return services;
    }
}
