using Courses.Domain;
using Courses.Domain.Assessments;
using Courses.Domain.Courses;
using Courses.Domain.Reactions;
using Courses.Domain.Sessions;
using System.Text.Json.Serialization;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Courses.Projections.Courses;

/// <summary>One course as the clinic follows it: sessions done against planned, depths, what is due, what is open.</summary>
public sealed record CourseProgress
{
    public Guid Id { get; init; }
    public Guid CourseId => Id;
    public Guid ClientId { get; init; }
    public CourseStatus Status { get; init; }
    public IReadOnlyList<Concern> Concerns { get; init; } = [];
    public IReadOnlyList<PlannedArea> PlannedAreas { get; init; } = [];
    public Serum? PlannedSerum { get; init; }
    public int PlannedSessions { get; init; }
    public int SessionsCompleted => Sessions.Count;
    public IReadOnlyList<SessionSummary> Sessions { get; init; } = [];
    public IReadOnlyList<SessionSummary> MaintenanceSessions { get; init; } = [];
    public DateOnly? NextSessionDueOn { get; init; }
    public DateOnly? MaintenanceDueOn { get; init; }
    public IReadOnlyList<CourseReaction> OpenReactions { get; init; } = [];
    public string? PauseReason { get; init; }
    public DateTimeOffset PlannedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    public DateTimeOffset? CancelledAt { get; init; }

    /// <summary>What the course achieved, once its outcome is recorded: the GAIS and each scale's change from the baseline.</summary>
    public CourseResult? Outcome { get; init; }

    /// <summary>
    /// The client record's version, filled in when the course is read: a multi-stream projection does not see event
    /// versions while inline under Quick append, so the document stores none (and the name keeps Marten from
    /// treating it as the document's own version).
    /// </summary>
    [JsonPropertyName("version")]
    public long RecordVersion { get; init; }
}

public sealed record SessionSummary(Guid SessionId, int SessionNumber, DateTimeOffset PerformedAt, IReadOnlyList<AreaDepth> Areas,
    Serum Serum, bool NumbingCreamApplied, string PractitionerId);

public sealed record CourseResult(decimal? Gais, IReadOnlyList<ScoreChange> Changes);

public sealed record CourseReaction(Guid ReactionId, ReactionKind Kind, Severity Severity, DateTimeOffset OccurredAt);

public partial class CourseProgressProjection : MultiStreamProjection<CourseProgress, Guid>
{
    public CourseProgressProjection()
    {
        Identity<CoursePlanned>(e => e.CourseId);
        Identity<SessionRecorded>(e => e.CourseId);
        Identity<MaintenanceSessionRecorded>(e => e.CourseId);
        Identity<CoursePaused>(e => e.CourseId);
        Identity<CourseResumed>(e => e.CourseId);
        Identity<CourseCompleted>(e => e.CourseId);
        Identity<CourseCancelled>(e => e.CourseId);
        // A reaction belongs to a course only when it followed one of its sessions.
        Identities<ReactionReported>(e => e.CourseId is { } course ? [course] : []);
        Identities<ReactionResolved>(e => e.CourseId is { } course ? [course] : []);
        Identities<SkinAssessed>(e => e.Outcome is not null && e.CourseId is { } course ? [course] : []);
    }

    public override CourseProgress? Evolve(CourseProgress? course, Guid id, IEvent e)
    {
        var next = (course, e.Data) switch
        {
            (_, CoursePlanned p) => new CourseProgress
            {
                Id = p.CourseId, ClientId = p.ClientId, Status = CourseStatus.Planned, Concerns = p.Concerns, PlannedAreas = p.Areas,
                PlannedSerum = p.Serum, PlannedSessions = p.PlannedSessions, PlannedAt = p.PlannedAt,
            },
            (null, _) => null,
            (var c, ISessionRecorded s) => Performed(c, s),
            (var c, CoursePaused p) => c with { Status = CourseStatus.Paused, PauseReason = p.Reason },
            (var c, CourseResumed) => c with { Status = ResumeCourseDecision.StatusOnResume(c.SessionsCompleted), PauseReason = null },
            (var c, CourseCompleted done) => c with
            {
                Status = CourseStatus.Completed, CompletedAt = done.CompletedAt, MaintenanceDueOn = done.MaintenanceDueOn, NextSessionDueOn = null,
            },
            (var c, CourseCancelled x) => c with { Status = CourseStatus.Cancelled, CancelledAt = x.CancelledAt, NextSessionDueOn = null },
            (var c, ReactionReported r) => c with
            {
                OpenReactions = [.. c.OpenReactions, new CourseReaction(r.ReactionId, r.Kind, r.Severity, r.OccurredAt)],
            },
            (var c, ReactionResolved r) => c with { OpenReactions = [.. c.OpenReactions.Where(o => o.ReactionId != r.ReactionId)] },
            (var c, SkinAssessed { Outcome: { } outcome }) => c with { Outcome = new CourseResult(outcome.Gais, outcome.Changes) },
            (var c, _) => c,
        };
        return next;
    }

    /// <summary>A course session starts the course and sets the next one due; a maintenance session the next maintenance.</summary>
    private static CourseProgress Performed(CourseProgress course, ISessionRecorded session)
    {
        var summary = new SessionSummary(session.SessionId, session.SessionNumber, session.PerformedAt, session.Areas, session.Serum,
            session.NumbingCreamApplied, session.PractitionerId);
        return session switch
        {
            MaintenanceSessionRecorded m => course with
            {
                MaintenanceSessions = [.. course.MaintenanceSessions, summary], MaintenanceDueOn = m.MaintenanceDueOn,
            },
            SessionRecorded s => course with { Status = CourseStatus.Active, Sessions = [.. course.Sessions, summary], NextSessionDueOn = s.NextSessionDueOn },
            _ => course,
        };
    }
}
