using Courses.Domain.Courses;
using Courses.Domain.Reactions;
using Courses.Domain.Sessions;
using Wolverine;
using Wolverine.Attributes;

namespace Courses.Api.Webhooks;

/// <summary>
/// What happened, as a webhook tells it: the kind, ids, and times, never a name, contact detail, note or clinical
/// detail. Version is the client record's version after the event (none for maintenance falling due).
/// </summary>
public sealed record ClinicEvent(
    string Kind,
    Guid ClientId,
    Guid? CourseId = null,
    Guid? SessionId = null,
    Guid? ReactionId = null,
    bool? Maintenance = null,
    DateTimeOffset? OccurredAt = null,
    DateOnly? DueOn = null,
    long? Version = null)
{
    /// <summary>The webhook's view of a domain event, or null for the kinds no webhook can subscribe to.</summary>
    public static ClinicEvent? From(object domainEvent, long version) => domainEvent switch
    {
        ISessionRecorded s => new(WebhookKinds.SessionRecorded, s.ClientId, s.CourseId, s.SessionId,
            Maintenance: s.IsMaintenance, OccurredAt: s.PerformedAt, DueOn: (s as MaintenanceSessionRecorded)?.MaintenanceDueOn,
            Version: version),
        ReactionReported r => new(WebhookKinds.ReactionReported, r.ClientId, r.CourseId, r.SessionId, r.ReactionId,
            OccurredAt: r.OccurredAt, Version: version),
        CoursePaused p => new(WebhookKinds.CoursePaused, p.ClientId, p.CourseId, ReactionId: p.ReactionId,
            OccurredAt: p.PausedAt, Version: version),
        CourseCompleted c => new(WebhookKinds.CourseCompleted, c.ClientId, c.CourseId,
            OccurredAt: c.CompletedAt, DueOn: c.MaintenanceDueOn, Version: version),
        _ => null,
    };
}

/// <summary>
/// The events of one accepted command that webhooks may want, for one clinic. At most one per command, cascaded
/// from the endpoint, so Wolverine stores it in the same transaction as the events; the fan-out to each
/// subscribed endpoint happens in its handler, off the request path.
/// </summary>
[MessageIdentity("webhook-notice")]
public sealed record WebhookNotice(string Clinic, IReadOnlyList<ClinicEvent> Events)
{
    /// <summary>The notice of the decision's events that some webhook of the clinic wants; none when no webhook wants any.</summary>
    public static OutgoingMessages For(string clinic, TreatmentRecord record, Decision decision, Subscriptions subscriptions)
    {
        var events = decision.Events
            .Select((e, i) => ClinicEvent.From(e, record.Version + i + 1))
            .OfType<ClinicEvent>()
            .Where(e => subscriptions.Want(e.Kind))
            .ToArray();
        return events.Length == 0 ? [] : [new WebhookNotice(clinic, events)];
    }
}
