using Courses.Projections.Courses;

namespace Courses.Api.Courses;

public static class GetCourseEndpoint
{
    [WolverineGet("/api/clients/{clientId}/courses/{courseId}")]
    [ProducesResponseType<CourseProgress>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClient)]
    public static async Task<IResult> Get(Guid clientId, Guid courseId, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var (version, course) = await RecordParts.Read(session, clientId, batch => batch.Load<CourseProgress>(courseId), cancellation);
        if (version is not { } recordVersion) return NotFound.Client(clientId);
        if (course is null || course.ClientId != clientId) return NotFound.Part("course", courseId);
        return RecordParts.Ok(http, recordVersion, course with { RecordVersion = recordVersion });
    }
}
