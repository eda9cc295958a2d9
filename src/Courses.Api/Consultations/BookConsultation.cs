using System.Security.Claims;
using Courses.Domain.Consultations;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Consultations;

public sealed record BookConsultationRequest([Mandatory] DateTimeOffset? ScheduledAt, [Mandatory] string? PractitionerId,
    [Mandatory, OneOf(typeof(Concern))] IReadOnlyList<string?>? Concerns);

public sealed record ConsultationBookedAnswer(
    Guid ConsultationId,
    [property: System.Text.Json.Serialization.JsonIgnore] Guid ClientId,
    [property: System.Text.Json.Serialization.JsonIgnore] long NewVersion) : WriteAnswer
{
    protected override long Version() => NewVersion;
    protected override string Location() => $"/api/clients/{ClientId}/consultations/{ConsultationId}";
}

public static class BookConsultationEndpoint
{
    public static (BookConsultation?, ProblemDetails) Validate(BookConsultationRequest? request, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        var command = new BookConsultation(
            Guid.CreateVersion7(),
            input.Time("scheduledAt", request.ScheduledAt),
            input.RequiredText("practitionerId", request.PractitionerId),
            input.EnumList<Concern>("concerns", request.Concerns, atLeastOne: true),
            user.Subject());
        return input.Checked(command);
    }

    [Refuses(RuleCodes.AlreadyRecorded)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(BookConsultation command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(BookConsultationDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/consultations")]
    [Authorize(Policy = Policies.FrontDesk)]
    public static (ConsultationBookedAnswer, Events) Post(BookConsultationRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record)
    {
        var booked = decision.Events.OfType<ConsultationBooked>().Single();
        return (new ConsultationBookedAnswer(booked.ConsultationId, record.Id, record.Version + decision.Events.Count),
            new Events(decision.Events));
    }
}
