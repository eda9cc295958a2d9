namespace Courses.Domain.Reactions;

/// <summary>A session and the first day after its healing window (null for sessions recorded before it was kept).</summary>
public sealed record HealingWindow(Guid SessionId, DateTimeOffset PerformedAt, DateOnly? HealedOn)
{
    /// <summary>
    /// The session a reaction followed: the one it names, or else the latest performed at or before it; and only when
    /// the reaction came, on the clinic's calendar in <paramref name="zone"/>, inside that session's healing window,
    /// since a reaction after healing says nothing of its depth. Without a zone (reactions recorded before the decision
    /// kept its finding) the day is the one in the offset the reaction was sent with.
    /// </summary>
    public static Guid? SessionFollowedBy(Guid? namedSessionId, DateTimeOffset occurredAt, IEnumerable<HealingWindow> sessionsInOrder,
        TimeZoneInfo? zone = null)
    {
        var sessions = sessionsInOrder.ToList();
        var session = namedSessionId is { } named
            ? sessions.FirstOrDefault(s => s.SessionId == named)
            : sessions.LastOrDefault(s => s.PerformedAt <= occurredAt);
        var day = zone is null ? ClinicWords.DayOf(occurredAt) : ClinicWords.DayOf(occurredAt, zone);
        return session?.HealedOn is { } healedOn && day < healedOn ? session.SessionId : null;
    }
}
