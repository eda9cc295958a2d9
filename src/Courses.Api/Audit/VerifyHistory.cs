using System.Security.Cryptography;
using Courses.Api.Photos;
using Courses.Projections.Photos;
using Npgsql;

namespace Courses.Api.Audit;

public sealed record ChainVerification(Guid ClientId, string Status, long Events, long? FirstBrokenVersion, string? Detail);

public static class VerifyHistoryEndpoint
{
    /// <summary>
    /// Recomputes the hash chain over the stored rows, as PostgreSQL holds them, and names the first version that breaks it.
    /// With <c>photos=true</c> it also re-hashes every image of the record still kept, against the hash its event carries.
    /// </summary>
    [WolverineGet("/api/clients/{clientId}/history/verify")]
    [ProducesResponseType<ChainVerification>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.Audit)]
    public static async Task<IResult> Get(Guid clientId, bool? photos, IQuerySession session, IPhotoStore store, CancellationToken cancellation)
    {
        var chain = await Chain(clientId, session, cancellation);
        if (chain is null) return NotFound.Client(clientId);
        if (chain.Status == "intact" && photos == true && await FirstAlteredPhoto(clientId, session, store, cancellation) is { } altered)
            return Results.Ok(chain with { Status = "broken", Detail = altered });
        return Results.Ok(chain);
    }

    private static async Task<ChainVerification?> Chain(Guid clientId, IQuerySession session, CancellationToken cancellation)
    {
        var serializer = session.DocumentStore.Options.Serializer();
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        await using var command = new NpgsqlCommand(
            $"select version, mt_dotnet_type, data::text, user_name, headers ->> '{HashChain.Header}' from {schema}.mt_events " +
            "where stream_id = @id and tenant_id = @tenant order by version");
        command.Parameters.AddWithValue("id", clientId);
        command.Parameters.AddWithValue("tenant", session.TenantId);
        await using var reader = await session.ExecuteReaderAsync(command, cancellation);

        var previous = "";
        long count = 0;
        while (await reader.ReadAsync(cancellation))
        {
            count++;
            var version = reader.GetInt64(0);
            var dotnetType = reader.GetString(1);
            var json = reader.GetString(2);
            var recordedBy = reader.IsDBNull(3) ? null : reader.GetString(3);
            var stored = reader.IsDBNull(4) ? null : reader.GetString(4);

            var type = Type.GetType(dotnetType);
            object? data = null;
            try
            {
                data = type is null ? null : serializer.FromJson(type, new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or NotSupportedException or InvalidOperationException)
            {
            }
            if (type is null || data is null)
                return Broken(clientId, count, version, "The stored event can no longer be read as its type.");

            var expected = HashChain.Link(previous, version, type.Name, BusinessTime.Of(data), recordedBy, json);
            if (stored != expected)
                return Broken(clientId, count, version, stored is null
                    ? "The event carries no hash."
                    : "The event's hash does not match its content or its place in the chain.");
            previous = stored;
        }

        return count == 0 ? null : new ChainVerification(clientId, "intact", count, null, null);
    }

    /// <summary>The first kept photo whose stored bytes are missing or hash to something else than its event says.</summary>
    private static async Task<string?> FirstAlteredPhoto(Guid clientId, IQuerySession session, IPhotoStore store, CancellationToken cancellation)
    {
        var kept = await session.Query<ClinicalPhoto>().Where(p => p.ClientId == clientId && !p.Retracted)
            .OrderBy(p => p.TakenAtUtc).ToListAsync(cancellation);
        foreach (var photo in kept)
        {
            await using var image = await store.OpenAsync(session.TenantId, photo.Sha256, ImageSize.Original, cancellation);
            if (image is null) return $"Photo {photo.Id}: the store holds no image for it.";
            var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(image.Content, cancellation));
            if (hash != photo.Sha256) return $"Photo {photo.Id}: the stored image does not match the hash its event carries.";
        }
        return null;
    }

    private static ChainVerification Broken(Guid clientId, long count, long version, string detail) =>
        new(clientId, "broken", count, version, detail);
}
