
namespace Courses.Api.Webhooks;

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
