using Marten.Services.BatchQuerying;

namespace Courses.Api.Http;

/// <summary>
/// Answers a GET of something inside a client's record with the record's version as ETag: it is what an If-Match on
/// the next write is compared with, whatever the part's own version.
/// </summary>
public static class RecordParts
{
    /// <summary>One entity the record holds, or 404.</summary>
    public static IResult Answer<T>(HttpContext http, TreatmentRecord record, T? part, string what, Guid id) where T : class =>
        part is null ? NotFound.Part(what, id) : Ok(http, record.Version, part);

    /// <summary>A view of the record read in the same round trip as the record's version; no version when there is no such client.</summary>
    public static async Task<(long? RecordVersion, T View)> Read<T>(IQuerySession session, Guid clientId,
        Func<IBatchedQuery, Task<T>> view, CancellationToken cancellation)
    {
        var batch = session.CreateBatchQuery();
        var record = batch.Events.FetchStreamState(clientId);
        var read = view(batch);
        await batch.Execute(cancellation);
        return ((await record)?.Version, await read);
    }

    public static IResult Ok<T>(HttpContext http, long recordVersion, T view)
    {
        http.Response.Headers.ETag = ETags.For(recordVersion);
        return Results.Ok(view);
    }
}
