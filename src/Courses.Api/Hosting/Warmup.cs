using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using Courses.Api.Clients;
using Courses.Api.Sessions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Courses.Api.Hosting;

/// <summary>The <c>Warmup</c> configuration section.</summary>
public sealed class WarmupOptions
{
    public const string Section = "Warmup";

    /// <summary>Send the warm-up requests before the node reports ready (default on).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How many times the requests are sent; later rounds let the runtime compile the hot paths again, optimised.</summary>
    public int Rounds { get; set; } = 3;
}

/// <summary>
/// A new node's first requests run code the runtime has never compiled. Before the node reports ready, it sends itself
/// the requests a clinic's day starts with, through the whole pipeline (Kestrel, authentication, binding, decisions,
/// Marten, the hash chain), as a clinic of its own that no token outside this process can name: the tokens are signed
/// with a key made at start and dropped after, every write is rolled back before it commits, and no read is logged.
/// </summary>
public sealed class Warmup
{
    public const string Clinic = "courses-warm-up";

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// The keys the token handler accepts for warm-up tokens: this node's own key until warm, then none. Read by requests
    /// while warming ends, so the set is swapped whole rather than changed in place, and read afresh each time.
    /// </summary>
    public IEnumerable<SecurityKey> SigningKeys
    {
        get
        {
            foreach (var key in _accepted) yield return key;
        }
    }

    private volatile SecurityKey[] _accepted;

    public Warmup() => _accepted = [SigningKey];

    /// <summary>The key that signs this node's warm-up tokens.</summary>
    public SecurityKey SigningKey { get; } = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32));

    public bool IsWarm => _done.Task.IsCompleted;

    public void Finished()
    {
        _accepted = [];
        _done.TrySetResult();
    }

    internal void MarkIfWarmup(HttpContext http, SecurityKey? signedWith)
    {
        if (signedWith is not null && _accepted.Contains(signedWith)) http.Features.Set(new WarmupRequest());
    }
}

/// <summary>
/// Rolls back every write a warm-up request makes: the transaction runs all of the write's statements, then fails
/// before it commits. (Marten then fills the sequence numbers it took with tombstone events, as after any failed write.)
/// </summary>
internal sealed class WarmupRollback(IHttpContextAccessor http) : DocumentSessionListenerBase
{
    public override Task BeforeSaveChangesAsync(IDocumentSession session, CancellationToken token)
    {
        if (WarmupRequest.Is(http.HttpContext) && session is ITransactionParticipantRegistrar transaction)
            transaction.AddTransactionParticipant(new FailBeforeCommit());
        return Task.CompletedTask;
    }

    public static bool RolledBack(Exception? e) => e is RolledBackException || e?.InnerException is RolledBackException;

    private sealed class RolledBackException() : Exception("A warm-up write, rolled back before its commit.");

    private sealed class FailBeforeCommit : ITransactionParticipant
    {
        public Task BeforeCommitAsync(Npgsql.NpgsqlConnection connection, Npgsql.NpgsqlTransaction transaction, CancellationToken token) =>
            throw new RolledBackException();
    }
}

/// <summary>Not ready until warm: degraded, so the poll is not logged as an error, and answered 503 all the same.</summary>
internal sealed class WarmupCheck(Warmup warmup) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        Task.FromResult(warmup.IsWarm ? HealthCheckResult.Healthy() : HealthCheckResult.Degraded("Warming up."));
}

internal sealed class WarmupRun(Warmup warmup, IOptions<WarmupOptions> options, IServer server, IHostApplicationLifetime lifetime,
    IConfiguration configuration, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, TimeProvider clock, ILogger<WarmupRun> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        // Decided before the host has started: an in-process test server has no address to call, so nothing to warm.
        if (!options.Value.Enabled || server.Features.Get<IServerAddressesFeature>() is null)
        {
            warmup.Finished();
            return;
        }
        try
        {
            await WhenStartedAsync(stopping);
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            if (addresses.OrderBy(a => a.StartsWith("https", StringComparison.OrdinalIgnoreCase)).FirstOrDefault() is not { } address) return;
            var bound = BindingAddress.Parse(address);
            var took = Stopwatch.StartNew();
            var sent = await SendAsync(new Uri($"{bound.Scheme}://localhost:{bound.Port}"), stopping);
            logger.LogInformation("Warm-up: {Requests} requests in {Ms} ms", sent, took.ElapsedMilliseconds);
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            // A node that cannot warm itself still serves: its first requests are slower, nothing else.
            logger.LogWarning(e, "Warm-up stopped early");
        }
        finally
        {
            warmup.Finished();
        }
    }

    private Task WhenStartedAsync(CancellationToken stopping)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        stopping.Register(() => started.TrySetCanceled(stopping));
        return started.Task;
    }

    private async Task<int> SendAsync(Uri address, CancellationToken stopping)
    {
        using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerSecond));
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        string Token(string role) => Authentication.IssueToken(auth, warmup.SigningKey, Warmup.Clinic, [role], Warmup.Clinic, now,
            TimeSpan.FromMinutes(10));
        var reception = Token(Roles.Reception);
        var practitioner = Token(Roles.Practitioner);
        var unknown = Guid.CreateVersion7(now);
        var today = DateOnly.FromDateTime(now.UtcDateTime).ToString("yyyy-MM-dd");
        var session = new RecordSessionRequest(now, "warm-up", [new AreaDepthInput("face", 0.5m)], new SerumInput("warm-up", "warm-up"),
            false, true, true, null);
        var requests = new (string Token, HttpMethod Method, string Path, object? Body)[]
        {
            (reception, HttpMethod.Get, "/api/protocol", null),
            (reception, HttpMethod.Post, "/api/clients", new RegisterClientRequest("Warm Up", new DateOnly(1990, 1, 1), "warm-up@example.invalid", null)),
            (reception, HttpMethod.Get, "/api/clients?q=warm", null),
            (reception, HttpMethod.Get, $"/api/schedule?date={today}", null),
            (practitioner, HttpMethod.Get, $"/api/clients/{unknown}", null),
            (practitioner, HttpMethod.Get, $"/api/clients/{unknown}/courses", null),
            (practitioner, HttpMethod.Post, $"/api/clients/{unknown}/courses/{unknown}/sessions", session),
            (practitioner, HttpMethod.Get, "/api/maintenance/due", null),
        };
        var sent = 0;
        for (var round = 0; round < Math.Max(1, options.Value.Rounds); round++)
        {
            foreach (var (token, method, path, body) in requests)
            {
                using var request = new HttpRequestMessage(method, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: json.Value.SerializerOptions);
                using var response = await http.SendAsync(request, stopping);
                sent++;
                if ((int)response.StatusCode >= 500)
                    logger.LogWarning("Warm-up {Method} {Path} answered {Status}", method, path, (int)response.StatusCode);
            }
        }
        return sent;
    }
}

public static class WarmupSetup
{
    public static IServiceCollection AddCoursesWarmup(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WarmupOptions>(configuration.GetSection(WarmupOptions.Section));
        services.AddSingleton<Warmup>();
        services.AddHostedService<WarmupRun>();
        services.AddHealthChecks().AddCheck<WarmupCheck>("warmUp", tags: [Health.ReadyTag]);
        return services;
    }
}
