using Courses.Domain.Assessments;
using Courses.Domain.Photos;
using Courses.Domain.Protocol;

namespace Courses.Api.Photos;

public sealed record PhotoTimelineAnswer(Guid ClientId, Area Area, PhotoView View, IReadOnlyList<TimelinePhoto> Items, long Version);

public static class GetPhotoTimelineEndpoint
{
    /// <summary>The photos of one area and view in time order, each with its session's depth and serum and that day's scores.</summary>
    [WolverineGet("/api/clients/{clientId}/photos/timeline")]
    [ProducesResponseType<PhotoTimelineAnswer>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClinical)]
    public static async Task<IResult> Get(Guid clientId, [Mandatory, OneOf(typeof(Area))] string? area,
        [Mandatory, OneOf(typeof(PhotoView))] string? view, IQuerySession session, ClinicProtocol protocol, HttpContext http,
        CancellationToken cancellation)
    {
        // The client first: another clinic's id answers 404 whatever the query, as an unknown one does.
        var record = await session.Events.AggregateStreamAsync<TreatmentRecord>(clientId, token: cancellation);
        if (record is null) return NotFound.Client(clientId);
        var input = new InputErrors();
        input.Required("area", area).Required("view", view);
        var byArea = area is null ? default : input.Enum<Area>("area", area);
        var byView = view is null ? default : input.Enum<PhotoView>("view", view);
        if (input.HasErrors) return Results.Problem(input.ToProblem());

        return RecordParts.Ok(http, record.Version, new PhotoTimelineAnswer(clientId, byArea, byView,
            PhotoTimeline.Of(record, byArea, byView, protocol.DayOf), record.Version));
    }
}
