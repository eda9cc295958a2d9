namespace Courses.Domain;

/// <summary>A refused command: a stable problem code and why, in the clinic's words.</summary>
public sealed record RuleViolation(string Code, string Detail);

/// <summary>What a decision returns: the events to append, or the rule it would break.</summary>
public sealed record Decision
{
    private Decision(IReadOnlyList<object> events, RuleViolation? violation)
    {
        Events = events;
        Violation = violation;
    }

    public IReadOnlyList<object> Events { get; }
    public RuleViolation? Violation { get; }
    public bool IsAccepted => Violation is null;

    public static Decision Accept(params object[] events) => new(events, null);
    public static Decision Refuse(string code, string detail) => new([], new RuleViolation(code, detail));

    /// <summary>An id that the client's record does not hold (the HTTP edge answers 404).</summary>
    public static Decision Unknown(string what, Guid id) =>
        Refuse(RuleCodes.NotFound, $"This client's record has no {what} {id}.");
}
