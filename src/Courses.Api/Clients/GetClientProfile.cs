using Courses.Projections.Clients;

namespace Courses.Api.Clients;

public static class GetClientProfileEndpoint
{
    [WolverineGet("/api/clients/{clientId}")]
    [ProducesResponseType<ClientProfile>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClient)]
    public static async Task<IResult> Get(Guid clientId, IQuerySession session, HttpContext http, CancellationToken cancellation) =>
        await session.LoadAsync<ClientProfile>(clientId, cancellation) is { } profile
            ? RecordParts.Ok(http, profile.Version, profile)
            : NotFound.Client(clientId);
}
