using System.Security.Claims;
using Courses.Domain.Clients;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Clients;

public sealed record RegisterClientRequest([Mandatory] string? FullName, [Mandatory] DateOnly? DateOfBirth, string? Email, string? Phone);

public sealed record ClientRegisteredResponse(Guid ClientId) : WriteAnswer
{
    protected override string Location() => $"/api/clients/{ClientId}";
    protected override long Version() => 1;
}

public static class RegisterClientEndpoint
{
    public static (RegisterClient?, ProblemDetails) Validate(RegisterClientRequest? request, ClaimsPrincipal user, TimeProvider clock)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors()
            .Text("fullName", request.FullName, InputErrors.MaxNameLength, required: true)
            .Required("dateOfBirth", request.DateOfBirth)
            .Text("email", request.Email, InputErrors.MaxNameLength)
            .Text("phone", request.Phone, 50);
        foreach (var problem in ClientDetails.Problems(request.DateOfBirth, request.Email, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            input.Add(problem.Field, problem.Message);
        if (input.HasErrors) return (null, input.ToProblem());
        return input.Checked(new RegisterClient(Guid.CreateVersion7(), request.FullName!, request.DateOfBirth!.Value,
            NullIfBlank(request.Email), NullIfBlank(request.Phone), user.Subject()));
    }

    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(RegisterClient command, TimeProvider clock) =>
        Verdicts.Of(RegisterClientDecision.Decide(command, clock.GetUtcNow()));

    [WolverinePost("/api/clients")]
    [Authorize(Policy = Policies.FrontDesk)]
    public static (ClientRegisteredResponse, IStartStream) Post(RegisterClientRequest request, RegisterClient command, Decision decision) =>
        (new ClientRegisteredResponse(command.ClientId), MartenOps.StartStream<TreatmentRecord>(command.ClientId, decision.Events.ToArray()));

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
