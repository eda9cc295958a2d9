using System.Globalization;
using System.Threading.RateLimiting;
using Courses.Api.Audit;
using Courses.Api.Writes;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Courses.Api.Hosting;

/// <summary>The <c>Limits</c> configuration section; 0 switches a limit off.</summary>
public sealed class LimitSettings
{
    public const string Section = "Limits";

    /// <summary>Writes (POST, PUT, DELETE under /api) one user of one clinic may make a minute.</summary>
    public int WritesPerMinutePerUser { get; set; } = 600;

    /// <summary>
    /// Reads of client data one user of one clinic may make a minute: what the access log records (a client's profile,
    /// courses, history, record…, the search, the maintenance and recall lists). Far above what a person at a desk
    /// reads; a scraper paging through every client is slowed to it.
    /// </summary>
    public int ClientReadsPerMinutePerUser { get; set; } = 120;

    /// <summary>Requests all users of one clinic together may make a minute, reads and writes: one clinic cannot starve the others.</summary>
    public int RequestsPerMinutePerClinic { get; set; } = 6000;
}

/// <summary>
/// Rate limits, each a fixed one-minute window on the service's clock: per user on writes, per user on reads of client
/// data, and per clinic on everything. A request over any of them is a 429 problem with <c>Retry-After</c>, and a warning
/// in the log naming the user, the clinic and the limit. Only authenticated requests count: the clinic and user come
/// from the token.
/// </summary>
public static class RateLimits
{
    private sealed record Limit(string Name, int PerMinute, string Title, string Detail, Func<HttpContext, bool> Counts, Func<HttpContext, string> Partition);

    private static string Clinic(HttpContext http) => http.User.FindFirst(Caller.ClinicClaim)?.Value ?? "";
    private static string User(HttpContext http) => $"{Clinic(http)}\n{http.User.FindFirst(Caller.SubjectClaim)?.Value}";

    private static Limit[] LimitsOf(LimitSettings settings) =>
    [
        new("writes-per-user", settings.WritesPerMinutePerUser, "Too many writes",
            $"This user has made {settings.WritesPerMinutePerUser} writes in this minute, the most allowed.",
            http => WriteRequests.IsWrite(http.Request), User),
        new("client-reads-per-user", settings.ClientReadsPerMinutePerUser, "Too many reads of client data",
            $"This user has read client data {settings.ClientReadsPerMinutePerUser} times in this minute, the most allowed.",
            http => AccessLog.IsClientRead(http.Request.Method, http.GetEndpoint() as RouteEndpoint), User),
        new("requests-per-clinic", settings.RequestsPerMinutePerClinic, "Too many requests from this clinic",
            $"This clinic's users and integrations have made {settings.RequestsPerMinutePerClinic} requests in this minute, the most allowed.",
            _ => true, Clinic),
    ];

    public static IServiceCollection AddCoursesRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(LimitSettings.Section).Get<LimitSettings>() ?? new LimitSettings();
        var limits = LimitsOf(settings).Where(l => l.PerMinute > 0).ToArray();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<TimeProvider>((options, clock) =>
        {
            if (limits.Length == 0) return;
            // In this order: a user over their own limit is stopped before they use up the clinic's.
            options.GlobalLimiter = PartitionedRateLimiter.CreateChained(limits.Select(limit => PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.Identity?.IsAuthenticated == true && limit.Counts(http)
                    ? RateLimitPartition.Get(limit.Partition(http), _ => new MinuteWindow(limit.Name, limit.PerMinute, clock))
                    : RateLimitPartition.GetNoLimiter(""))).ToArray());
            options.OnRejected = (context, cancellation) => Refuse(context.HttpContext, context.Lease, limits);
        });
        return services;
    }

    private static async ValueTask Refuse(HttpContext http, RateLimitLease lease, Limit[] limits)
    {
        var limit = lease.TryGetMetadata(MetadataName.ReasonPhrase, out var name) ? limits.Single(l => l.Name == name) : limits[0];
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RateLimits)).LogWarning(
            "Rate limit {Limit} ({PerMinute} a minute) refused {Method} {Path} by user {User} of clinic {Clinic}",
            limit.Name, limit.PerMinute, http.Request.Method, http.Request.Path, http.User.FindFirst(Caller.SubjectClaim)?.Value, Clinic(http));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.WriteAsync(http, StatusCodes.Status429TooManyRequests, limit.Title, $"{limit.Detail} Try again in {seconds} s.",
            extensions: new Dictionary<string, object?> { ["limit"] = limit.Name });
    }

    /// <summary>
    /// A fixed window of so many permits a clock minute. The built-in limiters keep time with their own timers; this
    /// one reads the service's <see cref="TimeProvider"/>, so tests move the clock instead of waiting.
    /// </summary>
    private sealed class MinuteWindow(string limit, int permits, TimeProvider clock) : RateLimiter
    {
        private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
        private readonly Lock _lock = new();
        private DateTimeOffset _start;
        private int _used;

        private static readonly RateLimitLease Granted = new Lease(null, TimeSpan.Zero);

        // Once its window has ended the limiter holds nothing worth keeping; the partitioned limiter may drop it. Not
        // before its first permit, though: the partitioned limiter's heartbeat can look at a limiter it has just created
        // for a request, and dropping that one would let the partition's count start again.
        public override TimeSpan? IdleDuration
        {
            get
            {
                lock (_lock)
                {
                    if (_start == default) return null;
                    var ended = _start + Window;
                    var now = clock.GetUtcNow();
                    return now >= ended ? now - ended : null;
                }
            }
        }

        public override RateLimiterStatistics GetStatistics()
        {
            lock (_lock) return new RateLimiterStatistics { CurrentAvailablePermits = Math.Max(0, permits - _used) };
        }

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            var now = clock.GetUtcNow();
            lock (_lock)
            {
                var start = new DateTimeOffset(now.UtcTicks - now.UtcTicks % Window.Ticks, TimeSpan.Zero);
                if (start != _start) (_start, _used) = (start, 0);
                if (_used + Math.Max(permitCount, 1) <= permits)
                {
                    _used += permitCount;
                    return Granted;
                }
                return new Lease(limit, _start + Window - now);
            }
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            ValueTask.FromResult(AttemptAcquireCore(permitCount));
    }

    /// <summary>Granted (no limit named), or refused by the named limit until the window ends.</summary>
    private sealed class Lease(string? refusedBy, TimeSpan retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => refusedBy is null;

        public override IEnumerable<string> MetadataNames =>
            IsAcquired ? [] : [MetadataName.ReasonPhrase.Name, MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = IsAcquired ? null
                : metadataName == MetadataName.ReasonPhrase.Name ? refusedBy
                : metadataName == MetadataName.RetryAfter.Name ? retryAfter
                : null;
            return metadata is not null;
        }
    }
}
