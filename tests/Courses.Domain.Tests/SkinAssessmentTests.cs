using Courses.Domain.Assessments;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Tests.Support;
using static Courses.Domain.Tests.Support.Make;
using static Courses.Domain.Tests.Support.Scenario;

namespace Courses.Domain.Tests;

public class SkinAssessmentTests
{
    private static readonly DateTimeOffset Day1 = Day0.AddDays(1);

    private static RecordSkinAssessment Baseline(DateTimeOffset at, params SkinScore[] scores) =>
        Assessment(AssessmentKind.Baseline, at, null, null, scores);

    private static RecordSkinAssessment HealingCheck(Guid sessionId, DateTimeOffset at, params SkinScore[] scores) =>
        Assessment(AssessmentKind.HealingCheck, at, null, sessionId, scores);

    [Theory]
    [InlineData("mMasi", 0, true)]
    [InlineData("mMasi", 24, true)]
    [InlineData("mMasi", 12.3, true)]
    [InlineData("mMasi", -0.1, false)]
    [InlineData("mMasi", 24.1, false)]
    [InlineData("mMasi", 12.35, false)]
    [InlineData("fitzpatrick", 1, true)]
    [InlineData("fitzpatrick", 6, true)]
    [InlineData("fitzpatrick", 0, false)]
    [InlineData("fitzpatrick", 7, false)]
    [InlineData("fineLines", 2.5, false)]
    [InlineData("pain", 10, true)]
    [InlineData("pain", 11, false)]
    [InlineData("vancouverScar", 13, true)]
    [InlineData("vancouverScar", 14, false)]
    public void A_score_is_accepted_at_its_scales_ends_and_on_its_steps_and_refused_past_them_or_between(string scale, double value, bool accepted)
    {
        var s = WithCourse(out _);
        var decision = s.TryAssessment(Baseline(Day0, Score(scale, (decimal)value, Area.Face)));

        if (accepted) Canonical.Accepted(decision);
        else Canonical.Refused(RuleCodes.ScoreOutOfRange, decision);
    }

    [Fact]
    public void A_score_on_a_scale_the_protocol_does_not_hold_is_refused()
    {
        var s = WithCourse(out _);

        Canonical.Refused(RuleCodes.ScaleUnknown, s.TryAssessment(Baseline(Day0, Score("fineLines", 2), Score("wrinkleDepth", 2))));
    }

    [Fact]
    public void A_scale_the_clinic_added_is_scored_like_the_rest_and_its_definition_travels_with_the_score()
    {
        var cutometer = new SkinScale("elasticityGrade", 0, 10, 0.5m, false, "clinician grade of skin recoil");
        var s = WithCourse(out _);
        s.Protocol = ClinicProtocol.Default with { Version = 3, Scales = ClinicProtocol.Default.Scales.Add(cutometer) };
        var command = Baseline(Day0, Score("elasticityGrade", 6.5m, Area.Neck));

        Canonical.EventsEqual(
        [
            new SkinAssessed(s.Record.Id, command.AssessmentId, Day0, AssessmentKind.Baseline, null, null, Practitioner,
                command.Scores, [cutometer], [], null, 3, By),
        ], s.TryAssessment(command));
        Canonical.Refused(RuleCodes.ScoreOutOfRange, s.TryAssessment(Baseline(Day0, Score("elasticityGrade", 6.25m))));
    }

    [Fact]
    public void A_healing_check_names_a_session_of_this_record_and_follows_it()
    {
        var s = WithCourse(out var course);
        var session = s.Session(course, Day1, Face(0.5m));

        Canonical.Refused(RuleCodes.UnknownSession, s.TryAssessment(HealingCheck(Guid.NewGuid(), Day1.AddDays(2), Score("erythema", 1))));
        Canonical.Refused(RuleCodes.UnknownSession, s.TryAssessment(HealingCheck(Guid.Empty, Day1.AddDays(2)) with { SessionId = null }));
        Canonical.Refused(RuleCodes.AssessmentBeforeSession, s.TryAssessment(HealingCheck(session, Day1.AddMinutes(-1), Score("erythema", 1))));
        Canonical.Accepted(s.TryAssessment(HealingCheck(session, Day1, Score("erythema", 1))));
    }

    [Fact]
    public void A_healing_check_takes_its_sessions_course_and_refuses_a_course_the_session_is_not_of()
    {
        var s = WithCourse(out var course);
        var other = s.PlannedCourse(Day0, null, Start(Area.Neck, 0.5m));
        var session = s.Session(course, Day1, Face(0.5m));
        var check = HealingCheck(session, Day1.AddDays(2), Score("erythema", 1, Area.Face));

        Canonical.EventsEqual(
        [
            new SkinAssessed(s.Record.Id, check.AssessmentId, check.AssessedAt, AssessmentKind.HealingCheck, course, session, Practitioner,
                check.Scores, [ClinicProtocol.Default.Scale("erythema")!], [], null, 0, By),
        ], s.TryAssessment(check));
        Canonical.Refused(RuleCodes.UnknownSession, s.TryAssessment(check with { CourseId = other }));
        Canonical.Refused(RuleCodes.UnknownCourse, s.TryAssessment(check with { CourseId = Guid.NewGuid() }));
    }

    [Fact]
    public void An_assessment_may_be_entered_late_but_not_dated_ahead()
    {
        var s = WithCourse(out _);

        Canonical.Accepted(s.TryAssessment(Baseline(Day0.AddMinutes(5), Score("fineLines", 3)), now: Day0));
        Canonical.Refused(RuleCodes.FutureTime, s.TryAssessment(Baseline(Day0.AddMinutes(5).AddSeconds(1), Score("fineLines", 3)), now: Day0));
    }

    [Fact]
    public void An_outcome_before_any_session_of_its_course_is_refused()
    {
        var s = WithCourse(out var course);
        s.Session(course, Day1, Face(0.5m));

        Canonical.Refused(RuleCodes.OutcomeBeforeSessions,
            s.TryAssessment(Assessment(AssessmentKind.Outcome, Day1.AddMinutes(-1), course, null, Score("gais", 2))));
        Canonical.Refused(RuleCodes.UnknownCourse,
            s.TryAssessment(Assessment(AssessmentKind.Outcome, Day1.AddDays(2), null, null, Score("gais", 2))));
        Canonical.Refused(RuleCodes.UnknownCourse,
            s.TryAssessment(Assessment(AssessmentKind.Outcome, Day1.AddDays(2), Guid.NewGuid(), null, Score("gais", 2))));
        Canonical.Accepted(s.TryAssessment(Assessment(AssessmentKind.Outcome, Day1, course, null, Score("gais", 2))));
    }

    [Fact]
    public void An_outcome_measures_each_score_from_the_course_baseline_and_carries_the_course_as_analytics_group_it()
    {
        var s = WithCourse(out var course, 2, Start(Area.Face, 0.5m));
        // Before the consultation's day: not this course's baseline. The later of two baselines on one scale and area counts.
        s.Assessed(Baseline(Day0.AddDays(-1), Score("fineLines", 4, Area.Face)));
        s.Assessed(Baseline(Day0, Score("fineLines", 2, Area.Face), Score("mMasi", 8.4m)));
        s.Assessed(Baseline(Day0.AddHours(1), Score("fineLines", 3, Area.Face), Score("fitzpatrick", 2)));
        var first = s.Session(course, Day1, Face(0.5m));
        s.Assessed(Baseline(Day1.AddDays(1), Score("fineLines", 4, Area.Face)));  // after the first session: not a baseline of it
        s.Resolved(s.Reaction(Day1.AddDays(1), ReactionKind.Redness, Severity.Mild, first), Day1.AddDays(3));
        s.Session(course, Day1.AddDays(28), Face(1.0m));
        var outcome = Assessment(AssessmentKind.Outcome, Day1.AddDays(60), course, null,
            Score("gais", 2), Score("fineLines", 1, Area.Face), Score("mMasi", 9.1m), Score("poreSize", 2), Score("fitzpatrick", 2));

        Canonical.EventsEqual(
        [
            new SkinAssessed(s.Record.Id, outcome.AssessmentId, outcome.AssessedAt, AssessmentKind.Outcome, course, null, Practitioner,
                outcome.Scores, [.. new[] { "gais", "fineLines", "mMasi", "poreSize", "fitzpatrick" }.Select(n => ClinicProtocol.Default.Scale(n)!)],
                [], null, 0, By,
                new CourseOutcome(2,
                    [new ScoreChange("fineLines", Area.Face, 3, 1, -2), new ScoreChange("mMasi", null, 8.4m, 9.1m, 0.7m)],
                    new CourseFacts([new ConcernScale(Concern.FineLines, "fineLines")], 1.0m, SerumA.Product, 0, 2, 1))),
        ], s.TryAssessment(outcome));
    }

    [Fact]
    public void A_course_has_one_outcome()
    {
        var s = WithCourse(out var course);
        s.Session(course, Day1, Face(0.5m));
        s.Assessed(Assessment(AssessmentKind.Outcome, Day1.AddDays(30), course, null, Score("gais", 1)));

        Canonical.Refused(RuleCodes.AlreadyRecorded, s.TryAssessment(Assessment(AssessmentKind.Outcome, Day1.AddDays(31), course, null, Score("gais", 1))));
        Canonical.Accepted(s.TryAssessment(Assessment(AssessmentKind.Progress, Day1.AddDays(31), course, null, Score("fineLines", 1))));
    }

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, false)]
    public void Going_deeper_waits_while_the_latest_healing_check_shows_erythema_above_the_limit(int erythema, bool accepted)
    {
        var s = WithCourse(out var course);
        var first = s.Session(course, Day1, Face(0.5m));
        s.Assessed(HealingCheck(first, Day1.AddDays(3), Score("erythema", erythema, Area.Face)));

        var deeper = s.TrySession(Session(course, Day1.AddDays(28), Face(0.55m)));
        if (accepted) Canonical.Accepted(deeper);
        else Canonical.Refused(RuleCodes.StillInflamed, deeper);
        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(28), Face(0.5m))));
    }

    [Fact]
    public void The_latest_check_since_the_previous_session_decides_and_one_without_an_area_covers_every_area()
    {
        var s = WithCourse(out var course, 4, Start(Area.Face, 0.5m), Start(Area.Neck, 0.5m));
        var first = s.Session(course, Day1, Face(0.5m), new AreaDepth(Area.Neck, 0.5m));
        s.Assessed(HealingCheck(first, Day1.AddDays(2), Score("erythema", 4)));
        s.Assessed(HealingCheck(first, Day1.AddDays(6), Score("erythema", 1, Area.Face)));

        // Face calmed down by its latest check; the neck's latest is the whole-skin check of day 2.
        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(28), Face(1.0m), new AreaDepth(Area.Neck, 0.5m))));
        Canonical.Refused(RuleCodes.StillInflamed, s.TrySession(Session(course, Day1.AddDays(28), Face(1.0m), new AreaDepth(Area.Neck, 0.75m))));
        // A check dated after the session asked for is not known at that session.
        s.Assessed(HealingCheck(first, Day1.AddDays(30), Score("erythema", 0, Area.Neck)));
        Canonical.Refused(RuleCodes.StillInflamed, s.TrySession(Session(course, Day1.AddDays(29), new AreaDepth(Area.Neck, 0.75m)), now: Day1.AddDays(40)));
        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(30), new AreaDepth(Area.Neck, 0.75m)), now: Day1.AddDays(40)));
    }

    [Fact]
    public void A_check_from_before_the_previous_session_no_longer_counts()
    {
        var s = WithCourse(out var course);
        var first = s.Session(course, Day1, Face(0.5m));
        s.Assessed(HealingCheck(first, Day1.AddDays(2), Score("erythema", 4, Area.Face)));
        s.Session(course, Day1.AddDays(28), Face(0.5m));

        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(56), Face(0.75m))));
    }

    [Fact]
    public void The_erythema_limit_is_the_protocols_and_holds_for_maintenance_sessions_too()
    {
        var s = WithCourse(out var course, 1, Start(Area.Face, 0.5m));
        s.Protocol = ClinicProtocol.Default with { EscalationMaxErythema = 3 };
        var only = s.Session(course, Day1, Face(0.5m));
        s.Assessed(HealingCheck(only, Day1.AddDays(3), Score("erythema", 3, Area.Face)));
        Canonical.Accepted(s.TryMaintenance(Maintenance(course, Day1.AddDays(180), Face(0.75m))));

        s.Assessed(HealingCheck(only, Day1.AddDays(4), Score("erythema", 4, Area.Face)));
        Canonical.Refused(RuleCodes.StillInflamed, s.TryMaintenance(Maintenance(course, Day1.AddDays(180), Face(0.75m))));
        Canonical.Accepted(s.TryMaintenance(Maintenance(course, Day1.AddDays(180), Face(0.5m))));
    }

    [Fact]
    public void Without_the_protocol_switch_a_first_session_needs_no_baseline()
    {
        var s = WithCourse(out var course);

        Canonical.Accepted(s.TrySession(Session(course, Day1, Face(0.5m))));
    }

    [Fact]
    public void With_the_switch_a_first_session_needs_a_baseline_of_each_concerns_scale_since_the_consultation()
    {
        var s = Registered(ClinicProtocol.Default with { RequireBaselineAssessment = true }).Screened(Day0).Consented(Day0);
        var consultation = s.BookedConsultation(Day0, Concern.FineLines, Concern.DarkSpots);
        var course = Guid.NewGuid();
        s.Given(Consultations.CompleteConsultationDecision.Decide(s.Record,
            Make.Plan(consultation, course, Day0, new Consultations.CoursePlan([Start(Area.Face, 0.5m)], SerumA, null), Concern.FineLines, Concern.DarkSpots),
            s.Protocol, Day0));

        s.Assessed(Baseline(Day0.AddDays(-1), Score("mMasi", 6)));                   // before the consultation's day
        s.Assessed(Baseline(Day0, Score("fineLines", 2, Area.Face)));
        Canonical.Refused(RuleCodes.BaselineRequired, s.TrySession(Session(course, Day1, Face(0.5m))));

        s.Assessed(Assessment(AssessmentKind.Progress, Day0.AddHours(1), null, null, Score("mMasi", 6)));  // not a baseline
        Canonical.Refused(RuleCodes.BaselineRequired, s.TrySession(Session(course, Day1, Face(0.5m))));

        s.Assessed(Baseline(Day1.AddMinutes(1), Score("mMasi", 6)));                 // after the session asked for
        Canonical.Refused(RuleCodes.BaselineRequired, s.TrySession(Session(course, Day1, Face(0.5m)), now: Day1.AddDays(1)));

        s.Assessed(Baseline(Day1, Score("mMasi", 6)));
        Canonical.Accepted(s.TrySession(Session(course, Day1, Face(0.5m)), now: Day1.AddDays(1)));
    }

    [Fact]
    public void Only_a_courses_first_session_asks_for_a_baseline()
    {
        var s = WithCourse(out var course);
        s.Session(course, Day1, Face(0.5m));
        s.Protocol = ClinicProtocol.Default with { RequireBaselineAssessment = true };

        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(28), Face(0.5m))));
    }

    [Fact]
    public void A_protocol_may_add_a_scale_but_never_drop_or_redefine_one()
    {
        var current = ClinicProtocol.Default with { Version = 2 };
        var added = current with { Scales = current.Scales.Add(new SkinScale("texture", 0, 4, 1, true, "clinician grade of roughness")) };
        Canonical.Accepted(AdjustProtocolDecision.Decide(current, added, By, Day0));

        var widened = current with { Scales = current.Scales.Replace(current.Scale("fineLines")!, current.Scale("fineLines")! with { Max = 5 }) };
        Canonical.Refused(RuleCodes.ProtocolInvalid, AdjustProtocolDecision.Decide(current, widened, By, Day0));
        var flipped = current with { Scales = current.Scales.Replace(current.Scale("pain")!, current.Scale("pain")! with { LowerIsBetter = false }) };
        Canonical.Refused(RuleCodes.ProtocolInvalid, AdjustProtocolDecision.Decide(current, flipped, By, Day0));
        var dropped = current with { Scales = current.Scales.Remove(current.Scale("poreSize")!) };
        Canonical.Refused(RuleCodes.ProtocolInvalid, AdjustProtocolDecision.Decide(current, dropped, By, Day0));
        var reworded = current with { Scales = current.Scales.Replace(current.Scale("pain")!, current.Scale("pain")! with { Measures = "pain, 0–10" }) };
        Canonical.Accepted(AdjustProtocolDecision.Decide(current, reworded, By, Day0));
    }

    [Fact]
    public void A_protocols_scales_and_their_settings_are_validated()
    {
        Assert.Empty(ClinicProtocol.Default.Validate());
        var bad = ClinicProtocol.Default with
        {
            Scales = ClinicProtocol.Default.Scales.Add(new SkinScale("Bad Name", 0, 1, 1, true, "x")).Add(new SkinScale("offStep", 0, 1, 0.3m, true, "x")),
            OutcomeScales = ClinicProtocol.Default.OutcomeScales.SetItem(Concern.FineLines, "fitzpatrick").Remove(Concern.HairLoss),
            EscalationMaxErythema = 4.5m,
        };

        var errors = bad.Validate();
        Assert.Equal(["escalationMaxErythema", "outcomeScales", "scales"], errors.Keys.Order());
        Assert.Equal(2, errors["scales"].Length);
        Assert.Equal(2, errors["outcomeScales"].Length);
    }
}
