using Courses.Api.Http;
using Courses.Projections.Courses;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Courses.Api.Courses;

public static class GetCourseEndpoint
{
    [WolverineGet("/api/clients/{clientId}/courses/{courseId}")]
    [ProducesResponseType<CourseProgress>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClient)]
    public static async Task<IResult> Get(Guid clientId, Guid courseId, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var batch = session.CreateBatchQuery();
        var record = batch.Events.FetchStreamState(clientId);
        var course = batch.Load<CourseProgress>(courseId);
        await batch.Execute(cancellation);

        if (await record is not { } state) return NotFound.Client(clientId);
        if (await course is not { } progress || progress.ClientId != clientId)
            return NotFound.Part("course", courseId);
        // The record's version, not the course's: it is what an If-Match on the next write is compared with.
        http.Response.Headers.ETag = ETags.For(state.Version);
        return Results.Ok(progress with { RecordVersion = state.Version });
    }
}
