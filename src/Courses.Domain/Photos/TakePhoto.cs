using Courses.Domain.Assessments;
using Courses.Domain.Protocol;

namespace Courses.Domain.Photos;

/// <summary>What the stored image is: its hash, type, size and the orientation the camera recorded.</summary>
public sealed record StoredImage(string Sha256, string ContentType, int Width, int Height, long SizeBytes, int Orientation);

public sealed record TakePhoto(
    Guid PhotoId,
    DateTimeOffset TakenAt,
    Area Area,
    PhotoView View,
    AssessmentKind Kind,
    Guid? SessionId,
    PhotoLighting? Lighting,
    string? Notes,
    string By);

public static class TakePhotoDecision
{
    /// <summary>
    /// Checks, in order: already-recorded (photo id); unknown-session (a session named that the record lacks, or a
    /// healing check without one); future-time; photo-consent-required (clinicalRecord use in force at takenAt).
    /// </summary>
    public static Decision Decide(TreatmentRecord record, TakePhoto command, ClinicProtocol protocol, DateTimeOffset now) =>
        Refusal(record, command, protocol, now) ?? Decision.Accept();

    /// <summary>The refusal, if any, before the image is stored: the image is only kept for a photo the record accepts.</summary>
    public static Decision? Refusal(TreatmentRecord record, TakePhoto command, ClinicProtocol protocol, DateTimeOffset now) =>
        (record.Photos.ContainsKey(command.PhotoId)
            ? Decision.Refuse(RuleCodes.AlreadyRecorded, $"Photo {command.PhotoId} is already on this client's record.")
            : null)
        ?? (command.SessionId is { } named && record.FindSession(named) is null
            ? Decision.Refuse(RuleCodes.UnknownSession, $"This client's record has no session {named}.")
            : command.Kind == AssessmentKind.HealingCheck && command.SessionId is null
                ? Decision.Refuse(RuleCodes.UnknownSession, "A healing-check photo follows a session: name the session whose healing it shows.")
                : null)
        ?? Rules.FutureTime("Taken at", command.TakenAt, now, protocol)
        ?? (record.HasPhotoConsentFor(PhotoUse.ClinicalRecord, command.TakenAt)
            ? null
            : Decision.Refuse(RuleCodes.PhotoConsentRequired,
                $"No photo consent for the clinical record is in force at {ClinicWords.Time(command.TakenAt)}: record the client's photo consent first."));

    /// <summary>The event once the image is stored: what was decided, and the hash of the bytes kept.</summary>
    public static Decision Taken(TreatmentRecord record, TakePhoto command, StoredImage image, ClinicProtocol protocol, DateTimeOffset now) =>
        Refusal(record, command, protocol, now)
        ?? Decision.Accept(new PhotoTaken(record.Id, command.PhotoId, command.TakenAt, command.Area, command.View, command.Kind,
            command.SessionId, command.Lighting, command.Notes, image.Sha256, image.ContentType, image.Width, image.Height,
            image.SizeBytes, image.Orientation, command.By));
}
