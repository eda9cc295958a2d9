using System.Security.Claims;
using System.Text.Json.Serialization;
using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Consultations;

public sealed record CompleteConsultationRequest(
    [Mandatory] DateTimeOffset? CompletedAt,
    [Mandatory] string? PractitionerId,
    [Mandatory, OneOf(typeof(ConsultationOutcome))] string? Outcome,
    [OneOf(typeof(Concern))] IReadOnlyList<string?>? Concerns,
    [Mandatory(When = "outcome is plan")] CoursePlanInput? Plan,
    string? DeclineReason);

public sealed record CoursePlanInput([Mandatory] IReadOnlyList<PlannedAreaInput?>? Areas, [Mandatory] SerumInput? Serum, int? PlannedSessions);

public sealed record PlannedAreaInput([Mandatory, OneOf(typeof(Area))] string? Area, [Mandatory] decimal? StartingDepthMm);

public sealed record ConsultationCompletedAnswer(
    Guid ConsultationId,
    ConsultationOutcome Outcome,
    Guid? CourseId,
    int? PlannedSessions,
    [property: JsonIgnore] Guid ClientId,
    [property: JsonIgnore] long NewVersion) : WriteAnswer
{
    protected override long Version() => NewVersion;

    // A plan creates a course (201 with its location); a decline creates nothing addressable (200).
    protected override string? Location() => CourseId is { } course ? $"/api/clients/{ClientId}/courses/{course}" : null;
}

public static class CompleteConsultationEndpoint
{
    public static (CompleteConsultation?, ProblemDetails) Validate(CompleteConsultationRequest? request, Guid consultationId, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        var outcome = input.Enum<ConsultationOutcome>("outcome", request.Outcome);
        var plan = outcome == ConsultationOutcome.Plan ? Plan(input, request.Plan) : null;
        var command = new CompleteConsultation(
            consultationId,
            Guid.CreateVersion7(),
            input.Time("completedAt", request.CompletedAt),
            input.RequiredText("practitionerId", request.PractitionerId),
            outcome,
            input.EnumList<Concern>("concerns", request.Concerns, atLeastOne: false),
            plan,
            input.OptionalText("declineReason", request.DeclineReason),
            user.Subject());
        return input.Checked(command);
    }

    [Refuses(RuleCodes.ConsultationNotOpen, RuleCodes.AlreadyRecorded, RuleCodes.FutureTime,
            RuleCodes.PlanRequired, RuleCodes.ScreeningRequired, RuleCodes.Contraindicated,
            RuleCodes.PlannedSessionsOutOfRange, RuleCodes.AreasInvalid, RuleCodes.DepthOutOfRange,
            RuleCodes.SerumAllergy)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(CompleteConsultation command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(CompleteConsultationDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    private static CoursePlan? Plan(InputErrors input, CoursePlanInput? plan)
    {
        if (plan is null)
        {
            input.Add("plan", "is required when the outcome is plan.");
            return null;
        }
        if (plan.Areas is null || plan.Areas.Count == 0) input.Add("plan.areas", "needs at least one area.");
        var areas = new List<PlannedArea>();
        for (var i = 0; i < (plan.Areas?.Count ?? 0); i++)
        {
            if (plan.Areas![i] is not { } area)
            {
                input.Add($"plan.areas[{i}]", "is required.");
                continue;
            }
            areas.Add(new PlannedArea(input.Enum<Area>($"plan.areas[{i}].area", area.Area),
                input.Depth($"plan.areas[{i}].startingDepthMm", area.StartingDepthMm)));
        }
        return new CoursePlan(areas, input.Serum("plan.serum", plan.Serum, lotRequired: false), plan.PlannedSessions);
    }

    [WolverinePost("/api/clients/{clientId}/consultations/{consultationId}/complete")]

    [ProducesResponseType<ConsultationCompletedAnswer>(StatusCodes.Status200OK)] // a decline; a plan answers 201
    [Authorize(Policy = Policies.Clinical)]
    public static (ConsultationCompletedAnswer, Events) Post(CompleteConsultationRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record)
    {
        var completed = decision.Events.OfType<ConsultationCompleted>().Single();
        var planned = decision.Events.OfType<CoursePlanned>().SingleOrDefault();
        return (new ConsultationCompletedAnswer(completed.ConsultationId, completed.Outcome, planned?.CourseId,
                planned?.PlannedSessions, record.Id, record.Version + decision.Events.Count),
            new Events(decision.Events));
    }
}
