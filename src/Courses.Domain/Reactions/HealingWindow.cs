namespace Courses.Domain.Reactions;

/// <summary>A session and the first day after its healing window (null for sessions recorded before it was kept).</summary>
public sealed record HealingWindow(Guid SessionId, DateTimeOffset PerformedAt, DateOnly? HealedOn)
{
    /// <summary>
    /// The session a reaction followed: the one it names, or else the latest performed at or before it; and only when
    /// the reaction came inside that session's healing window, since a reaction after healing says nothing of its depth.
    /// </summary>
    public static Guid? SessionFollowedBy(Guid? namedSessionId, DateTimeOffset occurredAt, IEnumerable<HealingWindow> sessionsInOrder)
    {
        var sessions = sessionsInOrder.ToList();
        var session = namedSessionId is { } named
            ? sessions.FirstOrDefault(s => s.SessionId == named)
            : sessions.LastOrDefault(s => s.PerformedAt <= occurredAt);
        return session?.HealedOn is { } healedOn && ClinicWords.DayOf(occurredAt) < healedOn ? session.SessionId : null;
    }
}
