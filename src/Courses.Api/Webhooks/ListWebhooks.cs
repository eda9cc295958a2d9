
namespace Courses.Api.Webhooks;

/// <summary>A registered webhook as it is shown after registration: never its secret.</summary>
public sealed record WebhookView(Guid Id, string Url, IReadOnlyList<string> Kinds, DateTimeOffset RegisteredAt, string RegisteredBy)
{
    public static WebhookView Of(Webhook w) => new(w.Id, w.Url, w.Kinds, w.RegisteredAt, w.RegisteredBy);
}

public static class ListWebhooksEndpoint
{
    [WolverineGet("/api/webhooks")]
    [Authorize(Policy = Policies.Integrations)]
    public static async Task<IReadOnlyList<WebhookView>> Get(IQuerySession session, CancellationToken cancellation) =>
        (await session.Query<Webhook>().OrderBy(w => w.RegisteredAt).ToListAsync(cancellation)).Select(WebhookView.Of).ToArray();
}
