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
    // Only what changes the history: a screening or a booking then costs no read and rewrite of it.
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
            SessionRecorded s => Treated(history, s.CourseId, s.SessionId, s.SessionNumber, false, s.PerformedAt, s.Areas, s.NumbingCreamApplied, s.HealedOn),
            MaintenanceSessionRecorded m => Treated(history, m.CourseId, m.SessionId, m.SessionNumber, true, m.PerformedAt, m.Areas, m.NumbingCreamApplied, m.HealedOn),
            ReactionReported r => Reacted(history, r),
            _ => history,
        };
    }

    private static DepthEscalationHistory Treated(DepthEscalationHistory history, Guid courseId, Guid sessionId, int number, bool maintenance,
        DateTimeOffset performedAt, IReadOnlyList<AreaDepth> areas, bool numbing, DateOnly? healedOn)
    {
        var changes = areas.Select(area =>
        {
            var previous = history.Changes.LastOrDefault(c => c.CourseId == courseId && c.Area == area.Area)?.ToMm;
            return new DepthChange(courseId, sessionId, number, maintenance, performedAt, area.Area, previous, area.DepthMm,
                area.DepthMm - previous, numbing, healedOn, null);
        });
        return history with { Changes = [.. history.Changes, .. changes] };
    }

    /// <summary>
    /// Marks the session the reaction followed: the one it names, or else the latest before it — and only when the
    /// reaction came inside that session's healing window.
    /// </summary>
    private static DepthEscalationHistory Reacted(DepthEscalationHistory history, ReactionReported reaction)
    {
        var session = reaction.SessionId
            ?? history.Changes.LastOrDefault(c => c.PerformedAt <= reaction.OccurredAt)?.SessionId;
        var day = ClinicWords.DayOf(reaction.OccurredAt);
        return history with
        {
            Changes = [.. history.Changes.Select(c => c.SessionId == session && c.ReactionAfter is null && c.HealedOn is { } healed && day < healed
                ? c with { ReactionAfter = new ReactionAfter(reaction.ReactionId, reaction.Kind, reaction.Severity, reaction.OccurredAt) }
                : c)],
        };
    }
}
