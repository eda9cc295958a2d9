using Courses.Api.Tests.Harness;
using Courses.Api.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Wolverine.Persistence.Durability.DeadLetterManagement;
using Wolverine.Runtime;

namespace Courses.Api.Tests.Webhooks;

/// <summary>Webhook tests: no dead letters from earlier tests, and receivers that are stopped when the test ends.</summary>
public abstract class WebhookContext(AppFixture fixture) : StoryContext(fixture), IAsyncDisposable
{
    private readonly List<WebhookReceiver> _receivers = [];

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        // Wolverine's dead letters are not Marten data: earlier tests' failed deliveries would show up here.
        await Host.Services.GetRequiredService<IWolverineRuntime>().Storage.DeadLetters
            .DiscardAsync(new DeadLetterEnvelopeQuery { MessageType = DeliverWebhook.MessageType }, CancellationToken.None);
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        foreach (var receiver in _receivers) await receiver.DisposeAsync();
    }

    protected async Task<WebhookReceiver> Receiver(string address = WebhookReceiver.AllowedAddress)
    {
        var receiver = await WebhookReceiver.StartAsync(address);
        _receivers.Add(receiver);
        return receiver;
    }
}
