using Courses.Domain.Reactions;
using Wolverine.Marten;

namespace Courses.Api.Reactions;

public static class GetReactionEndpoint
{
    [WolverineGet("/api/clients/{clientId}/reactions/{reactionId}")]
    [ProducesResponseType<Reaction>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClinical)]
    public static IResult Get(Guid reactionId, [ReadAggregate("clientId")] TreatmentRecord record, HttpContext http) =>
        RecordParts.Answer(http, record, record.Reactions.GetValueOrDefault(reactionId), "reaction", reactionId);
}
