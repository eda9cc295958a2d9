using System.Text.Json;
using System.Text.Json.Serialization;
using Courses.Domain.Aftercare;
using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Reactions;
using Courses.Domain.Sessions;
using Courses.Domain.Tests.Support;
using static Courses.Domain.Tests.Support.Make;
using static Courses.Domain.Tests.Support.Scenario;

namespace Courses.Domain.Tests;

public class WholeCourseTests
{
    private static DateTimeOffset On(int year, int month, int day, int hour = 10) => new(year, month, day, hour, 0, 0, TimeSpan.FromHours(1));

    private static AreaDepth Forehead(decimal depth) => new(Area.Forehead, depth);

    /// <summary>
    /// Register → screen → consent → book → plan → three sessions a month apart, escalating with numbing →
    /// an allergic reaction pauses the course and records the allergy → resolve → resume → last session on another
    /// serum completes the course → maintenance six months later.
    /// </summary>
    private static Scenario WholeCourse(out Guid course)
    {
        var s = Registered();
        s.Screened(On(2026, 1, 5), Condition.ColdSoreHistory).Consented(On(2026, 1, 5));

        var consultation = s.BookedConsultation(On(2026, 1, 10), Concern.FineLines, Concern.LargePores);
        course = Guid.NewGuid();
        s.Given(CompleteConsultationDecision.Decide(s.Record, Plan(consultation, course, On(2026, 1, 10),
            new CoursePlan([Start(Area.Face, 0.75m), Start(Area.Forehead, 0.5m)], SerumA, null)), s.Protocol, On(2026, 1, 10)));
        Assert.Equal(3, s.Record.Courses[course].PlannedSessions);

        var first = s.Session(course, On(2026, 1, 12), Face(0.75m), Forehead(0.5m));
        Assert.Equal(CourseStatus.Active, s.Record.Courses[course].Status);
        Assert.Equal(new DateOnly(2026, 2, 12), s.Record.Courses[course].NextSessionDueOn);

        Canonical.Refused(RuleCodes.NumbingRequired,
            s.TrySession(Session(course, On(2026, 2, 12), Face(1.25m), Forehead(1.0m)) with { NumbingCreamApplied = false }));
        var second = s.Session(course, On(2026, 2, 12), Face(1.25m), Forehead(1.0m));

        var reaction = s.Reaction(On(2026, 2, 13), ReactionKind.AllergicReaction, Severity.Moderate, second, "hyaluronic serum a");
        Assert.Equal(CourseStatus.Paused, s.Record.Courses[course].Status);
        Assert.Equal("hyaluronic serum a", Assert.Single(s.Record.SerumAllergies).Product);
        Canonical.Refused(RuleCodes.CoursePaused, s.TrySession(Session(course, On(2026, 3, 12), Face(1.5m), Forehead(1.0m))));

        s.Resolved(reaction, On(2026, 2, 20));
        s.Given(ResumeCourseDecision.Decide(s.Record, new ResumeCourse(course, "Switching serum", By), s.Protocol, On(2026, 2, 21)));
        Assert.Equal(CourseStatus.Active, s.Record.Courses[course].Status);

        Canonical.Refused(RuleCodes.SerumAllergy, s.TrySession(Session(course, On(2026, 3, 12), Face(1.5m), Forehead(1.0m))));
        var peptide = new Serum("Peptide Serum", "P-7");
        s.Session(Session(course, On(2026, 3, 12), Face(1.5m), Forehead(1.0m)) with { Serum = peptide });
        Assert.Equal(CourseStatus.Completed, s.Record.Courses[course].Status);
        Assert.Equal(new DateOnly(2026, 9, 12), s.Record.Courses[course].MaintenanceDueOn);

        s.Given(s.TryMaintenance(Maintenance(course, On(2026, 9, 14), Face(1.5m), Forehead(1.0m)) with { Serum = peptide }));
        Assert.Equal(new DateOnly(2027, 3, 14), s.Record.Courses[course].MaintenanceDueOn);
        Assert.Equal([1, 2, 3, 1], s.Record.Courses[course].Sessions.Select(x => x.Number));
        Assert.Equal(first, s.Record.Courses[course].Sessions[0].SessionId);
        return s;
    }

    [Fact]
    public void Replaying_the_history_gives_the_record_built_step_by_step()
    {
        var s = WholeCourse(out _);

        Assert.Equal(Canonical.Json(s.Record), Canonical.Json(TreatmentRecord.Replay(s.History)));
    }

    [Fact]
    public void The_history_holds_every_event_in_the_order_decided()
    {
        var s = WholeCourse(out _);

        Assert.Equal(
        [
            "ClientRegistered", "MedicalScreeningRecorded", "ConsentRecorded", "ConsultationBooked", "ConsultationCompleted",
            "CoursePlanned", "SessionRecorded", "SessionRecorded", "ReactionReported", "CoursePaused", "SerumAllergyRecorded",
            "ReactionResolved", "CourseResumed", "SessionRecorded", "CourseCompleted", "MaintenanceSessionRecorded",
        ], s.History.Select(e => e.GetType().Name));
        Assert.All(s.History.OfType<SessionRecorded>(), e => Assert.Equal([Condition.ColdSoreHistory], e.Precautions));
    }

    [Fact]
    public void A_record_replayed_part_way_shows_the_course_as_it_stood()
    {
        var s = WholeCourse(out var course);
        var untilPaused = s.History.TakeWhile(e => e is not ReactionResolved);

        var then = TreatmentRecord.Replay(untilPaused)!;

        Assert.Equal(CourseStatus.Paused, then.Courses[course].Status);
        Assert.Single(then.UnresolvedReactions);
        Assert.Equal(2, then.Courses[course].SessionsCompleted);
    }

    [Fact]
    public void The_record_survives_a_json_round_trip_as_a_stored_snapshot()
    {
        var s = WholeCourse(out _);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

        var restored = JsonSerializer.Deserialize<TreatmentRecord>(JsonSerializer.Serialize(s.Record, options), options);

        Assert.Equal(Canonical.Json(s.Record), Canonical.Json(restored));
    }

    [Fact]
    public void Events_survive_a_json_round_trip()
    {
        var s = WholeCourse(out _);
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

        var restored = s.History.Select(e => JsonSerializer.Deserialize(JsonSerializer.Serialize(e, e.GetType(), options), e.GetType(), options)!);

        Assert.Equal(Canonical.Events(s.History), Canonical.Events(restored));
    }

    [Fact]
    public void The_last_sessions_aftercare_runs_from_its_day()
    {
        var s = WholeCourse(out _);
        var latest = s.Record.LatestSession!;

        var plan = AftercarePlan.For(latest.PerformedAt, s.Protocol);

        Assert.Equal(new DateOnly(2026, 9, 17), plan.Single(i => i.Kind == AftercarePlan.Hygiene).Until);
        Assert.Equal(7, s.Protocol.HealingDays(latest.DeepestDepthMm));
    }
}
