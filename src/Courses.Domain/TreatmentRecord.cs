using System.Collections.Immutable;
using Courses.Domain.Assessments;
using Courses.Domain.Clients;
using Courses.Domain.Consents;
using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Photos;
using Courses.Domain.Reactions;
using Courses.Domain.Screenings;
using Courses.Domain.Sessions;

namespace Courses.Domain;

/// <summary>The record's most recent session, of any course and maintenance included: healing and ordering start from it.</summary>
public sealed record LatestSession(Guid SessionId, Guid CourseId, bool IsMaintenance, DateTimeOffset PerformedAt, decimal DeepestDepthMm);

/// <summary>
/// One client's treatment record: the state every clinical decision is made on, folded from the client's stream.
/// Evolve never mutates: the store keeps fetched records in an identity map.
/// </summary>
public sealed record TreatmentRecord
{
    public Guid Id { get; init; }
    public long Version { get; init; }
    public required string FullName { get; init; }
    public DateOnly DateOfBirth { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public bool ContactErased { get; init; }

    /// <summary>In the order recorded; see <see cref="LatestScreening"/> for the one in force.</summary>
    public ImmutableList<Screening> Screenings { get; init; } = [];
    public ImmutableList<Consent> Consents { get; init; } = [];
    public ImmutableDictionary<Guid, Consultation> Consultations { get; init; } = ImmutableDictionary<Guid, Consultation>.Empty;
    public ImmutableDictionary<Guid, Course> Courses { get; init; } = ImmutableDictionary<Guid, Course>.Empty;
    public ImmutableDictionary<Guid, Reaction> Reactions { get; init; } = ImmutableDictionary<Guid, Reaction>.Empty;
    /// <summary>The allergies reactions revealed, to products of every kind, in the order recorded.</summary>
    public ImmutableList<ProductAllergy> Allergies { get; init; } = [];
    public IEnumerable<ProductAllergy> SerumAllergies => Allergies.Where(a => a.Kind == ProductKind.Serum);

    /// <summary>Consent withdrawals, in the order recorded.</summary>
    public ImmutableList<ConsentWithdrawal> ConsentWithdrawals { get; init; } = [];
    public LatestSession? LatestSession { get; init; }

    /// <summary>The skin's assessments, in the order recorded (business times may arrive late).</summary>
    public ImmutableList<SkinAssessment> Assessments { get; init; } = [];

    /// <summary>Photo consents and their withdrawals, in the order recorded.</summary>
    public ImmutableList<PhotoConsent> PhotoConsents { get; init; } = [];
    public ImmutableList<PhotoConsentWithdrawal> PhotoConsentWithdrawals { get; init; } = [];

    /// <summary>Every photo taken, retracted ones included (their events stay).</summary>
    public ImmutableDictionary<Guid, Photo> Photos { get; init; } = ImmutableDictionary<Guid, Photo>.Empty;

    public bool HasPhotoConsentFor(PhotoUse use, DateTimeOffset at) =>
        Domain.Photos.PhotoConsents.InForce(PhotoConsents, PhotoConsentWithdrawals, use, at);

    /// <summary>The screening with the latest screenedAt (a late-entered older screening does not replace it).</summary>
    public Screening? LatestScreening => Screening.InForce(Screenings);

    /// <summary>The screening in force at a business time: the latest screened at or before it.</summary>
    public Screening? LatestScreeningAsOf(DateTimeOffset at) => Screening.InForce(Screenings.Where(s => s.ScreenedAt <= at));

    /// <summary>A consent signed at or before the time, and not withdrawn between its signing and that time.</summary>
    public bool HasConsentFor(string procedure, DateTimeOffset at) => ConsentInForce(procedure, at) is not null;

    public Consent? ConsentInForce(string procedure, DateTimeOffset at) =>
        Consents.Where(c => c.IsFor(procedure) && c.SignedAt <= at).MaxBy(c => c.SignedAt) is { } latest
        && !ConsentWithdrawals.Any(w => w.IsFor(procedure) && w.WithdrawnAt >= latest.SignedAt && w.WithdrawnAt <= at)
            ? latest
            : null;

    /// <summary>The withdrawal that ended a consent: the first after its signing, unless a newer consent came before it.</summary>
    public ConsentWithdrawal? WithdrawalOf(Consent consent) =>
        ConsentWithdrawals.Where(w => w.IsFor(consent.Procedure) && w.WithdrawnAt >= consent.SignedAt).MinBy(w => w.WithdrawnAt) is { } first
        && !Consents.Any(c => c.IsFor(consent.Procedure) && c.SignedAt > consent.SignedAt && c.SignedAt <= first.WithdrawnAt)
            ? first
            : null;

    public IEnumerable<Reaction> UnresolvedReactions =>
        Reactions.Values.Where(r => !r.IsResolved).OrderBy(r => r.OccurredAt).ThenBy(r => r.Id);

    /// <summary>Planned or active courses, in the order they were planned.</summary>
    public IEnumerable<Course> RunningCourses =>
        Courses.Values.Where(c => c.IsRunning).OrderBy(c => c.PlannedAt).ThenBy(c => c.Id);

    public decimal? PreviousDepth(Guid courseId, Area area) =>
        Courses.TryGetValue(courseId, out var course) ? course.PreviousDepth(area) : null;

    public bool HasAllergy(string product) => Allergies.Any(a => ClinicWords.SameProduct(a.Product, product));

    /// <summary>A recorded allergy to the product, or a known allergy on the screening in force at that time.</summary>
    public string? AllergyMatching(string product, DateTimeOffset at) =>
        Allergies.Select(a => a.Product).FirstOrDefault(p => ClinicWords.SameProduct(p, product))
        ?? LatestScreeningAsOf(at)?.KnownAllergies.FirstOrDefault(p => ClinicWords.SameProduct(p, product));

    public Course? SessionCourse(Guid sessionId) =>
        Courses.Values.FirstOrDefault(c => c.Sessions.Any(s => s.SessionId == sessionId));

    public CourseSession? FindSession(Guid sessionId) =>
        SessionCourse(sessionId)?.Sessions.First(s => s.SessionId == sessionId);

    public static TreatmentRecord? Evolve(TreatmentRecord? record, object @event) => (record, @event) switch
    {
        (_, ClientRegistered registered) => new TreatmentRecord
        {
            Id = registered.ClientId,
            FullName = registered.FullName,
            DateOfBirth = registered.DateOfBirth,
            Email = registered.Email,
            Phone = registered.Phone,
            RegisteredAt = registered.RegisteredAt,
        },
        (null, _) => null,
        (_, ContactDetailsChanged changed) => record with { Email = changed.Email, Phone = changed.Phone },
        (_, ContactDetailsErased) => record with { FullName = ContactData.ErasedName, Email = null, Phone = null, ContactErased = true },
        (_, MedicalScreeningRecorded screened) => record with
        {
            Screenings = record.Screenings.Add(new Screening(
                screened.ScreenedAt, [.. screened.Conditions], [.. screened.KnownAllergies], screened.Notes, screened.By)),
        },
        (_, ConsentRecorded consent) => record with
        {
            Consents = record.Consents.Add(new Consent(consent.Procedure, consent.FormVersion, consent.SignedAt, consent.By)
            {
                Evidence = ConsentEvidence.Of(consent),
            }),
        },
        (_, ConsentWithdrawn withdrawn) => record with
        {
            ConsentWithdrawals = record.ConsentWithdrawals.Add(
                new ConsentWithdrawal(withdrawn.Procedure, withdrawn.WithdrawnAt, withdrawn.Reason, withdrawn.By)),
        },
        (_, ConsultationBooked booked) => record with
        {
            Consultations = record.Consultations.SetItem(booked.ConsultationId, new Consultation(
                booked.ConsultationId, ConsultationStatus.Booked, booked.ScheduledAt, booked.PractitionerId,
                [.. booked.Concerns], booked.BookedAt)),
        },
        (_, ConsultationRescheduled rescheduled) =>
            record.WithConsultation(rescheduled.ConsultationId, c => c with { ScheduledAt = rescheduled.ScheduledAt }),
        (_, ConsultationCancelled cancelled) => record.WithConsultation(cancelled.ConsultationId, c => c with
        {
            Status = ConsultationStatus.Cancelled,
            CancelledAt = cancelled.CancelledAt,
            CancelReason = cancelled.Reason,
        }),
        (_, ConsultationCompleted completed) => record.WithConsultation(completed.ConsultationId, c => c with
        {
            Status = ConsultationStatus.Completed,
            CompletedAt = completed.CompletedAt,
            Outcome = completed.Outcome,
            Concerns = [.. completed.Concerns],
        }),
        (_, TreatmentDeclined declined) =>
            record.WithConsultation(declined.ConsultationId, c => c with { DeclineReason = declined.Reason }),
        (_, CoursePlanned planned) => record.WithConsultation(planned.ConsultationId, c => c with { CourseId = planned.CourseId }) with
        {
            Courses = record.Courses.SetItem(planned.CourseId, new Course(
                planned.CourseId, planned.ConsultationId, CourseStatus.Planned, [.. planned.Concerns], [.. planned.Areas],
                planned.Serum, planned.PlannedSessions, planned.PlannedAt)),
        },
        (_, ISessionRecorded session) => record.Performed(session),
        (_, CoursePaused paused) => record.WithCourse(paused.CourseId, c => c with
        {
            Status = CourseStatus.Paused,
            PauseReason = paused.Reason,
            PausedByReactionId = paused.ReactionId,
        }),
        (_, CourseResumed resumed) => record.WithCourse(resumed.CourseId, c => c with
        {
            Status = ResumeCourseDecision.StatusOnResume(c.SessionsCompleted),
            PauseReason = null,
            PausedByReactionId = null,
        }),
        (_, CourseCompleted completed) => record.WithCourse(completed.CourseId, c => c with
        {
            Status = CourseStatus.Completed,
            CompletedAt = completed.CompletedAt,
            NextSessionDueOn = null,
            MaintenanceDueOn = completed.MaintenanceDueOn,
        }),
        (_, CourseCancelled cancelled) => record.WithCourse(cancelled.CourseId, c => c with
        {
            Status = CourseStatus.Cancelled,
            CancelledAt = cancelled.CancelledAt,
            NextSessionDueOn = null,
            MaintenanceDueOn = null,
            PauseReason = null,
            PausedByReactionId = null,
        }),
        (_, ReactionReported reported) => record with
        {
            Reactions = record.Reactions.SetItem(reported.ReactionId, new Reaction(
                reported.ReactionId, reported.Kind, reported.Severity, reported.OccurredAt, reported.SessionId,
                reported.CourseId, reported.SuspectedProduct, reported.Notes)),
        },
        (_, ReactionResolved resolved) => record.Reactions.TryGetValue(resolved.ReactionId, out var reaction)
            ? record with
            {
                Reactions = record.Reactions.SetItem(resolved.ReactionId,
                    reaction with { ResolvedAt = resolved.ResolvedAt, Outcome = resolved.Outcome }),
            }
            : record,
        (_, SerumAllergyRecorded allergy) => record with
        {
            Allergies = record.Allergies.Add(new ProductAllergy(allergy.Product, ProductKind.Serum, allergy.ReactionId, allergy.ObservedAt)),
        },
        (_, ProductAllergyRecorded allergy) => record with
        {
            Allergies = record.Allergies.Add(new ProductAllergy(allergy.Product, allergy.Kind, allergy.ReactionId, allergy.ObservedAt)),
        },
        (_, SkinAssessed assessed) => record with { Assessments = record.Assessments.Add(SkinAssessment.From(assessed)) },
        (_, PhotoConsentRecorded consent) => record with
        {
            PhotoConsents = record.PhotoConsents.Add(new PhotoConsent(consent.FormVersion, consent.SignedAt, consent.Uses, consent.By)),
        },
        (_, PhotoConsentWithdrawn withdrawn) => record with
        {
            PhotoConsentWithdrawals = record.PhotoConsentWithdrawals.Add(new PhotoConsentWithdrawal(withdrawn.WithdrawnAt, withdrawn.Uses, withdrawn.By)),
        },
        (_, PhotoTaken taken) => record with { Photos = record.Photos.SetItem(taken.PhotoId, Photo.From(taken)) },
        (_, PhotoRetracted retracted) => record.Photos.TryGetValue(retracted.PhotoId, out var photo)
            ? record with { Photos = record.Photos.SetItem(retracted.PhotoId, photo with { RetractedAt = retracted.RetractedAt }) }
            : record,
        _ => record,
    };

    public static TreatmentRecord? Replay(IEnumerable<object> events) => events.Aggregate((TreatmentRecord?)null, Evolve);

    /// <summary>A session of either kind joins its course and becomes the latest; a course session starts a planned course.</summary>
    private TreatmentRecord Performed(ISessionRecorded recorded)
    {
        var session = new CourseSession(recorded.SessionId, recorded.SessionNumber, recorded.IsMaintenance, recorded.PerformedAt,
            recorded.PractitionerId, [.. recorded.Areas], recorded.Serum, recorded.NumbingCreamApplied, recorded.HealedOn)
        {
            ProtocolVersion = recorded.ProtocolVersion,
            NumbingCream = recorded.NumbingCream,
            NeedleCartridge = recorded.NeedleCartridge,
            Device = recorded.Device,
        };
        return WithCourse(recorded.CourseId, course =>
        {
            var performed = course with { Sessions = course.Sessions.Add(session) };
            return recorded switch
            {
                SessionRecorded s => performed with
                {
                    Status = performed.Status == CourseStatus.Planned ? CourseStatus.Active : performed.Status,
                    NextSessionDueOn = s.NextSessionDueOn,
                },
                MaintenanceSessionRecorded m => performed with { MaintenanceDueOn = m.MaintenanceDueOn },
                _ => performed,
            };
        }) with
        {
            LatestSession = new LatestSession(session.SessionId, recorded.CourseId, session.IsMaintenance, session.PerformedAt, session.DeepestDepthMm),
        };
    }

    private TreatmentRecord WithConsultation(Guid id, Func<Consultation, Consultation> change) =>
        Consultations.TryGetValue(id, out var consultation)
            ? this with { Consultations = Consultations.SetItem(id, change(consultation)) }
            : this;

    private TreatmentRecord WithCourse(Guid id, Func<Course, Course> change) =>
        Courses.TryGetValue(id, out var course) ? this with { Courses = Courses.SetItem(id, change(course)) } : this;
}
