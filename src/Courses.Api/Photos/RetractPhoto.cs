using System.Security.Claims;
using Courses.Domain.Photos;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Marten;

namespace Courses.Api.Photos;

public sealed record RetractPhotoRequest([Mandatory] string? Reason);

/// <summary>
/// Retracts a photo taken in error. The event (which keeps the hash) and the order to delete the image commit together
/// through the durable outbox; the image answers 410 from that commit on, and its bytes go as soon as the store takes
/// the deletion (retried while it is down; swept if every retry fails).
/// </summary>
public static class RetractPhotoEndpoint
{
    public static (RetractPhoto?, ProblemDetails) Validate(RetractPhotoRequest? request, Guid photoId, ClaimsPrincipal user)
    {
        if (request is null) return (null, InputErrors.MissingBody());
        var input = new InputErrors();
        return input.Checked(new RetractPhoto(photoId, input.RequiredText("reason", request.Reason, InputErrors.MaxTextLength), user.Subject()));
    }

    [Refuses(RuleCodes.PhotoRetracted)]
    [WolverineBefore]
    public static (Decision, ProblemDetails) Decide(RetractPhoto command, TreatmentRecord record, TimeProvider clock) =>
        Verdicts.Of(RetractPhotoDecision.Decide(record, command, clock.GetUtcNow()));

    [WolverinePost("/api/clients/{clientId}/photos/{photoId}/retract")]
    [Authorize(Policy = Policies.Clinical)]
    public static (RecordedAnswer, Events, OutgoingMessages) Post(RetractPhotoRequest request, Decision decision,
        [WriteAggregate("clientId")] TreatmentRecord record, ClaimsPrincipal user) =>
        (RecordedAnswer.For(record, decision), new Events(decision.Events),
            [.. decision.Events.OfType<PhotoRetracted>().Select(r => new DeleteRetractedImage(user.Clinic(), r.Sha256))]);
}
