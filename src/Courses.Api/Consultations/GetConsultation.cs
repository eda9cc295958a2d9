using Courses.Domain.Consultations;
using Wolverine.Marten;

namespace Courses.Api.Consultations;

public static class GetConsultationEndpoint
{
    [WolverineGet("/api/clients/{clientId}/consultations/{consultationId}")]
    [ProducesResponseType<Consultation>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClient)]
    public static IResult Get(Guid consultationId, [ReadAggregate("clientId")] TreatmentRecord record, HttpContext http) =>
        RecordParts.Answer(http, record, record.Consultations.GetValueOrDefault(consultationId), "consultation", consultationId);
}
