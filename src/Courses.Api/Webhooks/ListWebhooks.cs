using Courses.Api.Http;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

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

public static class GetWebhookEndpoint
{
    [WolverineGet("/api/webhooks/{id}")]
    [ProducesResponseType<WebhookView>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.Integrations)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, CancellationToken cancellation) =>
        await session.LoadAsync<Webhook>(id, cancellation) is { } webhook ? Results.Ok(WebhookView.Of(webhook)) : WebhookNotFound(id);

    public static IResult WebhookNotFound(Guid id) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"This clinic has no webhook {id}.");
}

public static class DeleteWebhookEndpoint
{
    /// <summary>Deliveries already queued for it are dropped when their turn comes; its dead letters stay listed.</summary>
    [WolverineDelete("/api/webhooks/{id}")]
    [ProducesResponseType(StatusCodes.Status204NoContent)]
    [Authorize(Policy = Policies.Integrations)]
    public static async Task<IResult> Delete(Guid id, IDocumentSession session, CancellationToken cancellation)
    {
        if (await session.LoadAsync<Webhook>(id, cancellation) is null) return GetWebhookEndpoint.WebhookNotFound(id);
        session.Delete<Webhook>(id);
        return Results.NoContent();
    }
}
