using Marten.Services.BatchQuerying;

namespace Courses.Api.Webhooks;

/// <summary>The event kinds some webhook of the clinic wants, as read with the command's record.</summary>
public sealed record Subscriptions(IReadOnlySet<string> Kinds)
{
    public bool Want(string kind) => Kinds.Contains(kind);
}

/// <summary>
/// Loaded for every endpoint that may notify webhooks, as a query plan in the same batch as the record and the
/// protocol: a clinic with no webhook that wants the command's events gets no notice, so its commands store no
/// envelope and wake no fan-out.
/// </summary>
public static class SubscriptionsInForce
{
    public static SubscriptionsPlan Load(IDocumentSession session) => new();

    public sealed record SubscriptionsPlan : IQueryPlan<Subscriptions>, IBatchQueryPlan<Subscriptions>
    {
        public async Task<Subscriptions> Fetch(IQuerySession session, CancellationToken token) =>
            Of(await session.Query<Webhook>().Select(w => w.Kinds).ToListAsync(token));

        public async Task<Subscriptions> Fetch(IBatchedQuery query) => Of(await query.Query<Webhook>().Select(w => w.Kinds).ToList());

        private static Subscriptions Of(IEnumerable<IReadOnlyList<string>> kinds) => new(kinds.SelectMany(k => k).ToHashSet());
    }
}
