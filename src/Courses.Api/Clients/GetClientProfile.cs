using Courses.Api.Http;
using Courses.Projections.Clients;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Courses.Api.Clients;

public static class GetClientProfileEndpoint
{
    [WolverineGet("/api/clients/{clientId}")]
    [ProducesResponseType<ClientProfile>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClient)]
    public static async Task<IResult> Get(Guid clientId, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var profile = await session.LoadAsync<ClientProfile>(clientId, cancellation);
        if (profile is null) return NotFound.Client(clientId);
        http.Response.Headers.ETag = ETags.For(profile.Version);
        return Results.Ok(profile);
    }
}
