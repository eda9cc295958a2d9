using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Sessions;
using Courses.Domain.Tests.Support;
using static Courses.Domain.Tests.Support.Make;
using static Courses.Domain.Tests.Support.Scenario;

namespace Courses.Domain.Tests;

public class SessionRuleTests
{
    private static readonly DateTimeOffset Day1 = Day0.AddDays(1);

    [Fact]
    public void Course_session_28_days_after_the_previous_is_accepted_27_is_too_soon()
    {
        var s = WithCourse(out var course);
        s.Session(course, Day1, Face(0.5m));

        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(28), Face(0.5m))));
        Canonical.Refused(RuleCodes.TooSoon, s.TrySession(Session(course, Day1.AddDays(27), Face(0.5m))));
    }

    [Fact]
    public void Minimum_days_count_calendar_days_not_hours()
    {
        var s = WithCourse(out var course);
        s.Session(course, Day1.AddHours(6), Face(0.5m));

        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(28), Face(0.5m))));
    }

    [Theory]
    [InlineData(0.5, 2)]
    [InlineData(1.0, 4)]
    [InlineData(1.5, 7)]
    [InlineData(1.55, 14)]
    public void A_session_on_another_course_waits_for_the_latest_sessions_healing_window(decimal deepest, int healingDays)
    {
        var s = WithCourse(out var first, null, Start(Area.Stomach, 2.0m));
        var second = s.PlannedCourse(Day0, null, Start(Area.Face, 0.5m));
        s.Session(first, Day1, new AreaDepth(Area.Stomach, deepest));

        Canonical.Accepted(s.TrySession(Session(second, Day1.AddDays(healingDays), Face(0.5m))));
        Canonical.Refused(RuleCodes.TooSoon, s.TrySession(Session(second, Day1.AddDays(healingDays - 1), Face(0.5m))));
    }

    [Fact]
    public void Healing_window_follows_the_protocol_bands()
    {
        var protocol = ClinicProtocol.Default with { HealingBands = [new(1.0m, 10)], HealingDaysAboveBands = 20 };
        var s = WithCourse(out var first, null, Start(Area.Face, 0.5m));
        s.Protocol = protocol;
        var second = s.PlannedCourse(Day0, null, Start(Area.Neck, 0.5m));
        s.Session(first, Day1, Face(0.5m));

        Canonical.Refused(RuleCodes.TooSoon, s.TrySession(Session(second, Day1.AddDays(9), new AreaDepth(Area.Neck, 0.5m))));
        Canonical.Accepted(s.TrySession(Session(second, Day1.AddDays(10), new AreaDepth(Area.Neck, 0.5m))));
    }

    [Fact]
    public void Depth_rising_by_the_allowed_step_is_accepted_a_step_more_is_too_steep()
    {
        var s = WithCourse(out var course);
        s.Session(course, Day1, Face(0.5m));

        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(28), Face(1.0m))));
        Canonical.Refused(RuleCodes.EscalationTooSteep, s.TrySession(Session(course, Day1.AddDays(28), Face(1.05m))));
    }

    [Fact]
    public void Escalation_counts_from_the_latest_session_that_treated_the_area()
    {
        var s = WithCourse(out var course, 4, Start(Area.Face, 0.5m), Start(Area.Thighs, 0.5m));
        s.Session(course, Day1, Face(0.5m), new AreaDepth(Area.Thighs, 0.5m));
        s.Session(course, Day1.AddDays(28), Face(1.0m));

        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(56), Face(1.5m), new AreaDepth(Area.Thighs, 1.0m))));
        Canonical.Refused(RuleCodes.EscalationTooSteep,
            s.TrySession(Session(course, Day1.AddDays(56), Face(1.0m), new AreaDepth(Area.Thighs, 1.05m))));
    }

    [Fact]
    public void Going_shallower_is_always_allowed()
    {
        var s = WithCourse(out var course, null, Start(Area.Face, 1.0m));
        s.Session(course, Day1, Face(1.0m));

        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(28), Face(0.5m))));
    }

    [Fact]
    public void First_session_at_the_planned_starting_depth_is_accepted_deeper_is_refused()
    {
        var s = WithCourse(out var course, null, Start(Area.Face, 0.75m));

        Canonical.Accepted(s.TrySession(Session(course, Day1, Face(0.75m))));
        Canonical.Refused(RuleCodes.FirstSessionTooDeep, s.TrySession(Session(course, Day1, Face(0.8m))));
    }

    [Fact]
    public void An_area_first_treated_later_in_the_course_starts_no_deeper_than_planned()
    {
        var s = WithCourse(out var course, null, Start(Area.Face, 0.5m), Start(Area.Neck, 0.5m));
        s.Session(course, Day1, Face(0.5m));

        Canonical.Refused(RuleCodes.FirstSessionTooDeep,
            s.TrySession(Session(course, Day1.AddDays(28), Face(0.5m), new AreaDepth(Area.Neck, 0.55m))));
    }

    [Fact]
    public void Depth_at_the_numbing_threshold_needs_no_cream_just_above_it_does()
    {
        var s = WithCourse(out var course, null, Start(Area.Face, 1.05m));

        Canonical.Accepted(s.TrySession(Session(course, Day1, Face(1.0m)) with { NumbingCreamApplied = false }));
        Canonical.Refused(RuleCodes.NumbingRequired, s.TrySession(Session(course, Day1, Face(1.05m)) with { NumbingCreamApplied = false }));
        Canonical.Accepted(s.TrySession(Session(course, Day1, Face(1.05m)) with { NumbingCreamApplied = true }));
    }

    [Theory]
    [InlineData(Area.Forehead, 1.0, true)]
    [InlineData(Area.Forehead, 1.05, false)]
    [InlineData(Area.UnderEye, 0.5, true)]
    [InlineData(Area.UnderEye, 0.55, false)]
    [InlineData(Area.Thighs, 2.0, true)]
    [InlineData(Area.Thighs, 2.05, false)]
    [InlineData(Area.Face, 0.5, true)]
    [InlineData(Area.Face, 0.45, false)]
    [InlineData(Area.Face, 0.55, true)]
    [InlineData(Area.Face, 0.57, false)]
    public void Session_depth_must_lie_in_the_protocol_range_resolution_and_area_maximum(Area area, decimal depth, bool accepted)
    {
        // Planned to start at the area's maximum so that only the depth rule can refuse.
        var s = WithCourse(out var course, null, Start(area, ClinicProtocol.Default.MaxDepthFor(area)));
        var decision = s.TrySession(Session(course, Day1, new AreaDepth(area, depth)));

        if (accepted) Canonical.Accepted(decision);
        else Canonical.Refused(RuleCodes.DepthOutOfRange, decision);
    }

    [Fact]
    public void Depth_refusal_says_why_in_the_clinics_words()
    {
        var s = WithCourse(out var course, null, Start(Area.Forehead, 1.0m));

        var decision = s.TrySession(Session(course, Day1, new AreaDepth(Area.Forehead, 1.2m)));

        Assert.Equal("Forehead is at most 1.0 mm under this clinic's protocol; 1.2 mm was asked.", decision.Violation!.Detail);
    }

    [Fact]
    public void Session_at_most_5_minutes_ahead_of_now_is_accepted_a_second_more_is_future_time()
    {
        var s = WithCourse(out var course);

        Canonical.Accepted(s.TrySession(Session(course, Day1.AddMinutes(5)), now: Day1));
        Canonical.Refused(RuleCodes.FutureTime, s.TrySession(Session(course, Day1.AddMinutes(5).AddSeconds(1)), now: Day1));
    }

    [Fact]
    public void Sessions_entered_late_are_accepted()
    {
        var s = WithCourse(out var course);

        Canonical.Accepted(s.TrySession(Session(course, Day1), now: Day1.AddYears(1)));
    }

    [Fact]
    public void Consent_signed_at_the_session_time_is_enough_signed_after_it_is_not()
    {
        var s = Registered().Screened(Day0);
        var course = s.PlannedCourse(Day0, null, Start(Area.Face, 0.5m));
        s.Consented(Day1.AddSeconds(1));

        Canonical.Refused(RuleCodes.ConsentRequired, s.TrySession(Session(course, Day1), now: Day1.AddDays(1)));
        Canonical.Accepted(s.TrySession(Session(course, Day1.AddSeconds(1)), now: Day1.AddDays(1)));
    }

    [Fact]
    public void Consent_for_another_procedure_does_not_count()
    {
        var s = Registered().Screened(Day0).Consented(Day0, "chemical peel");
        var course = s.PlannedCourse(Day0, null, Start(Area.Face, 0.5m));

        Canonical.Refused(RuleCodes.ConsentRequired, s.TrySession(Session(course, Day1)));
    }

    [Fact]
    public void An_absolute_contraindication_on_the_latest_screening_blocks_sessions()
    {
        var s = WithCourse(out var course);
        s.Screened(Day0.AddHours(1), Condition.Pregnancy);

        Canonical.Refused(RuleCodes.Contraindicated, s.TrySession(Session(course, Day1)));
    }

    [Fact]
    public void A_later_clear_screening_lifts_the_contraindication()
    {
        var s = WithCourse(out var course);
        s.Screened(Day0.AddHours(1), Condition.IsotretinoinCurrent).Screened(Day0.AddHours(2));

        Canonical.Accepted(s.TrySession(Session(course, Day1)));
    }

    [Fact]
    public void Precautions_allow_the_session_and_travel_with_it()
    {
        var s = WithCourse(out var course);
        s.Screened(Day0.AddHours(1), Condition.Anticoagulants, Condition.ColdSoreHistory);

        var decision = s.TrySession(Session(course, Day1));

        Canonical.Accepted(decision);
        var recorded = Assert.IsType<SessionRecorded>(decision.Events[0]);
        Assert.Equal([Condition.Anticoagulants, Condition.ColdSoreHistory], recorded.Precautions);
    }

    [Fact]
    public void An_unresolved_reaction_blocks_sessions_until_resolved()
    {
        var s = WithCourse(out var course);
        var first = s.Session(course, Day1);
        var reaction = s.Reaction(Day1.AddDays(1), ReactionKind.Redness, Severity.Mild, first);

        Canonical.Refused(RuleCodes.UnresolvedReaction, s.TrySession(Session(course, Day1.AddDays(28))));
        s.Resolved(reaction, Day1.AddDays(3));
        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(28))));
    }

    [Theory]
    [InlineData("Hyaluronic Serum A")]
    [InlineData("  hyaluronic serum a ")]
    public void A_serum_matching_a_recorded_allergy_is_refused(string product)
    {
        var s = WithCourse(out var course);
        s.Reaction(Day0.AddHours(1), ReactionKind.AllergicReaction, Severity.Mild, product: "HYALURONIC SERUM A");
        s.Resolved(s.Record.Reactions.Keys.Single(), Day0.AddHours(2));
        s.Given(CourseResumedBy(s, course));

        Canonical.Refused(RuleCodes.SerumAllergy, s.TrySession(Session(course, Day1) with { Serum = new Serum(product, "LOT-2") }));
        Canonical.Accepted(s.TrySession(Session(course, Day1) with { Serum = new Serum("Peptide Serum", "LOT-3") }));
    }

    [Fact]
    public void A_serum_named_among_the_screenings_known_allergies_is_refused()
    {
        var s = WithCourse(out var course);
        s.ScreenedWithAllergies(Day0.AddHours(1), "peptide serum");

        Canonical.Refused(RuleCodes.SerumAllergy, s.TrySession(Session(course, Day1) with { Serum = new Serum(" Peptide Serum", null) }));
    }

    [Fact]
    public void A_session_on_an_area_the_plan_left_out_is_refused()
    {
        var s = WithCourse(out var course);

        Canonical.Refused(RuleCodes.AreaNotPlanned, s.TrySession(Session(course, Day1, new AreaDepth(Area.Neck, 0.5m))));
    }

    [Fact]
    public void A_session_without_areas_or_naming_one_twice_is_refused()
    {
        var s = WithCourse(out var course);

        Canonical.Refused(RuleCodes.AreasInvalid, s.TrySession(Session(course, Day1) with { Areas = [] }));
        Canonical.Refused(RuleCodes.AreasInvalid, s.TrySession(Session(course, Day1, Face(0.5m), Face(0.5m))));
    }

    [Fact]
    public void A_session_dated_before_the_latest_one_on_the_record_is_out_of_order()
    {
        var s = WithCourse(out var first);
        var second = s.PlannedCourse(Day0, null, Start(Area.Face, 0.5m));
        s.Session(first, Day1.AddDays(10));

        Canonical.Refused(RuleCodes.OutOfOrder, s.TrySession(Session(second, Day1.AddDays(10).AddSeconds(-1))));
    }

    [Fact]
    public void Sessions_on_a_paused_course_are_refused()
    {
        var s = WithCourse(out var course);
        s.Given(PauseCourseDecision.Decide(s.Record, new PauseCourse(course, "Holiday", By), s.Protocol, Day0));

        Canonical.Refused(RuleCodes.CoursePaused, s.TrySession(Session(course, Day1)));
    }

    [Fact]
    public void Sessions_on_a_completed_or_cancelled_course_are_refused()
    {
        var s = WithCourse(out var completed, 1);
        s.Session(completed, Day1);
        var cancelled = s.PlannedCourse(Day0, null, Start(Area.Face, 0.5m));
        s.Given(CancelCourseDecision.Decide(s.Record, new CancelCourse(cancelled, "Moved away", By), s.Protocol, Day0));

        Canonical.Refused(RuleCodes.CourseNotActive, s.TrySession(Session(completed, Day1.AddDays(28))));
        Canonical.Refused(RuleCodes.CourseNotActive, s.TrySession(Session(cancelled, Day1.AddDays(28))));
    }

    [Fact]
    public void Unknown_course_and_reused_session_id_are_refused()
    {
        var s = WithCourse(out var course);
        var first = s.Session(course, Day1);

        Canonical.Refused(RuleCodes.NotFound, s.TrySession(Session(Guid.NewGuid(), Day1.AddDays(28))));
        Canonical.Refused(RuleCodes.AlreadyRecorded, s.TrySession(Session(course, Day1.AddDays(28)) with { SessionId = first }));
    }

    [Fact]
    public void Status_is_checked_before_time_and_time_before_clinical_rules()
    {
        var s = WithCourse(out var course);
        s.Given(PauseCourseDecision.Decide(s.Record, new PauseCourse(course, "Holiday", By), s.Protocol, Day0));
        var everythingWrong = Session(course, Day1.AddDays(1), new AreaDepth(Area.Neck, 3.0m)) with { NumbingCreamApplied = false };

        Canonical.Refused(RuleCodes.CoursePaused, s.TrySession(everythingWrong, now: Day0));
        s.Given(ResumeCourseDecision.Decide(s.Record, new ResumeCourse(course, "Back", By), s.Protocol, Day0));
        Canonical.Refused(RuleCodes.FutureTime, s.TrySession(everythingWrong, now: Day0));
        Canonical.Refused(RuleCodes.AreaNotPlanned, s.TrySession(everythingWrong));
    }

    [Fact]
    public void A_session_records_the_protocol_version_it_was_checked_against()
    {
        var s = WithCourse(out var course);
        s.Protocol = ClinicProtocol.Default with { Version = 7 };

        var decision = s.TrySession(Session(course, Day1));

        Assert.Equal(7, Assert.IsType<SessionRecorded>(decision.Events[0]).ProtocolVersion);
    }

    private static Decision CourseResumedBy(Scenario s, Guid course) =>
        ResumeCourseDecision.Decide(s.Record, new ResumeCourse(course, "Allergy noted, changing serum", By), s.Protocol, Day0.AddHours(3));
}
