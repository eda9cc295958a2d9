using Courses.Api.Http;
using Courses.Projections.Courses;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Courses.Api.Courses;

public static class GetCoursesEndpoint
{
    [WolverineGet("/api/clients/{clientId}/courses")]
    [ProducesResponseType<IReadOnlyList<CourseProgress>>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClient)]
    public static async Task<IResult> Get(Guid clientId, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var batch = session.CreateBatchQuery();
        var record = batch.Events.FetchStreamState(clientId);
        var courses = batch.Query<CourseProgress>().Where(c => c.ClientId == clientId).OrderBy(c => c.PlannedAt).ToList();
        await batch.Execute(cancellation);

        if (await record is not { } state) return NotFound.Client(clientId);
        http.Response.Headers.ETag = ETags.For(state.Version);
        return Results.Ok((await courses).Select(course => course with { RecordVersion = state.Version }));
    }
}
