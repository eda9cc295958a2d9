using Courses.Domain;
using Courses.Domain.Clients;
using Courses.Domain.Consents;
using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Reactions;
using Courses.Domain.Screenings;
using Courses.Domain.Sessions;
using JasperFx.Events;
using Marten.Events.Aggregation;

namespace Courses.Projections.Clients;

/// <summary>What a front-end shows about a client: who they are, what the screening said, consent, and what is running.</summary>
public sealed record ClientProfile
{
    public Guid Id { get; init; }
    public Guid ClientId => Id;
    public required string FullName { get; init; }
    public DateOnly DateOfBirth { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
    public DateTimeOffset RegisteredAt { get; init; }
    public ScreeningSummary? LatestScreening { get; init; }
    public ConsentSummary? Consent { get; init; }
    public IReadOnlyList<SerumAllergySummary> SerumAllergies { get; init; } = [];

    /// <summary>Every allergy a reaction revealed, serums included, with the kind of product it is to.</summary>
    public IReadOnlyList<ProductAllergySummary> Allergies { get; init; } = [];
    public IReadOnlyList<UpcomingConsultation> UpcomingConsultations { get; init; } = [];
    public IReadOnlyList<RunningCourse> ActiveCourses { get; init; } = [];
    public IReadOnlyList<OpenReaction> OpenReactions { get; init; } = [];
    public long Version { get; init; }
}

public sealed record ScreeningSummary(DateTimeOffset ScreenedAt, IReadOnlyList<Condition> Conditions, IReadOnlyList<string> KnownAllergies);

/// <summary>The latest consent, its evidence when recorded, and its withdrawal when the client withdrew it.</summary>
public sealed record ConsentSummary(string Procedure, string FormVersion, DateTimeOffset SignedAt, ConsentEvidence? Evidence = null,
    DateTimeOffset? WithdrawnAt = null, string? WithdrawalReason = null);

public sealed record SerumAllergySummary(string Product, DateTimeOffset ObservedAt);

public sealed record ProductAllergySummary(string Product, ProductKind Kind, DateTimeOffset ObservedAt);

public sealed record UpcomingConsultation(Guid ConsultationId, DateTimeOffset ScheduledAt, string PractitionerId, IReadOnlyList<Concern> Concerns);

/// <summary>A course that is planned, running or paused; completed and cancelled courses leave this list.</summary>
public sealed record RunningCourse(Guid CourseId, CourseStatus Status, int PlannedSessions, int SessionsCompleted, DateOnly? NextSessionDueOn);

public sealed record OpenReaction(Guid ReactionId, ReactionKind Kind, Severity Severity, DateTimeOffset OccurredAt, Guid? CourseId);

public partial class ClientProfileProjection : SingleStreamProjection<ClientProfile, Guid>
{
    public override ClientProfile? Evolve(ClientProfile? profile, Guid id, IEvent e)
    {
        var next = (profile, e.Data) switch
        {
            (_, ClientRegistered r) => new ClientProfile
            {
                Id = r.ClientId, FullName = r.FullName, DateOfBirth = r.DateOfBirth, Email = r.Email, Phone = r.Phone,
                RegisteredAt = r.RegisteredAt,
            },
            (null, _) => null,
            (var p, ContactDetailsChanged c) => p with { Email = c.Email, Phone = c.Phone },
            (var p, ContactDetailsErased) => p with { FullName = ContactData.ErasedName, Email = null, Phone = null },
            (var p, MedicalScreeningRecorded s) when Screening.Replaces(s.ScreenedAt, p.LatestScreening?.ScreenedAt) =>
                p with { LatestScreening = new ScreeningSummary(s.ScreenedAt, s.Conditions, s.KnownAllergies) },
            (var p, ConsentRecorded c) when p.Consent is null || c.SignedAt >= p.Consent.SignedAt =>
                p with { Consent = new ConsentSummary(c.Procedure, c.FormVersion, c.SignedAt, ConsentEvidence.Of(c)) },
            (var p, ConsentWithdrawn w) when p.Consent is { } consent && w.WithdrawnAt >= consent.SignedAt =>
                p with { Consent = consent with { WithdrawnAt = w.WithdrawnAt, WithdrawalReason = w.Reason } },
            (var p, SerumAllergyRecorded a) => p with
            {
                SerumAllergies = [.. p.SerumAllergies, new SerumAllergySummary(a.Product, a.ObservedAt)],
                Allergies = [.. p.Allergies, new ProductAllergySummary(a.Product, ProductKind.Serum, a.ObservedAt)],
            },
            (var p, ProductAllergyRecorded a) => p with { Allergies = [.. p.Allergies, new ProductAllergySummary(a.Product, a.Kind, a.ObservedAt)] },
            (var p, ConsultationBooked b) => p with
            {
                UpcomingConsultations = [.. p.UpcomingConsultations, new UpcomingConsultation(b.ConsultationId, b.ScheduledAt, b.PractitionerId, b.Concerns)],
            },
            (var p, ConsultationRescheduled r) => p with
            {
                UpcomingConsultations = [.. p.UpcomingConsultations.Select(c => c.ConsultationId == r.ConsultationId ? c with { ScheduledAt = r.ScheduledAt } : c)],
            },
            (var p, ConsultationCancelled c) => p with { UpcomingConsultations = WithoutConsultation(p, c.ConsultationId) },
            (var p, ConsultationCompleted c) => p with { UpcomingConsultations = WithoutConsultation(p, c.ConsultationId) },
            (var p, CoursePlanned c) => p with
            {
                ActiveCourses = [.. p.ActiveCourses, new RunningCourse(c.CourseId, CourseStatus.Planned, c.PlannedSessions, 0, null)],
            },
            (var p, SessionRecorded s) => WithCourse(p, s.CourseId, c => c with
            {
                Status = CourseStatus.Active, SessionsCompleted = s.SessionNumber, NextSessionDueOn = s.NextSessionDueOn,
            }),
            (var p, CoursePaused c) => WithCourse(p, c.CourseId, course => course with { Status = CourseStatus.Paused }),
            (var p, CourseResumed c) => WithCourse(p, c.CourseId, course => course with
            {
                Status = ResumeCourseDecision.StatusOnResume(course.SessionsCompleted),
            }),
            (var p, CourseCompleted c) => p with { ActiveCourses = [.. p.ActiveCourses.Where(course => course.CourseId != c.CourseId)] },
            (var p, CourseCancelled c) => p with { ActiveCourses = [.. p.ActiveCourses.Where(course => course.CourseId != c.CourseId)] },
            (var p, ReactionReported r) => p with
            {
                OpenReactions = [.. p.OpenReactions, new OpenReaction(r.ReactionId, r.Kind, r.Severity, r.OccurredAt, r.CourseId)],
            },
            (var p, ReactionResolved r) => p with { OpenReactions = [.. p.OpenReactions.Where(o => o.ReactionId != r.ReactionId)] },
            (var p, _) => p,
        };
        return next is null ? null : next with { Version = e.Version };
    }

    private static IReadOnlyList<UpcomingConsultation> WithoutConsultation(ClientProfile profile, Guid consultationId) =>
        [.. profile.UpcomingConsultations.Where(c => c.ConsultationId != consultationId)];

    private static ClientProfile WithCourse(ClientProfile profile, Guid courseId, Func<RunningCourse, RunningCourse> change) =>
        profile with { ActiveCourses = [.. profile.ActiveCourses.Select(c => c.CourseId == courseId ? change(c) : c)] };
}
