using Courses.Domain.Assessments;

namespace Courses.Domain.Photos;

/// <summary>The standard angles a course's photos are taken from, so that one session's photo compares with the next.</summary>
public enum PhotoView { Front, Left45, Right45, Left90, Right90, CloseUp }

public enum PhotoLighting { Standard, CrossPolarised, Uv }

/// <summary>
/// A photo was taken and its bytes stored. Sha256 (hex) is of the bytes stored — metadata removed, pixels as shot — so
/// the hash chain over this event vouches for the image. Orientation is the EXIF orientation (1–8) the camera recorded,
/// kept here because the stored bytes no longer carry it.
/// </summary>
public sealed record PhotoTaken(
    Guid ClientId,
    Guid PhotoId,
    DateTimeOffset TakenAt,
    Area Area,
    PhotoView View,
    AssessmentKind Kind,
    Guid? SessionId,
    PhotoLighting? Lighting,
    string? Notes,
    string Sha256,
    string ContentType,
    int Width,
    int Height,
    long SizeBytes,
    int Orientation,
    string By);

/// <summary>A photo taken in error: its bytes are deleted, the event that took it stays with its hash.</summary>
public sealed record PhotoRetracted(Guid ClientId, Guid PhotoId, DateTimeOffset RetractedAt, string Reason, string Sha256, string By);

/// <summary>A photo as the record keeps it.</summary>
public sealed record Photo(
    Guid Id,
    DateTimeOffset TakenAt,
    Area Area,
    PhotoView View,
    AssessmentKind Kind,
    Guid? SessionId,
    PhotoLighting? Lighting,
    string Sha256,
    string ContentType,
    int Width,
    int Height)
{
    public DateTimeOffset? RetractedAt { get; init; }
    public bool IsRetracted => RetractedAt is not null;

    public static Photo From(PhotoTaken e) =>
        new(e.PhotoId, e.TakenAt, e.Area, e.View, e.Kind, e.SessionId, e.Lighting, e.Sha256, e.ContentType, e.Width, e.Height);
}
