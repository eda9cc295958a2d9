using Courses.Domain.Assessments;
using Courses.Domain.Photos;
using Courses.Projections.Photos;

namespace Courses.Api.Photos;

/// <summary>
/// One photo of a client. orientation: the EXIF orientation (1–8) the camera recorded, which the stored image no longer
/// carries (its metadata is removed); a viewer turns the image by it, as the thumbnail already is.
/// </summary>
public sealed record PhotoEntry(Guid PhotoId, DateTimeOffset TakenAt, Area Area, PhotoView View, AssessmentKind Kind, Guid? SessionId,
    PhotoLighting? Lighting, string Sha256, int Width, int Height, string ContentType, int Orientation, bool Retracted)
{
    public static PhotoEntry Of(ClinicalPhoto p) =>
        new(p.Id, p.TakenAt, p.Area, p.View, p.Kind, p.SessionId, p.Lighting, p.Sha256, p.Width, p.Height, p.ContentType, p.Orientation, p.Retracted);
}

public sealed record PhotoList(IReadOnlyList<PhotoEntry> Items);

public static class GetPhotosEndpoint
{
    [WolverineGet("/api/clients/{clientId}/photos")]
    [ProducesResponseType<PhotoList>(StatusCodes.Status200OK)]
    [Authorize(Policy = Policies.ReadClinical)]
    public static async Task<IResult> Get(Guid clientId, [OneOf(typeof(Area))] string? area, [OneOf(typeof(PhotoView))] string? view,
        [OneOf(typeof(AssessmentKind))] string? kind, IQuerySession session, HttpContext http, CancellationToken cancellation)
    {
        var input = new InputErrors();
        Area? byArea = area is null ? null : input.Enum<Area>("area", area);
        PhotoView? byView = view is null ? null : input.Enum<PhotoView>("view", view);
        AssessmentKind? byKind = kind is null ? null : input.Enum<AssessmentKind>("kind", kind);
        if (input.HasErrors) return Results.Problem(input.ToProblem());

        var (version, photos) = await RecordParts.Read(session, clientId, batch =>
        {
            var query = batch.Query<ClinicalPhoto>().Where(p => p.ClientId == clientId);
            if (byArea is { } a) query = query.Where(p => p.Area == a);
            if (byView is { } v) query = query.Where(p => p.View == v);
            if (byKind is { } k) query = query.Where(p => p.Kind == k);
            return query.OrderByDescending(p => p.TakenAtUtc).ThenByDescending(p => p.Id).ToList();
        }, cancellation);
        if (version is not { } recordVersion) return NotFound.Client(clientId);
        return RecordParts.Ok(http, recordVersion, new PhotoList([.. photos.Select(PhotoEntry.Of)]));
    }
}
