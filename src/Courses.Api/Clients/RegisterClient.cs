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
        foreach (var problem in ClientDetails.Problems(request.DateOfBirth, request.Email, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)))
            errors.Add(problem.Field, problem.Message);
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
