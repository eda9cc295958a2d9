using Courses.Domain.Assessments;
using Courses.Domain.Clients;
using Courses.Domain.Consents;
using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Reactions;
using Courses.Domain.Screenings;
using Courses.Domain.Sessions;

namespace Courses.Domain.Tests.Support;

/// <summary>
/// A client's record built the way production builds it: each step calls a decision and folds what it returned.
/// Steps are entered "live": now = the step's business time unless a test says otherwise.
/// </summary>
public sealed class Scenario
{
    public const string Practitioner = "practitioner-1";
    public const string By = "user-1";
    public static readonly DateTimeOffset Day0 = new(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
    public static readonly Serum SerumA = new("Hyaluronic Serum A", "LOT-1");

    private TreatmentRecord? record;

    public ClinicProtocol Protocol { get; set; } = ClinicProtocol.Default;
    public List<object> History { get; } = [];
    public TreatmentRecord Record => record ?? throw new InvalidOperationException("Register the client first.");

    public static Scenario Registered(ClinicProtocol? protocol = null)
    {
        var scenario = new Scenario { Protocol = protocol ?? ClinicProtocol.Default };
        return scenario.Given(RegisterClientDecision.Decide(
            new RegisterClient(Guid.NewGuid(), "Ada Lovelace", new DateOnly(1990, 12, 10), "ada@example.com", null, By), Day0.AddDays(-30)));
    }

    /// <summary>Registered, screened and consented on Day0, with a course planned at Day0 on the given areas.</summary>
    public static Scenario WithCourse(out Guid courseId, int? plannedSessions = null, params PlannedArea[] areas)
    {
        var scenario = Registered().Screened(Day0).Consented(Day0);
        courseId = scenario.PlannedCourse(Day0, plannedSessions, areas.Length > 0 ? areas : [Start(Area.Face, 0.5m)]);
        return scenario;
    }

    public Scenario Given(Decision decision)
    {
        Canonical.Accepted(decision);
        foreach (var e in decision.Events) Given(e);
        return this;
    }

    public Scenario Given(object @event)
    {
        var before = record is null ? null : Canonical.Json(record);
        var next = TreatmentRecord.Evolve(record, @event);
        // The store keeps fetched records in an identity map: folding must leave the old record as it was.
        if (record is not null) Assert.Equal(before, Canonical.Json(record));
        record = next;
        History.Add(@event);
        return this;
    }

    public Scenario Screened(DateTimeOffset at, params Condition[] conditions) =>
        Given(RecordScreeningDecision.Decide(Record, new RecordScreening(at, conditions, [], null, By), Protocol, at));

    public Scenario ScreenedWithAllergies(DateTimeOffset at, params string[] allergies) =>
        Given(RecordScreeningDecision.Decide(Record, new RecordScreening(at, [], allergies, null, By), Protocol, at));

    public Scenario Consented(DateTimeOffset at, string procedure = "microneedling") =>
        Given(RecordConsentDecision.Decide(Record, new RecordConsent(at, procedure, "v1", By), Protocol, at));

    public Guid BookedConsultation(DateTimeOffset scheduledAt, params Concern[] concerns)
    {
        var id = Guid.NewGuid();
        Given(BookConsultationDecision.Decide(Record,
            new BookConsultation(id, scheduledAt, Practitioner, concerns.Length > 0 ? concerns : [Concern.FineLines], By),
            Protocol, scheduledAt.AddDays(-7)));
        return id;
    }

    public Guid PlannedCourse(DateTimeOffset at, int? plannedSessions, params PlannedArea[] areas)
    {
        var consultationId = BookedConsultation(at);
        var courseId = Guid.NewGuid();
        Given(CompleteConsultationDecision.Decide(Record,
            Make.Plan(consultationId, courseId, at, new CoursePlan(areas, SerumA, plannedSessions)), Protocol, at));
        return courseId;
    }

    public Decision TrySession(RecordSession command, DateTimeOffset? now = null) =>
        RecordSessionDecision.Decide(Record, command, Protocol, now ?? command.PerformedAt);

    public Guid Session(Guid courseId, DateTimeOffset at, params AreaDepth[] areas) =>
        Session(Make.Session(courseId, at, areas));

    public Guid Session(RecordSession command)
    {
        Given(TrySession(command));
        return command.SessionId;
    }

    public Decision TryMaintenance(RecordMaintenanceSession command, DateTimeOffset? now = null) =>
        RecordMaintenanceSessionDecision.Decide(Record, command, Protocol, now ?? command.PerformedAt);

    public Decision TryReaction(ReportReaction command, DateTimeOffset? now = null) =>
        ReportReactionDecision.Decide(Record, command, Protocol, now ?? command.OccurredAt);

    public Guid Reaction(DateTimeOffset at, ReactionKind kind, Severity severity, Guid? sessionId = null, string? product = null)
    {
        var command = Make.Reaction(at, kind, severity, sessionId, product);
        Given(TryReaction(command));
        return command.ReactionId;
    }

    public Decision TryAssessment(RecordSkinAssessment command, DateTimeOffset? now = null) =>
        RecordSkinAssessmentDecision.Decide(Record, command, Protocol, now ?? command.AssessedAt);

    public Guid Assessed(RecordSkinAssessment command)
    {
        Given(TryAssessment(command));
        return command.AssessmentId;
    }

    public Scenario Resolved(Guid reactionId, DateTimeOffset at) =>
        Given(ResolveReactionDecision.Decide(Record, new ResolveReaction(reactionId, at, "settled", By), Protocol, at));

    public Scenario Resumed(Guid courseId, DateTimeOffset at) =>
        Given(ResumeCourseDecision.Decide(Record, new ResumeCourse(courseId, "Resumed", By), Protocol, at));

    public static PlannedArea Start(Area area, decimal depth) => new(area, depth);
}

/// <summary>Commands with the usual values, so a test states only what it is about.</summary>
public static class Make
{
    public static AreaDepth Face(decimal depth) => new(Area.Face, depth);

    public static RecordSession Session(Guid courseId, DateTimeOffset at, params AreaDepth[] areas) =>
        new(courseId, Guid.NewGuid(), at, Scenario.Practitioner, areas.Length > 0 ? areas : [Face(0.5m)], Scenario.SerumA,
            NumbingCreamApplied: areas.Any(a => a.DepthMm > 1.0m), CalmingMaskApplied: true, SpfApplied: true, null, Scenario.By);

    public static RecordMaintenanceSession Maintenance(Guid courseId, DateTimeOffset at, params AreaDepth[] areas) =>
        new(courseId, Guid.NewGuid(), at, Scenario.Practitioner, areas.Length > 0 ? areas : [Face(0.5m)], Scenario.SerumA,
            NumbingCreamApplied: areas.Any(a => a.DepthMm > 1.0m), CalmingMaskApplied: true, SpfApplied: true, null, Scenario.By);

    public static CompleteConsultation Plan(Guid consultationId, Guid courseId, DateTimeOffset at, CoursePlan plan, params Concern[] concerns) =>
        new(consultationId, courseId, at, Scenario.Practitioner, ConsultationOutcome.Plan, concerns, plan, null, Scenario.By);

    public static CompleteConsultation Decline(Guid consultationId, DateTimeOffset at, string reason = "Client wants to think it over") =>
        new(consultationId, Guid.NewGuid(), at, Scenario.Practitioner, ConsultationOutcome.Decline, [], null, reason, Scenario.By);

    public static RecordSkinAssessment Assessment(AssessmentKind kind, DateTimeOffset at, Guid? courseId, Guid? sessionId,
        params SkinScore[] scores) =>
        new(Guid.NewGuid(), at, kind, courseId, sessionId, Scenario.Practitioner, scores, [], null, Scenario.By);

    public static SkinScore Score(string scale, decimal value, Area? area = null) => new(scale, value, area);

    public static ReportReaction Reaction(DateTimeOffset at, ReactionKind kind, Severity severity, Guid? sessionId = null, string? product = null) =>
        new(Guid.NewGuid(), at, kind, severity, sessionId, product, null, Scenario.By);
}
