using Courses.Domain;

namespace Courses.Api.Http;

/// <summary>Answers a GET of one entity inside a client's record, with the record's version as ETag.</summary>
public static class RecordParts
{
    public static IResult Answer<T>(HttpContext http, TreatmentRecord record, T? part, string what, Guid id) where T : class
    {
        if (part is null) return NotFound.Part(what, id);
        http.Response.Headers.ETag = ETags.For(record.Version);
        return Results.Ok(part);
    }
}
