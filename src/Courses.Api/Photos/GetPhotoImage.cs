using Courses.Projections.Photos;

namespace Courses.Api.Photos;

public static class GetPhotoImageEndpoint
{
    public const string Thumbnail = "thumbnail";

    /// <summary>
    /// The stored bytes as kept (ETag: their SHA-256, which the photo's event carries), or a JPEG thumbnail at most 320
    /// px on its long side; never cached. Every image served is in the access log (the route names the client).
    /// </summary>
    [WolverineGet("/api/clients/{clientId}/photos/{photoId}/image")]
    [ProducesResponseType(typeof(byte[]), StatusCodes.Status200OK, "image/jpeg", "image/png")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone)]
    [Authorize(Policy = Policies.ReadClinical)]
    public static async Task<IResult> Get(Guid clientId, Guid photoId, [OneOf(typeof(ImageSize))] string? size, IQuerySession session,
        IPhotoStore photos, HttpContext http, ILogger<PhotoEntry> logger, CancellationToken cancellation)
    {
        if (size is not (null or Thumbnail or "original"))
            return Results.Problem(new InputErrors().Add("size", "must be \"thumbnail\" or left out (the original).").ToProblem());
        var photo = await session.LoadAsync<ClinicalPhoto>(photoId, cancellation);
        if (photo is null || photo.ClientId != clientId) return NotFound.Part("photo", photoId);
        if (photo.Retracted)
            return Results.Problem(statusCode: StatusCodes.Status410Gone, title: "Photo retracted",
                detail: $"Photo {photoId} was retracted as taken in error; its image is no longer kept.");

        var thumbnail = size == Thumbnail;
        var image = await photos.OpenAsync(session.TenantId, photo.Sha256, thumbnail ? ImageSize.Thumbnail : ImageSize.Original, cancellation);
        if (image is null)
        {
            logger.LogError("Photo {PhotoId} of client {ClientId} is kept but the store has no image {Sha256}", photoId, clientId, photo.Sha256);
            return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Image unavailable",
                detail: "The photo's image cannot be read from the store just now.");
        }
        http.Response.RegisterForDisposeAsync(image);
        http.Response.Headers.ETag = thumbnail ? $"\"{photo.Sha256}.thumbnail\"" : $"\"{photo.Sha256}\"";
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.Stream(image.Content, thumbnail ? "image/jpeg" : photo.ContentType);
    }
}
