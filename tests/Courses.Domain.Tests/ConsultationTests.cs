using Courses.Domain.Consultations;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Tests.Support;
using static Courses.Domain.Tests.Support.Make;
using static Courses.Domain.Tests.Support.Scenario;

namespace Courses.Domain.Tests;

public class ConsultationTests
{
    private static readonly CoursePlan FacePlan = new([Start(Area.Face, 0.5m)], SerumA, null);

    private static Decision Complete(Scenario s, CompleteConsultation command, DateTimeOffset? now = null) =>
        CompleteConsultationDecision.Decide(s.Record, command, s.Protocol, now ?? command.CompletedAt);

    [Fact]
    public void Booking_may_lie_in_the_future_and_records_who_booked_it_and_when()
    {
        var s = Registered();
        var id = Guid.NewGuid();
        var command = new BookConsultation(id, Day0.AddMonths(2), Practitioner, [Concern.AcneScars, Concern.AcneScars], By);

        Canonical.EventsEqual(
            [new ConsultationBooked(s.Record.Id, id, Day0.AddMonths(2), Practitioner, [Concern.AcneScars], Day0, By)],
            BookConsultationDecision.Decide(s.Record, command, s.Protocol, Day0));
    }

    [Fact]
    public void A_consultation_id_already_on_the_record_is_refused()
    {
        var s = Registered();
        var id = s.BookedConsultation(Day0);

        Canonical.Refused(RuleCodes.AlreadyRecorded, BookConsultationDecision.Decide(s.Record,
            new BookConsultation(id, Day0, Practitioner, [], By), s.Protocol, Day0));
    }

    [Fact]
    public void Rescheduling_keeps_the_previous_time_and_moves_the_booking()
    {
        var s = Registered();
        var id = s.BookedConsultation(Day0);

        var decision = RescheduleConsultationDecision.Decide(s.Record,
            new RescheduleConsultation(id, Day0.AddDays(3), "Practitioner ill", By), s.Protocol, Day0.AddDays(-1));

        Canonical.EventsEqual(
            [new ConsultationRescheduled(s.Record.Id, id, Day0, Day0.AddDays(3), "Practitioner ill", Day0.AddDays(-1), By)], decision);
        s.Given(decision);
        Assert.Equal(Day0.AddDays(3), s.Record.Consultations[id].ScheduledAt);
    }

    [Fact]
    public void A_cancelled_consultation_cannot_be_rescheduled_cancelled_or_completed()
    {
        var s = Registered().Screened(Day0);
        var id = s.BookedConsultation(Day0);
        s.Given(CancelConsultationDecision.Decide(s.Record, new CancelConsultation(id, "Client cancelled", By), s.Protocol, Day0));

        Assert.Equal(ConsultationStatus.Cancelled, s.Record.Consultations[id].Status);
        Canonical.Refused(RuleCodes.ConsultationNotOpen, RescheduleConsultationDecision.Decide(s.Record,
            new RescheduleConsultation(id, Day0.AddDays(1), null, By), s.Protocol, Day0));
        Canonical.Refused(RuleCodes.ConsultationNotOpen, CancelConsultationDecision.Decide(s.Record,
            new CancelConsultation(id, "again", By), s.Protocol, Day0));
        Canonical.Refused(RuleCodes.ConsultationNotOpen, Complete(s, Plan(id, Guid.NewGuid(), Day0, FacePlan)));
    }

    [Fact]
    public void Unknown_consultations_are_not_found()
    {
        var s = Registered().Screened(Day0);
        var unknown = Guid.NewGuid();

        Canonical.Refused(RuleCodes.NotFound, RescheduleConsultationDecision.Decide(s.Record,
            new RescheduleConsultation(unknown, Day0, null, By), s.Protocol, Day0));
        Canonical.Refused(RuleCodes.NotFound, CancelConsultationDecision.Decide(s.Record,
            new CancelConsultation(unknown, "x", By), s.Protocol, Day0));
        Canonical.Refused(RuleCodes.NotFound, Complete(s, Plan(unknown, Guid.NewGuid(), Day0, FacePlan)));
    }

    [Fact]
    public void Completing_with_a_plan_records_the_assessment_and_plans_the_course()
    {
        var s = Registered().Screened(Day0);
        var consultation = s.BookedConsultation(Day0, Concern.FineLines);
        var course = Guid.NewGuid();
        var plan = new CoursePlan([Start(Area.Face, 0.5m), Start(Area.Neck, 0.5m)], new Serum(" Serum A ", " L1 "), null);

        var decision = Complete(s, Plan(consultation, course, Day0.AddHours(1), plan));

        Canonical.EventsEqual(
        [
            new ConsultationCompleted(s.Record.Id, consultation, Day0.AddHours(1), Practitioner, ConsultationOutcome.Plan, [Concern.FineLines], By),
            new CoursePlanned(s.Record.Id, course, consultation, [Concern.FineLines], [Start(Area.Face, 0.5m), Start(Area.Neck, 0.5m)],
                new Serum("Serum A", "L1"), 3, Practitioner, 0, Day0.AddHours(1), By),
        ], decision);
        s.Given(decision);
        Assert.Equal(CourseStatus.Planned, s.Record.Courses[course].Status);
        Assert.Equal(course, s.Record.Consultations[consultation].CourseId);
    }

    [Theory]
    [InlineData(new Concern[] { Concern.FineLines }, 3)]
    [InlineData(new Concern[] { Concern.StretchMarks }, 5)]
    [InlineData(new Concern[] { Concern.AcneScars }, 6)]
    [InlineData(new Concern[] { Concern.StretchMarks, Concern.AcneScars, Concern.DarkSpots }, 6)]
    public void Planned_sessions_default_to_the_largest_the_concerns_call_for(Concern[] concerns, int expected)
    {
        var s = Registered().Screened(Day0);
        var consultation = s.BookedConsultation(Day0);

        var decision = Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan, concerns));

        Assert.Equal(expected, Assert.IsType<CoursePlanned>(decision.Events[1]).PlannedSessions);
    }

    [Fact]
    public void A_clinic_that_wants_fewer_stretch_mark_sessions_than_its_default_gets_them()
    {
        var s = Registered(ClinicProtocol.Default with { StretchMarksSessionsPerCourse = 2 }).Screened(Day0);
        var consultation = s.BookedConsultation(Day0);

        var decision = Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan, Concern.StretchMarks));

        Assert.Equal(2, Assert.IsType<CoursePlanned>(decision.Events[1]).PlannedSessions);
    }

    [Fact]
    public void Concerns_default_to_those_booked()
    {
        var s = Registered().Screened(Day0);
        var consultation = s.BookedConsultation(Day0, Concern.AcneScars);

        var decision = Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan));

        Assert.Equal([Concern.AcneScars], Assert.IsType<CoursePlanned>(decision.Events[1]).Concerns);
        Assert.Equal(6, Assert.IsType<CoursePlanned>(decision.Events[1]).PlannedSessions);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(10, true)]
    [InlineData(0, false)]
    [InlineData(11, false)]
    public void Planned_sessions_must_lie_in_the_protocol_range(int sessions, bool accepted)
    {
        var s = Registered().Screened(Day0);
        var consultation = s.BookedConsultation(Day0);

        var decision = Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan with { PlannedSessions = sessions }));

        if (accepted) Canonical.Accepted(decision);
        else Canonical.Refused(RuleCodes.PlannedSessionsOutOfRange, decision);
    }

    [Fact]
    public void A_screening_exactly_12_months_old_is_enough_a_second_older_is_not()
    {
        var s = Registered().Screened(Day0);
        var consultation = s.BookedConsultation(Day0);
        var at = Day0.AddMonths(12);

        Canonical.Accepted(Complete(s, Plan(consultation, Guid.NewGuid(), at, FacePlan)));
        Canonical.Refused(RuleCodes.ScreeningRequired, Complete(s, Plan(consultation, Guid.NewGuid(), at.AddSeconds(1), FacePlan)));
        Canonical.Refused(RuleCodes.ScreeningRequired, Complete(s, Decline(consultation, at.AddSeconds(1))));
    }

    [Fact]
    public void Without_any_screening_a_consultation_cannot_be_completed()
    {
        var s = Registered();
        var consultation = s.BookedConsultation(Day0);

        Canonical.Refused(RuleCodes.ScreeningRequired, Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan)));
    }

    [Fact]
    public void A_screening_dated_after_the_consultation_does_not_count_for_it()
    {
        var s = Registered().Screened(Day0.AddDays(1));
        var consultation = s.BookedConsultation(Day0);

        Canonical.Refused(RuleCodes.ScreeningRequired, Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan), now: Day0.AddDays(2)));
    }

    [Fact]
    public void An_absolute_contraindication_blocks_the_plan_but_not_a_decline()
    {
        var s = Registered().Screened(Day0, Condition.KeloidHistory, Condition.Anticoagulants);
        var consultation = s.BookedConsultation(Day0);

        Canonical.Refused(RuleCodes.Contraindicated, Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan)));
        Canonical.EventsEqual(
        [
            new ConsultationCompleted(s.Record.Id, consultation, Day0, Practitioner, ConsultationOutcome.Decline, [Concern.FineLines], By),
            new TreatmentDeclined(s.Record.Id, consultation, "Keloid history", Day0, By),
        ], Complete(s, Decline(consultation, Day0, "Keloid history")));
    }

    [Fact]
    public void Starting_depths_are_checked_against_the_protocol()
    {
        var s = Registered().Screened(Day0);
        var consultation = s.BookedConsultation(Day0);

        Canonical.Accepted(Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan with { Areas = [Start(Area.Forehead, 1.0m)] })));
        Canonical.Refused(RuleCodes.DepthOutOfRange,
            Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan with { Areas = [Start(Area.Forehead, 1.05m)] })));
        Canonical.Refused(RuleCodes.DepthOutOfRange,
            Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan with { Areas = [Start(Area.Face, 0.57m)] })));
    }

    [Fact]
    public void A_plan_needs_its_plan_and_distinct_areas()
    {
        var s = Registered().Screened(Day0);
        var consultation = s.BookedConsultation(Day0);

        Canonical.Refused(RuleCodes.PlanRequired, Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan) with { Plan = null }));
        Canonical.Refused(RuleCodes.AreasInvalid, Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan with { Areas = [] })));
        Canonical.Refused(RuleCodes.AreasInvalid, Complete(s, Plan(consultation, Guid.NewGuid(), Day0,
            FacePlan with { Areas = [Start(Area.Face, 0.5m), Start(Area.Face, 0.75m)] })));
    }

    [Fact]
    public void A_plan_with_a_serum_the_client_is_allergic_to_is_refused()
    {
        var s = Registered().ScreenedWithAllergies(Day0, "hyaluronic serum a");
        var consultation = s.BookedConsultation(Day0);

        Canonical.Refused(RuleCodes.SerumAllergy, Complete(s, Plan(consultation, Guid.NewGuid(), Day0, FacePlan)));
    }

    [Fact]
    public void Completion_at_most_5_minutes_ahead_is_accepted_a_second_more_is_future_time()
    {
        var s = Registered().Screened(Day0);
        var consultation = s.BookedConsultation(Day0);

        Canonical.Accepted(Complete(s, Plan(consultation, Guid.NewGuid(), Day0.AddMinutes(5), FacePlan), now: Day0));
        Canonical.Refused(RuleCodes.FutureTime, Complete(s, Plan(consultation, Guid.NewGuid(), Day0.AddMinutes(5).AddSeconds(1), FacePlan), now: Day0));
    }

    [Fact]
    public void A_course_id_already_on_the_record_is_refused()
    {
        var s = WithCourse(out var course);
        var consultation = s.BookedConsultation(Day0);

        Canonical.Refused(RuleCodes.AlreadyRecorded, Complete(s, Plan(consultation, course, Day0, FacePlan)));
    }
}
