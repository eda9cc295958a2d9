using Courses.Domain.Courses;
using Courses.Domain.Sessions;
using Courses.Domain.Tests.Support;
using static Courses.Domain.Tests.Support.Make;
using static Courses.Domain.Tests.Support.Scenario;

namespace Courses.Domain.Tests;

public class CourseLifecycleTests
{
    private static readonly DateTimeOffset Day1 = Day0.AddDays(1);

    private static Decision Pause(Scenario s, Guid course) =>
        PauseCourseDecision.Decide(s.Record, new PauseCourse(course, "Holiday", By), s.Protocol, Day1);

    private static Decision Resume(Scenario s, Guid course) =>
        ResumeCourseDecision.Decide(s.Record, new ResumeCourse(course, "Back from holiday", By), s.Protocol, Day1);

    private static Decision Cancel(Scenario s, Guid course) =>
        CancelCourseDecision.Decide(s.Record, new CancelCourse(course, "Moved away", By), s.Protocol, Day1);

    [Fact]
    public void The_first_session_makes_a_planned_course_active_and_sets_the_next_due_date()
    {
        var s = WithCourse(out var course);
        s.Session(course, new DateTimeOffset(2026, 1, 31, 10, 0, 0, TimeSpan.Zero));

        var progress = s.Record.Courses[course];
        Assert.Equal(CourseStatus.Active, progress.Status);
        Assert.Equal(new DateOnly(2026, 2, 28), progress.NextSessionDueOn);
        Assert.Equal(1, progress.SessionsCompleted);
    }

    [Fact]
    public void The_last_planned_session_completes_the_course_with_maintenance_due_six_months_on()
    {
        var s = WithCourse(out var course, 2);
        s.Session(course, Day1);
        var command = Session(course, Day1.AddDays(28), Face(0.75m));

        Canonical.EventsEqual(
        [
            new SessionRecorded(s.Record.Id, course, command.SessionId, 2, command.PerformedAt, Practitioner, [Face(0.75m)], SerumA,
                false, true, true, null, 0, [], null, By, HealedOn: new DateOnly(2026, 2, 7)),
            new CourseCompleted(s.Record.Id, course, command.PerformedAt, new DateOnly(2026, 8, 3), By),
        ], s.TrySession(command));
        s.Session(command);
        Assert.Equal(CourseStatus.Completed, s.Record.Courses[course].Status);
        Assert.Null(s.Record.Courses[course].NextSessionDueOn);
        Assert.Equal(new DateOnly(2026, 8, 3), s.Record.Courses[course].MaintenanceDueOn);
    }

    [Fact]
    public void A_session_before_the_last_does_not_complete_the_course()
    {
        var s = WithCourse(out var course, 3);
        var command = Session(course, Day1);

        Canonical.EventsEqual(
            [new SessionRecorded(s.Record.Id, course, command.SessionId, 1, Day1, Practitioner, [Face(0.5m)], SerumA,
                false, true, true, null, 0, [], new DateOnly(2026, 2, 6), By, HealedOn: new DateOnly(2026, 1, 8))],
            s.TrySession(command));
    }

    [Fact]
    public void A_maintenance_session_is_numbered_on_its_own_and_moves_maintenance_due()
    {
        var s = WithCourse(out var course, 1);
        s.Session(course, Day1);
        var first = Maintenance(course, Day1.AddMonths(6), Face(0.75m));

        Canonical.EventsEqual(
            [new MaintenanceSessionRecorded(s.Record.Id, course, first.SessionId, 1, first.PerformedAt, Practitioner, [Face(0.75m)],
                SerumA, false, true, true, null, 0, [], new DateOnly(2027, 1, 6), By, HealedOn: new DateOnly(2026, 7, 10))],
            s.TryMaintenance(first));
        s.Given(s.TryMaintenance(first));
        var second = Maintenance(course, Day1.AddMonths(12), Face(1.0m));
        var decision = s.TryMaintenance(second);

        Assert.Equal(2, Assert.IsType<MaintenanceSessionRecorded>(decision.Events.Single()).SessionNumber);
        s.Given(decision);
        Assert.Equal(new DateOnly(2027, 7, 6), s.Record.Courses[course].MaintenanceDueOn);
        Assert.Equal(CourseStatus.Completed, s.Record.Courses[course].Status);
        Assert.Equal(second.SessionId, s.Record.LatestSession!.SessionId);
    }

    [Fact]
    public void Maintenance_escalation_counts_from_the_courses_latest_session_on_that_area()
    {
        var s = WithCourse(out var course, 1);
        s.Session(course, Day1, Face(0.5m));

        Canonical.Accepted(s.TryMaintenance(Maintenance(course, Day1.AddMonths(6), Face(1.0m))));
        Canonical.Refused(RuleCodes.EscalationTooSteep, s.TryMaintenance(Maintenance(course, Day1.AddMonths(6), Face(1.05m))));
    }

    [Fact]
    public void Maintenance_is_only_for_a_completed_course()
    {
        var s = WithCourse(out var course, 2);
        s.Session(course, Day1);

        Canonical.Refused(RuleCodes.MaintenanceNotAllowed, s.TryMaintenance(Maintenance(course, Day1.AddDays(28))));
        s.Given(Cancel(s, course));
        Canonical.Refused(RuleCodes.MaintenanceNotAllowed, s.TryMaintenance(Maintenance(course, Day1.AddDays(28))));
    }

    [Fact]
    public void Maintenance_waits_for_healing_but_not_for_the_course_interval()
    {
        var s = WithCourse(out var course, 1, Start(Area.Face, 1.0m));
        s.Session(course, Day1, Face(1.0m));

        Canonical.Refused(RuleCodes.TooSoon, s.TryMaintenance(Maintenance(course, Day1.AddDays(3))));
        Canonical.Accepted(s.TryMaintenance(Maintenance(course, Day1.AddDays(4))));
    }

    [Fact]
    public void Maintenance_is_blocked_by_contraindications()
    {
        var s = WithCourse(out var course, 1);
        s.Session(course, Day1);
        s.Screened(Day1.AddMonths(5), Condition.ActiveSkinInfection);

        Canonical.Refused(RuleCodes.Contraindicated, s.TryMaintenance(Maintenance(course, Day1.AddMonths(6))));
    }

    [Fact]
    public void Pausing_and_resuming_a_planned_course_brings_it_back_to_planned()
    {
        var s = WithCourse(out var course);

        Canonical.EventsEqual([new CoursePaused(s.Record.Id, course, "Holiday", false, null, Day1, By)], Pause(s, course));
        s.Given(Pause(s, course));
        Canonical.EventsEqual([new CourseResumed(s.Record.Id, course, "Back from holiday", Day1, By)], Resume(s, course));
        s.Given(Resume(s, course));
        Assert.Equal(CourseStatus.Planned, s.Record.Courses[course].Status);
    }

    [Theory]
    [InlineData(0, CourseStatus.Planned)]
    [InlineData(1, CourseStatus.Active)]
    public void A_resumed_course_is_active_from_its_first_course_session(int sessionsCompleted, CourseStatus expected)
    {
        Assert.Equal(expected, ResumeCourseDecision.StatusOnResume(sessionsCompleted));
    }

    [Fact]
    public void Resuming_an_active_course_brings_it_back_to_active()
    {
        var s = WithCourse(out var course);
        s.Session(course, Day1);
        s.Given(Pause(s, course)).Given(Resume(s, course));

        Assert.Equal(CourseStatus.Active, s.Record.Courses[course].Status);
    }

    [Fact]
    public void A_paused_course_cannot_be_paused_again_and_a_running_one_cannot_be_resumed()
    {
        var s = WithCourse(out var course);

        Canonical.Refused(RuleCodes.CourseNotPaused, Resume(s, course));
        s.Given(Pause(s, course));
        Canonical.Refused(RuleCodes.CoursePaused, Pause(s, course));
    }

    [Fact]
    public void A_course_paused_by_a_reaction_resumes_only_once_it_is_resolved()
    {
        var s = WithCourse(out var course);
        var reaction = s.Reaction(Day0.AddHours(1), ReactionKind.Bleeding, Severity.Severe);

        Canonical.Refused(RuleCodes.UnresolvedReaction, Resume(s, course));
        s.Resolved(reaction, Day0.AddHours(5));
        Canonical.Accepted(Resume(s, course));
    }

    [Fact]
    public void Completed_and_cancelled_courses_cannot_be_paused_cancelled_or_resumed()
    {
        var s = WithCourse(out var completed, 1);
        s.Session(completed, Day0.AddHours(1));
        var cancelled = s.PlannedCourse(Day0, null, Start(Area.Face, 0.5m));
        s.Given(Cancel(s, cancelled));

        foreach (var course in new[] { completed, cancelled })
        {
            Canonical.Refused(RuleCodes.CourseNotActive, Pause(s, course));
            Canonical.Refused(RuleCodes.CourseNotActive, Cancel(s, course));
            Canonical.Refused(RuleCodes.CourseNotPaused, Resume(s, course));
        }
    }

    [Fact]
    public void A_paused_course_can_be_cancelled()
    {
        var s = WithCourse(out var course);
        s.Given(Pause(s, course));

        Canonical.EventsEqual([new CourseCancelled(s.Record.Id, course, "Moved away", Day1, By)], Cancel(s, course));
        s.Given(Cancel(s, course));
        Assert.Equal(CourseStatus.Cancelled, s.Record.Courses[course].Status);
    }

    [Fact]
    public void Unknown_courses_are_not_found()
    {
        var s = WithCourse(out _);
        var unknown = Guid.NewGuid();

        Canonical.Refused(RuleCodes.NotFound, Pause(s, unknown));
        Canonical.Refused(RuleCodes.NotFound, Resume(s, unknown));
        Canonical.Refused(RuleCodes.NotFound, Cancel(s, unknown));
        Canonical.Refused(RuleCodes.NotFound, s.TryMaintenance(Maintenance(unknown, Day1)));
    }
}
