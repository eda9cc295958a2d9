using System.Security.Claims;
using Wolverine;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace Courses.Api.Webhooks;

/// <summary>A delivery that failed every retry: what it carried, where to, and the last failure.</summary>
public sealed record DeadLetterView(Guid Id, Guid DeliveryId, Guid WebhookId, ClinicEvent Event, DateTimeOffset SentAt,
    string LastError, bool ReplayRequested);

/// <summary>
/// Failed deliveries live in Wolverine's durable dead letter table, which knows nothing of clinics: each one is
/// matched to its clinic by the delivery it carries, so one clinic never sees or replays another's.
/// </summary>
public static class WebhookDeadLetters
{
    public const int MaxListed = 200;
    private const int PageSize = 200;
    private const int MaxPages = 50;

    public static async Task<IReadOnlyList<DeadLetterView>> ForClinicAsync(IWolverineRuntime runtime, string clinic, CancellationToken cancellation)
    {
        var found = new List<DeadLetterView>();
        for (var page = 1; page <= MaxPages && found.Count < MaxListed; page++)
        {
            var results = await runtime.Storage.DeadLetters.QueryAsync(
                new DeadLetterEnvelopeQuery { MessageType = DeliveryMessageType, PageNumber = page, PageSize = PageSize }, cancellation);
            found.AddRange(results.Envelopes.Select(e => View(runtime, e, clinic)).OfType<DeadLetterView>());
            if (results.Envelopes.Count < PageSize) break;
        }
        return found.Take(MaxListed).ToArray();
    }

    public static async Task<DeadLetterView?> FindAsync(IWolverineRuntime runtime, string clinic, Guid id) =>
        await runtime.Storage.DeadLetters.DeadLetterEnvelopeByIdAsync(id) is { } envelope ? View(runtime, envelope, clinic) : null;

    private const string DeliveryMessageType = DeliverWebhook.MessageType;

    private static DeadLetterView? View(IWolverineRuntime runtime, DeadLetterEnvelope dead, string clinic)
    {
        if (dead.MessageType != DeliveryMessageType || dead.Envelope is null) return null;
        var delivery = dead.Message as DeliverWebhook ?? dead.Envelope.Message as DeliverWebhook;
        if (delivery is null && dead.Envelope.Data is { Length: > 0 })
            delivery = runtime.Options.DefaultSerializer.ReadFromData(typeof(DeliverWebhook), dead.Envelope) as DeliverWebhook;
        if (delivery is null || delivery.Clinic != clinic) return null;
        return new DeadLetterView(dead.Id, delivery.DeliveryId, delivery.WebhookId, delivery.Event, dead.SentAt, dead.ExceptionMessage,
            dead.Replayable);
    }
}

public static class ListDeadLettersEndpoint
{
    /// <summary>The clinic's failed deliveries, oldest first, at most <see cref="WebhookDeadLetters.MaxListed"/>.</summary>
    [WolverineGet("/api/webhooks/dead-letters")]
    [Authorize(Policy = Policies.Integrations)]
    public static Task<IReadOnlyList<DeadLetterView>> Get(IWolverineRuntime runtime, ClaimsPrincipal user, CancellationToken cancellation) =>
        WebhookDeadLetters.ForClinicAsync(runtime, user.Clinic(), cancellation);
}

public sealed record ReplayAcceptedAnswer(Guid Id, Guid DeliveryId);

public static class ReplayDeadLetterEndpoint
{
    /// <summary>
    /// Marks the delivery for replay; Wolverine's durability agent moves it back to the queue on its next pass, and
    /// it is delivered (and retried) again with the same delivery id.
    /// </summary>
    [WolverinePost("/api/webhooks/dead-letters/{id}/replay")]
    [ProducesResponseType<ReplayAcceptedAnswer>(StatusCodes.Status202Accepted)]
    [Authorize(Policy = Policies.Integrations)]
    public static async Task<IResult> Post(Guid id, IWolverineRuntime runtime, ClaimsPrincipal user)
    {
        if (await WebhookDeadLetters.FindAsync(runtime, user.Clinic(), id) is not { } dead)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found",
                detail: $"This clinic has no failed delivery {id}.");
        await runtime.Storage.DeadLetters.MarkDeadLetterEnvelopesAsReplayableAsync([id]);
        return Results.Accepted(value: new ReplayAcceptedAnswer(dead.Id, dead.DeliveryId));
    }
}
