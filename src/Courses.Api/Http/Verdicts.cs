
namespace Courses.Api.Http;

/// <summary>
/// Turns a decision into Wolverine's continuation: go on, 404 for an unknown id, or 422 with the rule's code.
/// A command endpoint runs in three steps that Wolverine calls in turn: <c>Validate</c> reads the body into the domain
/// command or stops with the 400, <c>Decide</c> takes the one domain decision or stops with its refusal, and the main
/// method turns the accepted decision into effects. The main method still names the request because Wolverine binds
/// the body only to a parameter of the main method. Declare Validate before Decide: Wolverine tests each step's
/// problem in declaration order, so the other order would decide on a body it has not yet refused.
/// </summary>
public static class Verdicts
{
    public const string RefusedTitle = "Refused by the clinic's rules";

    public static ProblemDetails For(Decision decision) => decision.Violation switch
    {
        null => WolverineContinue.NoProblems,
        { Code: RuleCodes.NotFound } violation => new ProblemDetails
        {
            Status = StatusCodes.Status404NotFound,
            Title = "Not found",
            Detail = violation.Detail,
        },
        var violation => new ProblemDetails
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = RefusedTitle,
            Detail = violation.Detail,
            Extensions = { ["code"] = violation.Code },
        },
    };

    /// <summary>What a Decide step returns: the decision for the main method, and whether to stop.</summary>
    public static (Decision, ProblemDetails) Of(Decision decision) => (decision, For(decision));
}
