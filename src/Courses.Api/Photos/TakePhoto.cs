using System.Security.Claims;
using System.Text.Json.Serialization;
using Courses.Domain.Assessments;
using Courses.Domain.Photos;
using Courses.Domain.Protocol;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Photos;

/// <summary>The <c>metadata</c> part of a photo upload. sessionId: the session the photo was taken at (a healing check's: the session it follows).</summary>
public sealed record TakePhotoMetadata(
    [Mandatory] DateTimeOffset? TakenAt,
    [Mandatory, OneOf(typeof(Area))] string? Area,
    [Mandatory, OneOf(typeof(PhotoView))] string? View,
    [Mandatory, OneOf(typeof(AssessmentKind))] string? Kind,
    [Mandatory(When = "kind is healingCheck")] Guid? SessionId = null,
    [OneOf(typeof(PhotoLighting))] string? Lighting = null,
    string? Notes = null);

public sealed record PhotoTakenAnswer(
    Guid PhotoId,
    string Sha256,
    int Width,
    int Height,
    string ContentType,
    [property: JsonIgnore] Guid ClientId,
    [property: JsonIgnore] long NewVersion) : WriteAnswer
{
    protected override long Version() => NewVersion;
    protected override string Location() => $"/api/clients/{ClientId}/photos/{PhotoId}/image";
}

/// <summary>
/// Takes a photo: the upload is read and checked first, then the decision is made on the record, then the image is
/// stored, and only then is the event appended — so a store that fails leaves no photo, and a commit that fails leaves
/// an image no photo refers to, which <see cref="OrphanSweep"/> removes.
/// </summary>
public static class TakePhotoEndpoint
{
    public static Task<PhotoUpload> LoadAsync(HttpContext http) => PhotoUpload.ReadAsync(http);

    public static (TakePhoto?, ProblemDetails) Validate(PhotoUpload upload, ClaimsPrincipal user)
    {
        var input = upload.Errors;
        if (upload.Metadata is not { } metadata) return input.Checked<TakePhoto>(null!);
        var kind = input.Enum<AssessmentKind>("metadata.kind", metadata.Kind);
        if (metadata.Kind is not null && kind == AssessmentKind.HealingCheck && metadata.SessionId is null)
            input.Add("metadata.sessionId", "is required for a healing-check photo: the session whose healing it shows.");
        var command = new TakePhoto(Guid.CreateVersion7(),
            input.Time("metadata.takenAt", metadata.TakenAt),
            input.Enum<Area>("metadata.area", metadata.Area),
            input.Enum<PhotoView>("metadata.view", metadata.View),
            kind,
            metadata.SessionId,
            metadata.Lighting is null ? null : input.Enum<PhotoLighting>("metadata.lighting", metadata.Lighting),
            input.OptionalText("metadata.notes", metadata.Notes),
            user.Subject());
        return input.Checked(command);
    }

    [Refuses(RuleCodes.AlreadyRecorded, RuleCodes.UnknownSession, RuleCodes.FutureTime, RuleCodes.PhotoConsentRequired)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(TakePhoto command, TreatmentRecord record, ClinicProtocol protocol, TimeProvider clock) =>
        Verdicts.Of(TakePhotoDecision.Decide(record, command, protocol, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/photos")]
    [RequestSizeLimit(PhotoUpload.MaxBodyBytes)]
    [Authorize(Policy = Policies.Clinical)]
    public static async Task<(PhotoTakenAnswer, Events)> Post([NotBody] TakePhoto command, [NotBody] PhotoUpload upload,
        [WriteAggregate("clientId")] TreatmentRecord record, [NotBody] ClinicProtocol protocol, TimeProvider clock, IPhotoStore photos,
        ClaimsPrincipal user, CancellationToken cancellation)
    {
        var image = upload.Image!;
        await photos.PutAsync(user.Clinic(), image.Sha256, image.ContentType, upload.Bytes, image.Thumbnail, clock.GetUtcNow(), cancellation);
        var decision = TakePhotoDecision.Taken(record, command,
            new StoredImage(image.Sha256, image.ContentType, image.Width, image.Height, image.Length, image.Orientation), protocol, clock.GetUtcNow());
        var taken = decision.Events.OfType<PhotoTaken>().Single();
        return (new PhotoTakenAnswer(taken.PhotoId, taken.Sha256, taken.Width, taken.Height, taken.ContentType, record.Id,
            record.Version + decision.Events.Count), new Events(decision.Events));
    }
}
