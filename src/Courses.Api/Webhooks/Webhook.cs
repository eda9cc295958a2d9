using System.Security.Cryptography;

namespace Courses.Api.Webhooks;

/// <summary>
/// A clinic's registered endpoint: a Marten document, one clinic's (conjoined tenancy), never an event of a client.
/// The secret signs every delivery; it is shown once, when the webhook is registered.
/// </summary>
public sealed record Webhook
{
    public Guid Id { get; init; }
    public required string Url { get; init; }
    public required IReadOnlyList<string> Kinds { get; init; }
    public required string Secret { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public required string RegisteredBy { get; init; }

    public bool Wants(string kind) => Kinds.Contains(kind);

    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}

/// <summary>The event kinds a webhook can subscribe to: a fixed list, so integrators can rely on it.</summary>
public static class WebhookKinds
{
    public const string SessionRecorded = "session.recorded";
    public const string ReactionReported = "reaction.reported";
    public const string CoursePaused = "course.paused";
    public const string CourseCompleted = "course.completed";
    public const string MaintenanceDue = "maintenance.due";

    public static readonly string[] All = [SessionRecorded, ReactionReported, CoursePaused, CourseCompleted, MaintenanceDue];
}

/// <summary>The <c>Webhooks</c> configuration section.</summary>
public sealed class WebhookSettings
{
    public const string Section = "Webhooks";

    /// <summary>How long a receiver has to answer one delivery.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The waits before each retry of a failed delivery, comma-separated (<c>hh:mm:ss</c>); after the last one the
    /// delivery goes to the dead letters. One string, so an environment variable can replace the whole list.
    /// </summary>
    public string RetryDelays { get; set; } = "00:00:30,00:05:00,00:30:00,02:00:00";

    public TimeSpan[] Backoff() => RetryDelays
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(d => TimeSpan.TryParse(d, System.Globalization.CultureInfo.InvariantCulture, out var delay) && delay >= TimeSpan.Zero
            ? delay
            : throw new InvalidOperationException($"{Section}:{nameof(RetryDelays)} must be comma-separated waits such as 00:00:30; '{d}' is not one."))
        .ToArray();

    public int MaxPerClinic { get; set; } = 20;

    /// <summary>How often each node looks for maintenance that has fallen due; zero turns the sweep off.</summary>
    public TimeSpan MaintenanceSweepInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A course that fell due longer ago than this is not announced (after an outage, or a new subscription).</summary>
    public int MaintenanceLookbackDays { get; set; } = 7;

    /// <summary>
    /// Internal targets webhooks may reach all the same, comma-separated: host names (whatever they resolve to), addresses
    /// and CIDR ranges. Empty by default: only public addresses. For development and tests, never for a clinic's receiver.
    /// </summary>
    public string AllowedPrivateTargets { get; set; } = "";
}
