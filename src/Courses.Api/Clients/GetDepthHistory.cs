using Courses.Api.Http;
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
        var batch = session.CreateBatchQuery();
        var record = batch.Events.FetchStreamState(clientId);
        var loaded = batch.Load<DepthEscalationHistory>(clientId);
        await batch.Execute(cancellation);

        if (await record is not { } state || await loaded is not { } history) return NotFound.Client(clientId);
        // The history changes only with treatments and reactions; the version a next write's If-Match is compared
        // with is the record's.
        http.Response.Headers.ETag = ETags.For(state.Version);
        return Results.Ok(history with { RecordVersion = state.Version });
    }
}
