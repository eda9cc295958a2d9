using Hl7.Fhir.Serialization;

namespace Courses.Api.Audit;

public static class FhirExportEndpoint
{
    public const string FhirJson = "application/fhir+json";

    /// <summary>
    /// The record is folded from the same events that name who recorded each thing: one read of the stream, where
    /// [ReadAggregate] plus a second fetch would read it twice (the record is a live aggregation) and could see two versions.
    /// </summary>
    [WolverineGet("/api/clients/{clientId}/fhir")]
    [ProducesResponseType<System.Text.Json.JsonElement>(StatusCodes.Status200OK, FhirJson)]
    [Authorize(Policy = Policies.Audit)]
    public static async Task<IResult> Get(Guid clientId, IQuerySession session, TimeProvider clock, HttpContext http, CancellationToken cancellation)
    {
        var events = await session.Events.FetchStreamAsync(clientId, token: cancellation);
        if (TreatmentRecord.Replay(events.Select(e => e.Data)) is not { } record) return NotFound.Client(clientId);

        var bundle = FhirExport.From(record, events, clock.GetUtcNow());
        http.Response.Headers.ETag = ETags.For(events[^1].Version);
        return Results.Text(FhirJsonSerializer.Default.SerializeToString(bundle), FhirJson);
    }
}
