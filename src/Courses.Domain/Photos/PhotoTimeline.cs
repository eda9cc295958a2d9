using Courses.Domain.Assessments;
using Courses.Domain.Courses;

namespace Courses.Domain.Photos;

/// <summary>One photo on an area's timeline, with the treatment it followed and the skin's scores that day.</summary>
public sealed record TimelinePhoto(
    Guid PhotoId,
    DateTimeOffset TakenAt,
    AssessmentKind Kind,
    Guid? SessionId,
    int? SessionNumber,
    decimal? DepthMm,
    Serum? Serum,
    IReadOnlyList<SkinScore> Scores);

public static class PhotoTimeline
{
    /// <summary>
    /// The photos kept (not retracted) of one area and view, in time order, a baseline before anything else taken at the
    /// same moment. Each names its session — the one it was taken at, or else the latest session on that area at or before
    /// it — with that session's depth on the area and serum, and the scores of that area (or of the whole skin) recorded
    /// on the clinic's same day or by an assessment that names the photo.
    /// </summary>
    public static IReadOnlyList<TimelinePhoto> Of(TreatmentRecord record, Area area, PhotoView view, Func<DateTimeOffset, DateOnly> dayOf)
    {
        var sessions = record.Courses.Values.SelectMany(c => c.Sessions).OrderBy(s => s.PerformedAt).ToList();
        return [.. record.Photos.Values
            .Where(p => !p.IsRetracted && p.Area == area && p.View == view)
            .OrderBy(p => p.TakenAt).ThenBy(p => p.Kind == AssessmentKind.Baseline ? 0 : 1).ThenBy(p => p.Id)
            .Select(photo =>
            {
                var session = photo.SessionId is { } named
                    ? sessions.FirstOrDefault(s => s.SessionId == named)
                    : sessions.LastOrDefault(s => s.PerformedAt <= photo.TakenAt && s.Areas.Any(a => a.Area == area));
                var day = dayOf(photo.TakenAt);
                var scores = record.Assessments
                    .Where(a => a.PhotoIds.Contains(photo.Id) || dayOf(a.AssessedAt) == day)
                    .OrderBy(a => a.AssessedAt)
                    .SelectMany(a => a.Scores.Where(s => s.Area is null || s.Area == area))
                    .ToList();
                return new TimelinePhoto(photo.Id, photo.TakenAt, photo.Kind, session?.SessionId, session?.Number,
                    session?.Areas.FirstOrDefault(a => a.Area == area)?.DepthMm, session?.Serum, scores);
            })];
    }
}
