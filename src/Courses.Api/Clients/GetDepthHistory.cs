using Courses.Projections.Clients;

namespace Courses.Api.Clients;

public static class GetDepthHistoryEndpoint
{
    [WolverineGet("/api/clients/{clientId}/depth-history")]
    [ProducesResponseType<DepthEscalationHistory>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClinical)]
    public static async Task<IResult> Get(Guid clientId, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var (version, history) = await RecordParts.Read(session, clientId, batch => batch.Load<DepthEscalationHistory>(clientId), cancellation);
        if (version is not { } recordVersion || history is null) return NotFound.Client(clientId);
        return RecordParts.Ok(http, recordVersion, history with { RecordVersion = recordVersion });
    }
}
