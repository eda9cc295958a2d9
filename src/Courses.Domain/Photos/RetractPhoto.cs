namespace Courses.Domain.Photos;

public sealed record RetractPhoto(Guid PhotoId, string Reason, string By);

public static class RetractPhotoDecision
{
    /// <summary>Checks, in order: not-found (404); photo-retracted (already retracted).</summary>
    public static Decision Decide(TreatmentRecord record, RetractPhoto command, DateTimeOffset now) =>
        !record.Photos.TryGetValue(command.PhotoId, out var photo)
            ? Decision.Unknown("photo", command.PhotoId)
            : photo.IsRetracted
                ? Decision.Refuse(RuleCodes.PhotoRetracted, $"Photo {command.PhotoId} was already retracted at {ClinicWords.Time(photo.RetractedAt!.Value)}.")
                : Decision.Accept(new PhotoRetracted(record.Id, photo.Id, now, command.Reason.Trim(), photo.Sha256, command.By));
}
