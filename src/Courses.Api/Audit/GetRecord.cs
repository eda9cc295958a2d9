
namespace Courses.Api.Audit;

public sealed record ReplayedRecord(Guid ClientId, long Version, DateTimeOffset? AsOf, TreatmentRecord Record);

public static class GetRecordEndpoint
{
    /// <summary>The treatment record as it stood at a version or a time, folded from the events by the domain's own Evolve.</summary>
    [WolverineGet("/api/clients/{clientId}/record")]
    [ProducesResponseType<ReplayedRecord>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.Audit)]
    public static async Task<IResult> Get(Guid clientId, string? asOf, string? version, IQuerySession session, CancellationToken cancellation)
    {
        var input = new InputErrors();
        var at = input.Instant("asOf", asOf);
        var upTo = input.Number("version", version, 1, int.MaxValue);
        if (at is not null && upTo is not null) input.Add("version", "give asOf or version, not both.");
        if (input.HasErrors) return Results.Problem(input.ToProblem());

        var record = await session.Events.AggregateStreamAsync<TreatmentRecord>(clientId, version: upTo ?? 0, timestamp: at, token: cancellation);
        return record is null
            ? NotFound.Client(clientId)
            : Results.Ok(new ReplayedRecord(clientId, record.Version, at, record));
    }
}
