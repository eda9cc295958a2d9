using System.Security.Claims;

namespace Courses.Api.Webhooks;

public sealed record RegisterWebhookRequest([Mandatory] string? Url, [Mandatory] IReadOnlyList<string?>? Kinds);

/// <summary>The only answer that shows the secret: the receiver needs it to verify signatures.</summary>
public sealed record WebhookRegisteredAnswer(Guid Id, string Url, IReadOnlyList<string> Kinds, string Secret, DateTimeOffset RegisteredAt)
    : WriteAnswer
{
    protected override long Version() => 1;
    protected override string Location() => $"/api/webhooks/{Id}";
}

public static class RegisterWebhookEndpoint
{
    public const string TooManyWebhooks = "webhook-limit-reached";
    public const string InternalTarget = "webhook-target-internal";

    public const int MaxUrlLength = 2000;

    [Refuses(TooManyWebhooks, InternalTarget)]
    public static async Task<ProblemDetails> ValidateAsync(RegisterWebhookRequest? request, IQuerySession session,
        WebhookSettings settings, WebhookTargets targets, CancellationToken cancellation)
    {
        if (request is null) return InputErrors.MissingBody();
        var input = new InputErrors();
        var url = input.RequiredText("url", request.Url, MaxUrlLength);
        Uri? uri = null;
        if (url.Length > 0 && !(Uri.TryCreate(url, UriKind.Absolute, out uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            input.Add("url", "must be an absolute http or https URL.");
        if (request.Kinds is null || request.Kinds.Count == 0)
            input.Add("kinds", $"needs at least one of: {string.Join(", ", WebhookKinds.All)}.");
        else
            for (var i = 0; i < request.Kinds.Count; i++)
                if (!WebhookKinds.All.Contains(request.Kinds[i]))
                    input.Add($"kinds[{i}]", $"'{request.Kinds[i]}' is not an event kind; use one of: {string.Join(", ", WebhookKinds.All)}.");
        if (input.HasErrors) return input.ToProblem();

        if (targets.RefusalOf(uri!) is { } refusal)
            return new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Webhook target is internal",
                Detail = $"{refusal} Webhooks deliver only to public addresses; a name is checked again each time it is resolved.",
                Extensions = { ["code"] = InternalTarget },
            };
        if (await session.Query<Webhook>().CountAsync(cancellation) >= settings.MaxPerClinic)
            return new ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = "Too many webhooks",
                Detail = $"A clinic can register at most {settings.MaxPerClinic} webhooks. Delete one it no longer uses first.",
                Extensions = { ["code"] = TooManyWebhooks },
            };
        return WolverineContinue.NoProblems;
    }

    /// <summary>
    /// Registers a receiver for the kinds named. Its URL must lead to a public address: loopback, private, link-local and
    /// metadata addresses, and names of this machine or a local network, are refused (<c>webhook-target-internal</c>), and a
    /// name is checked again each time a delivery resolves it. Redirects are not followed.
    /// </summary>
    [WolverinePost("/api/webhooks")]
    [Authorize(Policy = Policies.Integrations)]
    public static WebhookRegisteredAnswer Post(RegisterWebhookRequest request, IDocumentSession session, ClaimsPrincipal user, TimeProvider clock)
    {
        var webhook = new Webhook
        {
            Id = Guid.CreateVersion7(),
            Url = request.Url!.Trim(),
            Kinds = request.Kinds!.OfType<string>().Distinct().ToArray(),
            Secret = Webhook.NewSecret(),
            RegisteredAt = clock.GetUtcNow(),
            RegisteredBy = user.Subject(),
        };
        session.Insert(webhook);
        return new WebhookRegisteredAnswer(webhook.Id, webhook.Url, webhook.Kinds, webhook.Secret, webhook.RegisteredAt);
    }
}
