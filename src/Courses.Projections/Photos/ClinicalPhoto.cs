using Courses.Domain;
using Courses.Domain.Assessments;
using Courses.Domain.Photos;
using JasperFx.Events;
using Marten.Events.Projections;

namespace Courses.Projections.Photos;

/// <summary>
/// One photo as the list and image routes read it: a client's photos are a query on <see cref="ClientId"/>, and the
/// stored images still in use a query on <see cref="Sha256"/> (what the orphan sweep keeps).
/// </summary>
public sealed record ClinicalPhoto
{
    public Guid Id { get; init; }
    public Guid PhotoId => Id;
    public Guid ClientId { get; init; }
    public DateTimeOffset TakenAt { get; init; }

    /// <summary>The same instant at offset 0: the indexed sort column.</summary>
    public DateTimeOffset TakenAtUtc => TakenAt.ToUniversalTime();
    public Area Area { get; init; }
    public PhotoView View { get; init; }
    public AssessmentKind Kind { get; init; }
    public Guid? SessionId { get; init; }
    public PhotoLighting? Lighting { get; init; }
    public required string Sha256 { get; init; }
    public required string ContentType { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public int Orientation { get; init; } = 1;
    public bool Retracted { get; init; }
}

public partial class ClinicalPhotoProjection : MultiStreamProjection<ClinicalPhoto, Guid>
{
    public ClinicalPhotoProjection()
    {
        Identity<PhotoTaken>(e => e.PhotoId);
        Identity<PhotoRetracted>(e => e.PhotoId);
    }

    public override ClinicalPhoto? Evolve(ClinicalPhoto? photo, Guid id, IEvent e) => (photo, e.Data) switch
    {
        (_, PhotoTaken t) => new ClinicalPhoto
        {
            Id = t.PhotoId, ClientId = t.ClientId, TakenAt = t.TakenAt, Area = t.Area, View = t.View, Kind = t.Kind,
            SessionId = t.SessionId, Lighting = t.Lighting, Sha256 = t.Sha256, ContentType = t.ContentType, Width = t.Width,
            Height = t.Height, Orientation = t.Orientation,
        },
        (null, _) => null,
        (var p, PhotoRetracted) => p with { Retracted = true },
        (var p, _) => p,
    };
}
