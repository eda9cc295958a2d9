using Courses.Projections.Courses;

namespace Courses.Api.Courses;

public static class GetCoursesEndpoint
{
    [WolverineGet("/api/clients/{clientId}/courses")]
    [ProducesResponseType<IReadOnlyList<CourseProgress>>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClient)]
    public static async Task<IResult> Get(Guid clientId, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var (version, courses) = await RecordParts.Read(session, clientId,
            batch => batch.Query<CourseProgress>().Where(c => c.ClientId == clientId).OrderBy(c => c.PlannedAt).ToList(), cancellation);
        if (version is not { } recordVersion) return NotFound.Client(clientId);
        return RecordParts.Ok(http, recordVersion, courses.Select(course => course with { RecordVersion = recordVersion }));
    }
}
