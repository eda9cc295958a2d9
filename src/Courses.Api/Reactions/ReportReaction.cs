using System.Security.Claims;
using System.Text.Json.Serialization;
using Courses.Api.Webhooks;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Reactions;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Reactions;

public sealed record ReportReactionRequest(
    [Mandatory] DateTimeOffset? OccurredAt,
    [Mandatory, OneOf(typeof(ReactionKind))] string? Kind,
    [Mandatory, OneOf(typeof(Severity))] string? Severity,
    Guid? SessionId,
    string? SuspectedProduct,
    string? Notes);

/// <summary>An allergy the reaction recorded to a session's numbing cream or needle cartridge.</summary>
public sealed record RecordedAllergy(string Product, ProductKind Kind);

/// <summary>The reaction, and what the clinic's automatic policies did about it.</summary>
public sealed record ReactionReportedAnswer(
    Guid ReactionId,
    IReadOnlyList<Guid> PausedCourses,
    string? SerumAllergyRecorded,
    [property: JsonIgnore] Guid ClientId,
    [property: JsonIgnore] long NewVersion,
    RecordedAllergy? ProductAllergyRecorded = null) : WriteAnswer
{
    protected override long Version() => NewVersion;
    protected override string Location() => $"/api/clients/{ClientId}/reactions/{ReactionId}";
}

public static class ReportReactionEndpoint
{
    public static (ReportReaction?, ProblemDetails) Validate(ReportReactionRequest? request, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        var command = new ReportReaction(Guid.CreateVersion7(),
            input.Time("occurredAt", request.OccurredAt),
            input.Enum<ReactionKind>("kind", request.Kind),
            input.Enum<Severity>("severity", request.Severity),
            request.SessionId,
            input.OptionalText("suspectedProduct", request.SuspectedProduct, InputErrors.MaxNameLength),
            input.OptionalText("notes", request.Notes),
            user.Subject());
        return input.Checked(command);
    }

    [Refuses(RuleCodes.UnknownSession, RuleCodes.AlreadyRecorded, RuleCodes.FutureTime,
            RuleCodes.ReactionBeforeSession)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(ReportReaction command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(ReportReactionDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/reactions")]
    [Authorize(Policy = Policies.Clinical)]
    public static (ReactionReportedAnswer, Events, OutgoingMessages) Post(ReportReactionRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record, ClaimsPrincipal user, Subscriptions subscriptions)
    {
        var reported = decision.Events.OfType<ReactionReported>().Single();
        return (new ReactionReportedAnswer(reported.ReactionId,
                decision.Events.OfType<CoursePaused>().Select(p => p.CourseId).ToArray(),
                decision.Events.OfType<SerumAllergyRecorded>().SingleOrDefault()?.Product,
                record.Id, record.Version + decision.Events.Count,
                decision.Events.OfType<ProductAllergyRecorded>().Select(a => new RecordedAllergy(a.Product, a.Kind)).SingleOrDefault()),
            new Events(decision.Events), WebhookNotice.For(user.Clinic(), record, decision, subscriptions));
    }
}
