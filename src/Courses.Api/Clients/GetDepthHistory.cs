using Courses.Api.Hosting;
using Courses.Projections.Clients;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Courses.Api.Clients;

public static class GetDepthHistoryEndpoint
{
    [WolverineGet("/api/clients/{clientId}/depth-history")]
    [ProducesResponseType<DepthEscalationHistory>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClinical)]
    public static async Task<IResult> Get(Guid clientId, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var history = await session.LoadAsync<DepthEscalationHistory>(clientId, cancellation);
        if (history is null) return NotFound.Client(clientId);
        http.Response.Headers.ETag = ETags.For(history.Version);
        return Results.Ok(history);
    }
}
