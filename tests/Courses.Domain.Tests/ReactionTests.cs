using Courses.Domain.Courses;
using Courses.Domain.Reactions;
using Courses.Domain.Tests.Support;
using static Courses.Domain.Tests.Support.Make;
using static Courses.Domain.Tests.Support.Scenario;

namespace Courses.Domain.Tests;

public class ReactionTests
{
    private static readonly DateTimeOffset Day1 = Day0.AddDays(1);

    /// <summary>Three courses: one active, one planned, one completed (which a reaction must leave alone).</summary>
    private static Scenario ThreeCourses(out Guid active, out Guid planned, out Guid completed, out Guid session)
    {
        var s = WithCourse(out completed, 1);
        s.Session(completed, Day0.AddHours(1));
        active = s.PlannedCourse(Day0.AddHours(2), null, Start(Area.Face, 0.5m));
        session = s.Session(active, Day1.AddDays(2));
        planned = s.PlannedCourse(Day1.AddDays(3), null, Start(Area.Neck, 0.5m));
        return s;
    }

    [Theory]
    [InlineData(ReactionKind.Infection, Severity.Mild)]
    [InlineData(ReactionKind.Bruising, Severity.Severe)]
    public void An_infection_or_any_severe_reaction_pauses_every_planned_or_active_course(ReactionKind kind, Severity severity)
    {
        var s = ThreeCourses(out var active, out var planned, out _, out var session);
        var at = Day1.AddDays(4);
        var command = Reaction(at, kind, severity, session);
        var now = at.AddHours(2);

        var reason = $"Paused automatically: {severity.ToString().ToLowerInvariant()} {kind.ToString().ToLowerInvariant()} on 2026-01-10.";
        Canonical.EventsEqual(
        [
            // Two days after a 0.5 mm session, the day it has healed: past its window.
            new ReactionReported(s.Record.Id, command.ReactionId, at, kind, severity, session, active, null, null, By,
                new SessionFacts(Day1.AddDays(2), 0.5m, SerumA.Product, SerumA.Lot, Practitioner, NumbingCreamApplied: false), new HealingOf(null)),
            new CoursePaused(s.Record.Id, active, reason, true, command.ReactionId, now, By),
            new CoursePaused(s.Record.Id, planned, reason, true, command.ReactionId, now, By),
        ], s.TryReaction(command, now));
    }

    [Fact]
    public void A_moderate_ordinary_reaction_pauses_nothing()
    {
        var s = ThreeCourses(out _, out _, out _, out var session);
        var command = Reaction(Day1.AddDays(4), ReactionKind.Redness, Severity.Moderate, session);

        Canonical.EventsEqual(
            [new ReactionReported(s.Record.Id, command.ReactionId, command.OccurredAt, ReactionKind.Redness, Severity.Moderate, session,
                s.Record.SessionCourse(session)!.Id, null, null, By,
                new SessionFacts(Day1.AddDays(2), 0.5m, SerumA.Product, SerumA.Lot, Practitioner, NumbingCreamApplied: false), new HealingOf(null))],
            s.TryReaction(command));
    }

    [Fact]
    public void An_allergic_reaction_naming_a_serum_pauses_courses_and_records_the_allergy()
    {
        var s = WithCourse(out var course);
        var session = s.Session(course, Day1);
        var command = Reaction(Day1.AddHours(5), ReactionKind.AllergicReaction, Severity.Moderate, session, "  Hyaluronic Serum A ");

        Canonical.EventsEqual(
        [
            new ReactionReported(s.Record.Id, command.ReactionId, command.OccurredAt, ReactionKind.AllergicReaction, Severity.Moderate,
                session, course, "Hyaluronic Serum A", null, By,
                new SessionFacts(Day1, 0.5m, SerumA.Product, SerumA.Lot, Practitioner, NumbingCreamApplied: false), new HealingOf(session)),
            new CoursePaused(s.Record.Id, course, "Paused automatically: moderate allergic reaction on 2026-01-06.", true,
                command.ReactionId, command.OccurredAt, By),
            new SerumAllergyRecorded(s.Record.Id, "Hyaluronic Serum A", command.ReactionId, command.OccurredAt, By),
        ], s.TryReaction(command));
    }

    [Fact]
    public void An_allergy_already_recorded_is_not_recorded_twice()
    {
        var s = WithCourse(out var course);
        var first = s.Reaction(Day0.AddHours(1), ReactionKind.AllergicReaction, Severity.Mild, product: "Serum B");
        s.Resolved(first, Day0.AddHours(2));
        var command = Reaction(Day0.AddHours(3), ReactionKind.AllergicReaction, Severity.Mild, product: "serum b");

        var decision = s.TryReaction(command);

        Canonical.Accepted(decision);
        Assert.DoesNotContain(decision.Events, e => e is SerumAllergyRecorded);
        Assert.Single(s.Record.SerumAllergies);
    }

    [Fact]
    public void An_allergic_reaction_without_a_product_pauses_but_records_no_allergy()
    {
        var s = WithCourse(out var course);
        var command = Reaction(Day0.AddHours(1), ReactionKind.AllergicReaction, Severity.Mild);

        var decision = s.TryReaction(command);

        Assert.Equal(["ReactionReported", "CoursePaused"], decision.Events.Select(e => e.GetType().Name));
    }

    [Fact]
    public void A_suspected_product_on_another_kind_of_reaction_is_not_an_allergy()
    {
        var s = WithCourse(out _);

        var decision = s.TryReaction(Reaction(Day0.AddHours(1), ReactionKind.Redness, Severity.Mild, product: "Serum B"));

        Assert.Equal(["ReactionReported"], decision.Events.Select(e => e.GetType().Name));
    }

    [Fact]
    public void An_automatic_pause_is_visible_on_the_course()
    {
        var s = WithCourse(out var course);
        var reaction = s.Reaction(Day0.AddHours(1), ReactionKind.Infection, Severity.Mild);

        Assert.Equal(CourseStatus.Paused, s.Record.Courses[course].Status);
        Assert.Equal(reaction, s.Record.Courses[course].PausedByReactionId);
    }

    [Fact]
    public void A_reaction_naming_a_session_the_record_lacks_is_refused()
    {
        var s = WithCourse(out _);

        Canonical.Refused(RuleCodes.UnknownSession, s.TryReaction(Reaction(Day0, ReactionKind.Pain, Severity.Mild, Guid.NewGuid())));
    }

    [Fact]
    public void A_reaction_before_the_session_it_followed_is_refused()
    {
        var s = WithCourse(out var course);
        var session = s.Session(course, Day1);

        Canonical.Refused(RuleCodes.ReactionBeforeSession,
            s.TryReaction(Reaction(Day1.AddSeconds(-1), ReactionKind.Pain, Severity.Mild, session), now: Day1));
        Canonical.Accepted(s.TryReaction(Reaction(Day1, ReactionKind.Pain, Severity.Mild, session)));
    }

    [Fact]
    public void A_reaction_at_most_5_minutes_ahead_is_accepted_a_second_more_is_future_time()
    {
        var s = WithCourse(out _);

        Canonical.Accepted(s.TryReaction(Reaction(Day0.AddMinutes(5), ReactionKind.Pain, Severity.Mild), now: Day0));
        Canonical.Refused(RuleCodes.FutureTime, s.TryReaction(Reaction(Day0.AddMinutes(5).AddSeconds(1), ReactionKind.Pain, Severity.Mild), now: Day0));
    }

    [Fact]
    public void A_reused_reaction_id_is_refused()
    {
        var s = WithCourse(out _);
        var id = s.Reaction(Day0, ReactionKind.Pain, Severity.Mild);

        Canonical.Refused(RuleCodes.AlreadyRecorded, s.TryReaction(Reaction(Day0, ReactionKind.Pain, Severity.Mild) with { ReactionId = id }));
    }

    [Fact]
    public void Resolving_records_when_and_how()
    {
        var s = WithCourse(out _);
        var id = s.Reaction(Day0, ReactionKind.Redness, Severity.Mild);

        var decision = ResolveReactionDecision.Decide(s.Record, new ResolveReaction(id, Day0.AddDays(2), "Faded", By), s.Protocol, Day0.AddDays(3));

        Canonical.EventsEqual([new ReactionResolved(s.Record.Id, id, Day0.AddDays(2), "Faded", By)], decision);
        s.Given(decision);
        Assert.Empty(s.Record.UnresolvedReactions);
    }

    [Fact]
    public void A_reaction_is_resolved_once_not_before_it_occurred_and_not_in_the_future()
    {
        var s = WithCourse(out _);
        var id = s.Reaction(Day0, ReactionKind.Redness, Severity.Mild);
        Decision Resolve(DateTimeOffset at, DateTimeOffset now) =>
            ResolveReactionDecision.Decide(s.Record, new ResolveReaction(id, at, null, By), s.Protocol, now);

        Canonical.Refused(RuleCodes.ResolvedBeforeReported, Resolve(Day0.AddSeconds(-1), Day0));
        Canonical.Accepted(Resolve(Day0, Day0));
        Canonical.Refused(RuleCodes.FutureTime, Resolve(Day0.AddMinutes(5).AddSeconds(1), Day0));
        Canonical.Accepted(Resolve(Day0.AddMinutes(5), Day0));
        s.Resolved(id, Day0.AddHours(1));
        Canonical.Refused(RuleCodes.ReactionAlreadyResolved, Resolve(Day0.AddHours(2), Day0.AddHours(2)));
        Canonical.Refused(RuleCodes.NotFound, ResolveReactionDecision.Decide(s.Record,
            new ResolveReaction(Guid.NewGuid(), Day0, null, By), s.Protocol, Day0));
    }

    private static readonly HealingWindow First = new(Guid.NewGuid(), Day0, DateOnly.FromDateTime(Day0.UtcDateTime).AddDays(5));
    private static readonly HealingWindow Second = new(Guid.NewGuid(), Day0.AddDays(2), DateOnly.FromDateTime(Day0.UtcDateTime).AddDays(4));

    [Fact]
    public void A_reaction_followed_the_session_it_names_even_when_a_later_one_was_performed()
    {
        Assert.Equal(First.SessionId, HealingWindow.SessionFollowedBy(First.SessionId, Day0.AddDays(3), [First, Second]));
    }

    [Fact]
    public void A_reaction_naming_no_session_followed_the_latest_performed_at_or_before_it()
    {
        Assert.Equal(First.SessionId, HealingWindow.SessionFollowedBy(null, Day0, [First, Second]));
        Assert.Equal(First.SessionId, HealingWindow.SessionFollowedBy(null, Day0.AddDays(2).AddTicks(-1), [First, Second]));
        Assert.Equal(Second.SessionId, HealingWindow.SessionFollowedBy(null, Day0.AddDays(2), [First, Second]));
        Assert.Null(HealingWindow.SessionFollowedBy(null, Day0.AddTicks(-1), [First, Second]));
    }

    [Fact]
    public void A_reaction_follows_a_session_only_before_the_day_it_has_healed()
    {
        Assert.Equal(Second.SessionId, HealingWindow.SessionFollowedBy(null, Day0.AddDays(3), [First, Second]));
        Assert.Null(HealingWindow.SessionFollowedBy(null, Day0.AddDays(4), [First, Second]));
        Assert.Null(HealingWindow.SessionFollowedBy(First.SessionId, Day0.AddDays(5), [First, Second]));
    }

    [Fact]
    public void A_reaction_follows_no_session_that_is_unknown_or_kept_no_healing_day()
    {
        Assert.Null(HealingWindow.SessionFollowedBy(Guid.NewGuid(), Day0.AddDays(1), [First, Second]));
        Assert.Null(HealingWindow.SessionFollowedBy(null, Day0.AddDays(1), [First with { HealedOn = null }]));
    }

    [Fact]
    public void The_healing_window_ends_at_midnight_on_the_clinics_calendar_not_in_the_offset_the_reaction_was_sent_with()
    {
        var auckland = TimeZoneInfo.FindSystemTimeZoneById("Pacific/Auckland");
        var session = new HealingWindow(Guid.NewGuid(), DateTimeOffset.Parse("2026-03-31T20:00:00Z"), new DateOnly(2026, 4, 5));
        // 00:30 on 5 April in Auckland (NZDT, +13), sent in UTC where it is still 4 April.
        var justHealed = DateTimeOffset.Parse("2026-04-04T11:30:00Z");
        var lastMinute = DateTimeOffset.Parse("2026-04-04T10:59:00Z");

        Assert.Null(HealingWindow.SessionFollowedBy(null, justHealed, [session], auckland));
        Assert.Equal(session.SessionId, HealingWindow.SessionFollowedBy(null, lastMinute, [session], auckland));
        Assert.Equal(session.SessionId, HealingWindow.SessionFollowedBy(null, justHealed, [session]));
    }
}
