
namespace Courses.Api.Webhooks;

/// <summary>Unregisters a webhook; the name keeps the operation id (deleteWebhook) that generated clients call.</summary>
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
