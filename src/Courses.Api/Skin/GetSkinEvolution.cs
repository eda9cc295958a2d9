using Courses.Projections.Clients;

namespace Courses.Api.Skin;

/// <summary>The skin's evolution as the clinic reads it: the series, without the session depths they were computed from.</summary>
public sealed record SkinEvolutionAnswer(Guid ClientId, decimal? Fitzpatrick, IReadOnlyList<SkinSeries> Series, long Version);

public static class GetSkinEvolutionEndpoint
{
    [WolverineGet("/api/clients/{clientId}/skin-evolution")]
    [ProducesResponseType<SkinEvolutionAnswer>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClinical)]
    public static async Task<IResult> Get(Guid clientId, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var (version, evolution) = await RecordParts.Read(session, clientId, batch => batch.Load<SkinEvolution>(clientId), cancellation);
        if (version is not { } recordVersion) return NotFound.Client(clientId);
        // A client never treated nor assessed has no document yet: an evolution with nothing in it.
        return RecordParts.Ok(http, recordVersion,
            new SkinEvolutionAnswer(clientId, evolution?.Fitzpatrick, evolution?.Series ?? [], recordVersion));
    }
}
