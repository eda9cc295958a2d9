using System.Security.Claims;
using Courses.Api.Http;
using Courses.Domain;
using Courses.Domain.Clients;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;
using Wolverine.Marten;

namespace Courses.Api.Clients;

public sealed record RegisterClientRequest(string? FullName, DateOnly? DateOfBirth, string? Email, string? Phone);

public sealed record ClientRegisteredResponse(Guid ClientId) : WriteAnswer
{
    protected override string Location() => $"/api/clients/{ClientId}";
    protected override long Version() => 1;
}

public static class RegisterClientEndpoint
{
    public static ProblemDetails Validate(RegisterClientRequest? request, TimeProvider clock)
    {
        if (request is null) return InputErrors.MissingBody();
        var errors = new InputErrors()
            .Text("fullName", request.FullName, InputErrors.MaxNameLength, required: true)
            .Required("dateOfBirth", request.DateOfBirth)
            .Text("email", request.Email, InputErrors.MaxNameLength)
            .Text("phone", request.Phone, 50);
        if (request.DateOfBirth > DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
            errors.Add("dateOfBirth", "cannot lie in the future.");
        if (request.DateOfBirth < new DateOnly(1900, 1, 1))
            errors.Add("dateOfBirth", "must be on or after 1900-01-01.");
        if (!string.IsNullOrWhiteSpace(request.Email) && !request.Email.Contains('@'))
            errors.Add("email", "is not an email address.");
        return errors.ToProblem();
    }

    [WolverinePost("/api/clients")]
    [Authorize(Policy = Policies.FrontDesk)]
    public static (ClientRegisteredResponse, IStartStream) Post(RegisterClientRequest request, ClaimsPrincipal user, TimeProvider clock)
    {
        var command = new RegisterClient(Guid.CreateVersion7(), request.FullName!, request.DateOfBirth!.Value,
            NullIfBlank(request.Email), NullIfBlank(request.Phone), user.Subject());
        var decision = RegisterClientDecision.Decide(command, clock.GetUtcNow());
        return (new ClientRegisteredResponse(command.ClientId),
            MartenOps.StartStream<TreatmentRecord>(command.ClientId, decision.Events.ToArray()));
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
