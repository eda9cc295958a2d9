using Courses.Domain.Reactions;
using static Courses.Api.Demo.BusinessTime;

namespace Courses.Api.Demo;

internal sealed partial class ClientStory
{
    /// <summary>Redness, peeling, bruising or pain the day after a session, settled within a week or so.</summary>
    private void MildReaction(Guid sessionId, int sessionDay, string serum)
    {
        var reactionId = _draw.NewId();
        var kind = _draw.Pick(ReactionKind.Redness, ReactionKind.Redness, ReactionKind.Peeling, ReactionKind.Bruising, ReactionKind.Pain);
        var severity = _draw.Chance(0.75) ? Severity.Mild : Severity.Moderate;
        var occurred = Day(sessionDay + 1, Hours(_draw.Between(8, 19)));
        Add(occurred, _practitioner, (record, at, now) => ReportReactionDecision.Decide(record!,
            new ReportReaction(reactionId, at, kind, severity, sessionId, null, "Client phoned the clinic.", _practitioner),
            _protocol, now), recordedAfter: Hours(_draw.Between(1, 3)));
        Add(Day(sessionDay + _draw.Between(3, 8), _draw.OpeningHours()), _practitioner, (record, at, now) => ResolveReactionDecision.Decide(record!,
            new ResolveReaction(reactionId, at, "Settled with aftercare.", _practitioner), _protocol, now));
    }

    /// <summary>An infection, an allergic reaction to the serum, or a severe reaction: the domain pauses the course.</summary>
    private (int? ResolvedDay, bool Allergic) PausingReaction(Guid sessionId, int sessionDay, string serum, bool resolves)
    {
        var reactionId = _draw.NewId();
        var kind = _draw.Pick(ReactionKind.Infection, ReactionKind.AllergicReaction, ReactionKind.AllergicReaction, ReactionKind.Bruising);
        var severity = kind == ReactionKind.Bruising ? Severity.Severe : _draw.Chance(0.7) ? Severity.Moderate : Severity.Severe;
        var allergic = kind == ReactionKind.AllergicReaction;
        var occurredDay = sessionDay + _draw.Between(1, 3);
        Add(Day(occurredDay, Hours(_draw.Between(8, 19))), _practitioner, (record, at, now) => ReportReactionDecision.Decide(record!,
            new ReportReaction(reactionId, at, kind, severity, sessionId, allergic ? serum : null,
                allergic ? "Itching and swelling where the serum was applied." : "Client sent photos; seen the next morning.",
                _practitioner), _protocol, now), recordedAfter: Hours(_draw.Between(1, 4)));
        if (!resolves) return (null, allergic);

        var resolvedDay = occurredDay + _draw.Between(7, 21);
        Add(Day(resolvedDay, _draw.OpeningHours()), _practitioner, (record, at, now) => ResolveReactionDecision.Decide(record!,
            new ResolveReaction(reactionId, at, kind == ReactionKind.Infection ? "Cleared after a course of antibiotics." : "Resolved.",
                _practitioner), _protocol, now));
        return (resolvedDay, allergic);
    }
}
