using System.Security.Claims;
using Courses.Domain.Protocol;
using Courses.Domain.Screenings;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Screenings;

public sealed record RecordScreeningRequest([Mandatory] DateTimeOffset? ScreenedAt,
    [Mandatory, OneOf(typeof(Condition))] IReadOnlyList<string?>? Conditions, [Mandatory] IReadOnlyList<string?>? KnownAllergies, string? Notes);

public static class RecordScreeningEndpoint
{
    public static (RecordScreening?, ProblemDetails) Validate(RecordScreeningRequest? request, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        if (request.Conditions is null) input.Add("conditions", "is required (an empty list when none apply).");
        if (request.KnownAllergies is null) input.Add("knownAllergies", "is required (an empty list when none are known).");
        var command = new RecordScreening(
            input.Time("screenedAt", request.ScreenedAt),
            input.EnumList<Condition>("conditions", request.Conditions, atLeastOne: false),
            input.TextList("knownAllergies", request.KnownAllergies),
            input.OptionalText("notes", request.Notes),
            user.Subject());
        return input.Checked(command);
    }

    [Refuses(RuleCodes.FutureTime)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(RecordScreening command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(RecordScreeningDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/screenings")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events) Post(RecordScreeningRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
