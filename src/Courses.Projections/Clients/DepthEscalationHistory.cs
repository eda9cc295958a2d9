using Courses.Domain;
using Courses.Domain.Reactions;
using Courses.Domain.Sessions;
using System.Text.Json.Serialization;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Courses.Projections.Clients;

/// <summary>Every depth a client's skin was treated at, per area and session, and how it went.</summary>
public sealed record DepthEscalationHistory
{
    public Guid Id { get; init; }
    public Guid ClientId => Id;
    public IReadOnlyList<DepthChange> Changes { get; init; } = [];

    /// <summary>
    /// The record's version, which the read route fills in from the stream: the history itself changes only with
    /// treatments and reactions (and a member named Version would be Marten's to set, differently live and on rebuild).
    /// </summary>
    [JsonPropertyName("version")]
    public long RecordVersion { get; init; }
}

/// <summary>
/// One area in one session: the depth it went from (the course's previous session on that area, none for the first)
/// and to, whether numbing cream was on, and the first reaction that followed within that session's healing window.
/// </summary>
public sealed record DepthChange(
    Guid CourseId,
    Guid SessionId,
    int SessionNumber,
    bool Maintenance,
    DateTimeOffset PerformedAt,
    Area Area,
    decimal? FromMm,
    decimal ToMm,
    decimal? StepMm,
    bool NumbingCreamApplied,
    DateOnly? HealedOn,
    ReactionAfter? ReactionAfter);

public sealed record ReactionAfter(Guid ReactionId, ReactionKind Kind, Severity Severity, DateTimeOffset OccurredAt);

public partial class DepthEscalationHistoryProjection : SingleStreamProjection<DepthEscalationHistory, Guid>
{
    // Only what changes the history: a screening or a booking then costs no read and rewrite of it. Sessions are
    // named by their concrete types: an interface here would make Marten drop its event-type filter altogether.
    public DepthEscalationHistoryProjection()
    {
        IncludeType<Domain.Clients.ClientRegistered>();
        IncludeType<SessionRecorded>();
        IncludeType<MaintenanceSessionRecorded>();
        IncludeType<ReactionReported>();
    }

    public override DepthEscalationHistory? Evolve(DepthEscalationHistory? history, Guid id, IEvent e)
    {
        if (history is null && e.Data is not Domain.Clients.ClientRegistered) return null;
        history ??= new DepthEscalationHistory { Id = id };
        return e.Data switch
        {
            ISessionRecorded s => Treated(history, s),
            ReactionReported r => Reacted(history, r),
            _ => history,
        };
    }

    private static DepthEscalationHistory Treated(DepthEscalationHistory history, ISessionRecorded session)
    {
        var changes = session.Areas.Select(area =>
        {
            var previous = history.Changes.LastOrDefault(c => c.CourseId == session.CourseId && c.Area == area.Area)?.ToMm;
            return new DepthChange(session.CourseId, session.SessionId, session.SessionNumber, session.IsMaintenance, session.PerformedAt,
                area.Area, previous, area.DepthMm, area.DepthMm - previous, session.NumbingCreamApplied, session.HealedOn, null);
        });
        return history with { Changes = [.. history.Changes, .. changes] };
    }

    /// <summary>Marks the first reaction on each area of the session it followed, as the domain decided which that is.</summary>
    private static DepthEscalationHistory Reacted(DepthEscalationHistory history, ReactionReported reaction)
    {
        var windows = history.Changes.Select(c => new HealingWindow(c.SessionId, c.PerformedAt, c.HealedOn));
        var followed = reaction.DuringHealingOf is { } found ? found.SessionId
            : HealingWindow.SessionFollowedBy(reaction.SessionId, reaction.OccurredAt, windows);
        if (followed is not { } session) return history;
        return history with
        {
            Changes = [.. history.Changes.Select(c => c.SessionId == session && c.ReactionAfter is null
                ? c with { ReactionAfter = new ReactionAfter(reaction.ReactionId, reaction.Kind, reaction.Severity, reaction.OccurredAt) }
                : c)],
        };
    }
}
