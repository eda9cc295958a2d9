using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Wolverine;
using Wolverine.Attributes;

namespace Courses.Api.Webhooks;

/// <summary>One event for one endpoint. Its own durable message, so each endpoint is retried and dead-lettered alone.</summary>
[MessageIdentity(MessageType)]
public sealed record DeliverWebhook(Guid DeliveryId, string Clinic, Guid WebhookId, ClinicEvent Event)
{
    /// <summary>Its name in Wolverine's tables, the dead letters included; stable across renames of the type.</summary>
    public const string MessageType = "webhook-delivery";
}

/// <summary>A receiver that did not answer 2xx in time; Wolverine's error policy retries it, then dead-letters it.</summary>
public sealed class WebhookDeliveryFailed(string message, Exception? inner = null) : Exception(message, inner);

public static class WebhookNoticeHandler
{
    /// <summary>
    /// One delivery per subscribed endpoint and event. The session makes this a Marten transaction, so the deliveries
    /// are stored together with this notice's completion: each is sent once, even if the process dies here.
    /// </summary>
    public static async Task<OutgoingMessages> Handle(WebhookNotice notice, IDocumentSession session, IDocumentStore store,
        CancellationToken cancellation)
    {
        await using var clinic = store.QuerySession(notice.Clinic);
        return DeliveriesFor(notice.Clinic, notice.Events, await clinic.Query<Webhook>().ToListAsync(cancellation));
    }

    public static OutgoingMessages DeliveriesFor(string clinic, IEnumerable<ClinicEvent> events, IReadOnlyList<Webhook> webhooks)
    {
        var deliveries = new OutgoingMessages();
        foreach (var clinicEvent in events)
        foreach (var webhook in webhooks.Where(w => w.Wants(clinicEvent.Kind)))
            deliveries.Add(new DeliverWebhook(Guid.CreateVersion7(), clinic, webhook.Id, clinicEvent));
        return deliveries;
    }
}

public static class DeliverWebhookHandler
{
    public static async Task Handle(DeliverWebhook delivery, IDocumentStore store, IHttpClientFactory clients,
        TimeProvider clock, ILogger<WebhookDeliveryFailed> logger, CancellationToken cancellation)
    {
        await using var session = store.QuerySession(delivery.Clinic);
        var webhook = await session.LoadAsync<Webhook>(delivery.WebhookId, cancellation);
        if (webhook is null)
        {
            logger.LogInformation("Delivery {DeliveryId} dropped: webhook {WebhookId} was deleted", delivery.DeliveryId, delivery.WebhookId);
            return;
        }

        var body = WebhookPayload.Json(delivery);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add(WebhookSignature.Header, WebhookSignature.Sign(webhook.Secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
        request.Headers.Add(WebhookPayload.DeliveryHeader, delivery.DeliveryId.ToString());
        request.Headers.Add(WebhookPayload.EventHeader, delivery.Event.Kind);

        HttpResponseMessage response;
        try
        {
            response = await clients.CreateClient(WebhookSetup.HttpClientName).SendAsync(request, cancellation);
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookTargetRefused refused)
        {
            logger.LogWarning("Delivery {DeliveryId} to webhook {WebhookId} of {Clinic} refused: {Reason}", delivery.DeliveryId,
                delivery.WebhookId, delivery.Clinic, refused.Message);
            throw refused;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellation.IsCancellationRequested)
        {
            // No URL in the message: it may carry the receiver's own credentials, and dead letters are listed.
            throw new WebhookDeliveryFailed(e is TaskCanceledException ? "The receiver did not answer in time." : "The receiver could not be reached.", e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
                throw new WebhookDeliveryFailed($"The receiver answered {(int)response.StatusCode}.");
        }
    }
}

/// <summary>The body a receiver gets: the delivery's id, the kind, and the event's ids and times.</summary>
public static class WebhookPayload
{
    public const string DeliveryHeader = "Courses-Delivery";
    public const string EventHeader = "Courses-Event";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Json(DeliverWebhook delivery)
    {
        var e = delivery.Event;
        return JsonSerializer.Serialize(new
        {
            delivery.DeliveryId,
            delivery.WebhookId,
            e.Kind,
            e.ClientId,
            e.CourseId,
            e.SessionId,
            e.ReactionId,
            e.Maintenance,
            e.OccurredAt,
            e.DueOn,
            e.Version,
        }, Options);
    }
}

/// <summary><c>Courses-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body" under the webhook's secret&gt;</c>.</summary>
public static class WebhookSignature
{
    public const string Header = "Courses-Signature";

    public static string Sign(string secret, long timestamp, string body) =>
        $"t={timestamp},v1={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")))}";
}
