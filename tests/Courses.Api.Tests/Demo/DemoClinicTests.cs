using Courses.Api.Demo;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Courses.Domain.Assessments;
using Courses.Domain.Clients;
using Courses.Domain.Consents;
using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Reactions;
using Courses.Domain.Screenings;
using Courses.Domain.Sessions;
using Courses.Projections.Clients;
using JasperFx.Events;
using Marten;

namespace Courses.Api.Tests.Demo;

public sealed class DemoClinicTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private const string Clinic = "demo-clinic";

    [Fact]
    public async Task Thirty_demo_clients_cover_every_stage_and_the_skins_evolution_and_every_stored_event_came_from_an_accepted_decision()
    {
        var today = Clock.GetUtcNow();
        var result = await DemoClinic.SeedAsync(Fixture.Store, Clinic, 30, 42, today, TestContext.Current.CancellationToken);

        Assert.False(result.Refused);
        Assert.Empty(result.RefusedByCode);

        await using var session = Fixture.Store.QuerySession(Clinic);
        var profiles = await session.Query<ClientProfile>().ToListAsync(TestContext.Current.CancellationToken);
        Assert.Equal(result.Clients.Select(c => c.ClientId).Order(), profiles.Select(p => p.Id).Order());

        var records = new List<TreatmentRecord>();
        foreach (var profile in profiles)
        {
            var events = await session.Events.FetchStreamAsync(profile.Id, token: TestContext.Current.CancellationToken);
            AssertEachEventCameFromAnAcceptedDecision(events, today);
            records.Add(TreatmentRecord.Replay(events.Select(e => e.Data))!);
        }

        var day = DateOnly.FromDateTime(today.UtcDateTime);
        var courses = records.SelectMany(r => r.Courses.Values).ToList();
        Assert.Contains(courses, c => c.Status == CourseStatus.Planned);
        Assert.Contains(courses, c => c.Status == CourseStatus.Active);
        Assert.Contains(courses, c => c.Status == CourseStatus.Paused && c.PausedByReactionId is not null);
        Assert.Contains(courses, c => c.Status == CourseStatus.Completed && c.MaintenanceDueOn > day);
        Assert.Contains(courses, c => c.Status == CourseStatus.Completed && c.MaintenanceDueOn > day && c.MaintenanceDueOn <= day.AddDays(28));
        Assert.Contains(courses, c => c.Status == CourseStatus.Completed && c.MaintenanceDueOn < day);
        Assert.Contains(courses, c => c.Status == CourseStatus.Completed && c.MaintenanceSessions.Any());
        Assert.Contains(courses, c => c.Status == CourseStatus.Cancelled);
        Assert.Contains(records, r => r.Consultations.Values.Any(c => c.Outcome == ConsultationOutcome.Decline));
        Assert.Contains(records, r => r.Reactions.Values.Any(x => x.IsResolved));
        // Traceability: every session names its cartridge and pen, a numbed one its cream, each by lot; consents carry evidence.
        var sessions = courses.SelectMany(c => c.Sessions).ToList();
        Assert.All(sessions, s => Assert.NotNull(s.NeedleCartridge?.Lot));
        Assert.All(sessions, s => Assert.NotNull(s.Device?.Serial));
        Assert.All(sessions, s => Assert.Equal(s.NumbingCreamApplied, s.NumbingCream?.Lot is not null));
        Assert.All(records.SelectMany(r => r.Consents), c => Assert.NotNull(c.Evidence?.DocumentSha256));
        // The skin's evolution: baselines, healing checks, and outcomes that mostly improve on the baseline and now and then worsen.
        var assessments = records.SelectMany(r => r.Assessments).ToList();
        Assert.All(Enum.GetValues<AssessmentKind>(), kind => Assert.Contains(assessments, a => a.Kind == kind));
        var outcomes = result.Clients.SelectMany(c => c.Events).Select(e => e.Data).OfType<SkinAssessed>().Select(a => a.Outcome).OfType<CourseOutcome>().ToList();
        Assert.Contains(outcomes, o => o.Changes.Any(c => c.Change < 0));

        // The whole story lies in the past, within about 18 months; only a booking may look ahead.
        Assert.All(records, r => Assert.InRange(r.RegisteredAt, today.AddMonths(-19), today));
        Assert.All(courses.SelectMany(c => c.Sessions), s => Assert.InRange(s.PerformedAt, today.AddMonths(-19), today));
    }

    [Fact]
    public async Task A_second_run_on_a_clinic_with_clients_adds_nothing()
    {
        var first = await DemoClinic.SeedAsync(Fixture.Store, Clinic, 5, 42, Clock.GetUtcNow(), TestContext.Current.CancellationToken);
        var events = await EventCountAsync();

        var second = await DemoClinic.SeedAsync(Fixture.Store, Clinic, 5, 7, Clock.GetUtcNow(), TestContext.Current.CancellationToken);

        Assert.False(first.Refused);
        Assert.True(second.Refused);
        Assert.Equal(5, second.ExistingClients);
        Assert.Empty(second.Clients);
        Assert.Equal(events, await EventCountAsync());
    }

    [Fact]
    public void The_same_seed_on_the_same_day_tells_the_same_stories()
    {
        var today = Clock.GetUtcNow();
        var once = DemoClinic.Write(Clinic, 40, 42, today, ClinicProtocol.Default, new Dictionary<string, int>());
        var again = DemoClinic.Write(Clinic, 40, 42, today, ClinicProtocol.Default, new Dictionary<string, int>());

        Assert.Equal(once.Select(c => (c.ClientId, c.FullName, c.Stage, c.Events.Count)), again.Select(c => (c.ClientId, c.FullName, c.Stage, c.Events.Count)));
        Assert.NotEqual(once.Select(c => c.ClientId),
            DemoClinic.Write("another-clinic", 40, 42, today, ClinicProtocol.Default, new Dictionary<string, int>()).Select(c => c.ClientId));
    }

    /// <summary>
    /// Decides again, on the record as it stood before it, the command each stored event records, and expects the
    /// decision to accept it and to produce exactly the events stored from there (its policies included).
    /// </summary>
    private static void AssertEachEventCameFromAnAcceptedDecision(IReadOnlyList<IEvent> events, DateTimeOffset today)
    {
        TreatmentRecord? record = null;
        var i = 0;
        while (i < events.Count)
        {
            var decision = Redecide(record, events[i].Data, i + 1 < events.Count ? events[i + 1].Data : null, today);
            Assert.True(decision.IsAccepted, $"{events[i].EventTypeName} at version {events[i].Version} would be refused: {decision.Violation}");
            var stored = events.Skip(i).Take(decision.Events.Count).Select(e => e.Data.GetType());
            Assert.Equal(decision.Events.Select(e => e.GetType()), stored);
            foreach (var e in events.Skip(i).Take(decision.Events.Count)) record = TreatmentRecord.Evolve(record, e.Data);
            i += decision.Events.Count;
        }
    }

    private static Decision Redecide(TreatmentRecord? record, object stored, object? following, DateTimeOffset now)
    {
        var protocol = ClinicProtocol.Default;
        if (stored is ClientRegistered registered)
            return RegisterClientDecision.Decide(new RegisterClient(registered.ClientId, registered.FullName, registered.DateOfBirth,
                registered.Email, registered.Phone, registered.RegisteredBy), registered.RegisteredAt);
        Assert.NotNull(record);

        return stored switch
        {
            MedicalScreeningRecorded s => RecordScreeningDecision.Decide(record,
                new RecordScreening(s.ScreenedAt, s.Conditions, s.KnownAllergies, s.Notes, s.By), protocol, now),
            ConsentRecorded c => RecordConsentDecision.Decide(record, new RecordConsent(c.SignedAt, c.Procedure, c.FormVersion, c.By), protocol, now),
            ConsultationBooked b => BookConsultationDecision.Decide(record,
                new BookConsultation(b.ConsultationId, b.ScheduledAt, b.PractitionerId, b.Concerns, b.By), protocol, now),
            ConsultationRescheduled r => RescheduleConsultationDecision.Decide(record,
                new RescheduleConsultation(r.ConsultationId, r.ScheduledAt, r.Reason, r.By), protocol, now),
            ConsultationCancelled c => CancelConsultationDecision.Decide(record, new CancelConsultation(c.ConsultationId, c.Reason, c.By), protocol, now),
            ConsultationCompleted c when following is CoursePlanned p => CompleteConsultationDecision.Decide(record,
                new CompleteConsultation(c.ConsultationId, p.CourseId, c.CompletedAt, c.PractitionerId, ConsultationOutcome.Plan, c.Concerns,
                    new CoursePlan(p.Areas, p.Serum, p.PlannedSessions), null, c.By), protocol, now),
            ConsultationCompleted c when following is TreatmentDeclined d => CompleteConsultationDecision.Decide(record,
                new CompleteConsultation(c.ConsultationId, Guid.Empty, c.CompletedAt, c.PractitionerId, ConsultationOutcome.Decline, c.Concerns,
                    null, d.Reason, c.By), protocol, now),
            SessionRecorded s => RecordSessionDecision.Decide(record,
                new RecordSession(s.CourseId, s.SessionId, s.PerformedAt, s.PractitionerId, s.Areas, s.Serum, s.NumbingCreamApplied,
                    s.CalmingMaskApplied, s.SpfApplied, s.Notes, s.By), protocol, now),
            MaintenanceSessionRecorded s => RecordMaintenanceSessionDecision.Decide(record,
                new RecordMaintenanceSession(s.CourseId, s.SessionId, s.PerformedAt, s.PractitionerId, s.Areas, s.Serum, s.NumbingCreamApplied,
                    s.CalmingMaskApplied, s.SpfApplied, s.Notes, s.By), protocol, now),
            ReactionReported r => ReportReactionDecision.Decide(record,
                new ReportReaction(r.ReactionId, r.OccurredAt, r.Kind, r.Severity, r.SessionId, r.SuspectedProduct, r.Notes, r.By), protocol, now),
            ReactionResolved r => ResolveReactionDecision.Decide(record, new ResolveReaction(r.ReactionId, r.ResolvedAt, r.Outcome, r.By), protocol, now),
            CourseResumed r => ResumeCourseDecision.Decide(record, new ResumeCourse(r.CourseId, r.Reason, r.By), protocol, now),
            CoursePaused { Automatic: false } p => PauseCourseDecision.Decide(record, new PauseCourse(p.CourseId, p.Reason, p.By), protocol, now),
            CourseCancelled c => CancelCourseDecision.Decide(record, new CancelCourse(c.CourseId, c.Reason, c.By), protocol, now),
            SkinAssessed a => RecordSkinAssessmentDecision.Decide(record, new RecordSkinAssessment(a.AssessmentId, a.AssessedAt, a.Kind,
                a.Kind == AssessmentKind.HealingCheck ? null : a.CourseId, a.SessionId, a.AssessorId, a.Scores, a.PhotoIds, a.Notes, a.By), protocol, now),
            // Anything else is a policy's consequence, which the decision before it must have produced.
            _ => Decision.Refuse("not-a-command", $"{stored.GetType().Name} stands where a command's first event should."),
        };
    }
}
