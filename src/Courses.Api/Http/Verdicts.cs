using Courses.Domain;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Courses.Api.Http;

/// <summary>Turns a decision into Wolverine's continuation: go on, 404 for an unknown id, or 422 with the rule's code.</summary>
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

    /// <summary>The shape a Validate step returns: the decision for the endpoint, and whether to stop.</summary>
    public static (Decision, ProblemDetails) Of(Decision decision) => (decision, For(decision));

    /// <summary>Invalid input: no decision was taken.</summary>
    public static (Decision, ProblemDetails) Invalid(ProblemDetails problem) => (Decision.Accept(), problem);
}
