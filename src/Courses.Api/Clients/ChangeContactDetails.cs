using System.Security.Claims;
using System.Text.Json.Serialization;
using Courses.Domain.Clients;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Clients;

/// <summary>
/// Both details as they should now stand, each given explicitly: <c>null</c> (or blank) removes one, and a body that
/// leaves a member out is refused (400 naming it) rather than read as "remove" — a partial update never nulls silently.
/// </summary>
public sealed record ChangeContactDetailsRequest([Mandatory][property: JsonRequired] string? Email, [Mandatory][property: JsonRequired] string? Phone);

public static class ChangeContactDetailsEndpoint
{
    public static (ChangeContactDetails?, ProblemDetails) Validate(ChangeContactDetailsRequest? request, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors()
            .Text("email", request.Email, InputErrors.MaxNameLength)
            .Text("phone", request.Phone, 50);
        foreach (var problem in ClientDetails.EmailProblems(request.Email)) input.Add(problem.Field, problem.Message);
        return input.Checked(new ChangeContactDetails(request.Email, request.Phone, user.Subject()));
    }

    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(ChangeContactDetails command, TreatmentRecord record, ClinicProtocol protocol,
        TimeProvider clock) =>
        Verdicts.Of(ChangeContactDetailsDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/contact-details")]
    [Authorize(Policy = Policies.FrontDesk)]
    public static (RecordedAnswer, Events) Post(ChangeContactDetailsRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events));
}
