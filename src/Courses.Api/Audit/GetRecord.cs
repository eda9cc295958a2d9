
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
        if (record is not null) return Results.Ok(new ReplayedRecord(clientId, record.Version, at, record));

        // Nothing to fold: either no such client in this clinic (the plain 404, as for any unknown id), or a record
        // that exists but not at the point asked for — which is not "no client", so say what the record does hold.
        var stream = await session.Events.FetchStreamStateAsync(clientId, cancellation);
        if (stream is null) return NotFound.Client(clientId);
        return Results.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: "Not in the record",
            detail: at is { } time
                ? $"Client {clientId}'s record did not yet exist at {Iso(time)}: it begins at {Iso(stream.Created)}."
                : $"Client {clientId}'s record has no version {upTo}: its latest is version {stream.Version}.",
            extensions: new Dictionary<string, object?> { ["latestVersion"] = stream.Version, ["createdAt"] = stream.Created });
    }

    private static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", System.Globalization.CultureInfo.InvariantCulture);
}
