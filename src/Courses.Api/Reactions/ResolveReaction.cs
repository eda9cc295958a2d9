using System.Security.Claims;
using Courses.Domain.Protocol;
using Courses.Domain.Reactions;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Reactions;

public sealed record ResolveReactionRequest([Mandatory] DateTimeOffset? ResolvedAt, string? Outcome);

public static class ResolveReactionEndpoint
{
    public static (ResolveReaction?, ProblemDetails) Validate(ResolveReactionRequest? request, Guid reactionId, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        return input.Checked(new ResolveReaction(reactionId, input.Time("resolvedAt", request.ResolvedAt),
            input.OptionalText("outcome", request.Outcome), user.Subject()));
    }

    [Refuses(RuleCodes.ReactionAlreadyResolved, RuleCodes.ResolvedBeforeReported, RuleCodes.FutureTime)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(ResolveReaction command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(ResolveReactionDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/reactions/{reactionId}/resolve")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events) Post(ResolveReactionRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
