using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courses.Api.Tests.Webhooks;

/// <summary>
/// A clinic's endpoint for the tests: a real Kestrel server on a loopback address that records what it is sent. Webhooks
/// deliver only to public addresses; the test host allows <see cref="AllowedAddress"/> alone, so every other loopback
/// address (127.0.0.1 among them) stays refused.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string AllowedAddress = "127.0.0.77";

    public sealed record Received(string Body, string? Signature, string? DeliveryId, string? Kind, int AnsweredWith);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    public string Url { get; private set; } = "";
    public int Port { get; private set; }

    /// <summary>The status it answers with: 204, or a failure while a test wants it down.</summary>
    public int AnswerWith { get; set; } = StatusCodes.Status204NoContent;

    public IReadOnlyList<Received> All => _received.ToArray();
    public IReadOnlyList<Received> Accepted => _received.Where(r => r.AnsweredWith < 300).ToArray();

    /// <summary>When set, every request is answered 307 to this URL instead.</summary>
    public string? RedirectTo { get; set; }

    public static async Task<WebhookReceiver> StartAsync(string address = AllowedAddress)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls($"http://{address}:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hooks", async (HttpContext http) =>
        {
            using var reader = new StreamReader(http.Request.Body);
            var status = receiver.RedirectTo is null ? receiver.AnswerWith : StatusCodes.Status307TemporaryRedirect;
            receiver._received.Enqueue(new Received(await reader.ReadToEndAsync(), http.Request.Headers["Courses-Signature"],
                http.Request.Headers["Courses-Delivery"], http.Request.Headers["Courses-Event"], status));
            http.Response.StatusCode = status;
            if (receiver.RedirectTo is { } target) http.Response.Headers.Location = target;
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        receiver.Port = new Uri(bound).Port;
        receiver.Url = $"{bound}/hooks";
        return receiver;
    }

    /// <summary>Waits, polling, until the receiver has what the test expects; fails after the deadline.</summary>
    public async Task<IReadOnlyList<Received>> WaitFor(Func<WebhookReceiver, bool> done, TimeSpan? deadline = null)
    {
        await Eventually.True(() => done(this), deadline ?? TimeSpan.FromSeconds(60), "the receiver getting what the test expects",
            TimeSpan.FromMilliseconds(50), evidence: () => $"it got {All.Count} requests");
        return All;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
