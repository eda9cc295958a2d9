using Courses.Domain.Clients;
using Courses.Domain.Consents;
using Courses.Domain.Screenings;
using Courses.Domain.Tests.Support;
using static Courses.Domain.Tests.Support.Scenario;

namespace Courses.Domain.Tests;

public class ClientTests
{
    [Fact]
    public void Changing_contact_details_replaces_both_and_blank_removes_one()
    {
        var s = Registered();

        var decision = ChangeContactDetailsDecision.Decide(s.Record, new ChangeContactDetails(" ada@clinic.test ", " ", By), s.Protocol, Day0);

        Canonical.EventsEqual([new ContactDetailsChanged(s.Record.Id, "ada@clinic.test", null, Day0, By)], decision);
        s.Given(decision);
        Assert.Equal(("ada@clinic.test", (string?)null), (s.Record.Email, s.Record.Phone));
    }

    [Fact]
    public void Unchanged_contact_details_append_nothing()
    {
        var s = Registered();

        var decision = ChangeContactDetailsDecision.Decide(s.Record, new ChangeContactDetails(s.Record.Email, null, By), s.Protocol, Day0);

        Assert.True(decision.IsAccepted);
        Assert.Empty(decision.Events);
    }

    [Fact]
    public void Erasing_again_appends_nothing_until_contact_details_are_given_again()
    {
        var s = Registered();
        var erased = EraseContactDetailsDecision.Decide(s.Record, new EraseContactDetails("asked to be forgotten", By), s.Protocol, Day0);
        Canonical.EventsEqual([new ContactDetailsErased(s.Record.Id, Day0, "asked to be forgotten", By)], erased);
        s.Given(erased);
        Assert.Equal((ContactData.ErasedName, (string?)null, (string?)null), (s.Record.FullName, s.Record.Email, s.Record.Phone));

        var retried = EraseContactDetailsDecision.Decide(s.Record, new EraseContactDetails("asked again", By), s.Protocol, Day0.AddDays(1));
        Assert.True(retried.IsAccepted);
        Assert.Empty(retried.Events);

        // The client came back and gave a phone number; a new erasure removes it too.
        s.Given(ChangeContactDetailsDecision.Decide(s.Record, new ChangeContactDetails(null, "0700 900 123", By), s.Protocol, Day0.AddDays(2)));
        Canonical.EventsEqual([new ContactDetailsErased(s.Record.Id, Day0.AddDays(3), "asked again", By)],
            EraseContactDetailsDecision.Decide(s.Record, new EraseContactDetails("asked again", By), s.Protocol, Day0.AddDays(3)));
    }

    [Fact]
    public void A_screening_is_recorded_with_distinct_conditions_and_tidy_allergies()
    {
        var s = Registered();
        var command = new RecordScreening(Day0, [Condition.Anticoagulants, Condition.KeloidHistory, Condition.Anticoagulants],
            [" Latex ", "latex", "", "Lidocaine"], "Takes warfarin", By);

        Canonical.EventsEqual(
            [new MedicalScreeningRecorded(s.Record.Id, Day0, [Condition.KeloidHistory, Condition.Anticoagulants], ["Latex", "Lidocaine"], "Takes warfarin", By)],
            RecordScreeningDecision.Decide(s.Record, command, s.Protocol, Day0));
    }

    [Fact]
    public void The_latest_screening_is_the_latest_screened_not_the_latest_entered()
    {
        var s = Registered().Screened(Day0, Condition.Pregnancy).Screened(Day0.AddMonths(-3));

        Assert.Equal(Day0, s.Record.LatestScreening!.ScreenedAt);
        Assert.Equal(Day0.AddMonths(-3), s.Record.LatestScreeningAsOf(Day0.AddDays(-1))!.ScreenedAt);
    }

    [Fact]
    public void Of_two_screenings_at_the_same_time_the_one_recorded_later_is_in_force()
    {
        var s = Registered().Screened(Day0, Condition.Pregnancy).Screened(Day0);

        Assert.Empty(s.Record.LatestScreening!.Conditions);
        Assert.True(Screening.Replaces(Day0, Day0));
        Assert.False(Screening.Replaces(Day0.AddTicks(-1), Day0));
        Assert.True(Screening.Replaces(Day0, null));
    }

    [Theory]
    [InlineData("2026-01-05", null)]
    [InlineData("2026-01-06", "dateOfBirth: cannot lie in the future.")]
    [InlineData("1900-01-01", null)]
    [InlineData("1899-12-31", "dateOfBirth: must be on or after 1900-01-01.")]
    public void A_date_of_birth_lies_from_1900_to_today(string dateOfBirth, string? problem)
    {
        var problems = ClientDetails.Problems(DateOnly.Parse(dateOfBirth), null, DateOnly.FromDateTime(Day0.UtcDateTime));

        Assert.Equal(problem is null ? [] : [problem], problems.Select(p => $"{p.Field}: {p.Message}"));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData(" ", null)]
    [InlineData("ada@clinic.test", null)]
    [InlineData("ada.clinic.test", "email: is not an email address.")]
    public void An_email_needs_an_at_sign_when_there_is_one(string? email, string? problem)
    {
        Assert.Equal(problem is null ? [] : [problem], ClientDetails.EmailProblems(email).Select(p => $"{p.Field}: {p.Message}"));
    }

    [Fact]
    public void A_registration_lists_the_date_of_birth_problem_before_the_email_one_and_none_for_a_missing_date()
    {
        var today = DateOnly.FromDateTime(Day0.UtcDateTime);

        Assert.Equal([new FieldProblem("dateOfBirth", "cannot lie in the future."), new FieldProblem("email", "is not an email address.")],
            ClientDetails.Problems(today.AddDays(1), "nobody", today));
        Assert.Empty(ClientDetails.Problems(null, null, today));
    }

    [Fact]
    public void Screening_and_consent_at_most_5_minutes_ahead_are_accepted_a_second_more_is_future_time()
    {
        var s = Registered();
        var limit = Day0.AddMinutes(5);

        Canonical.Accepted(RecordScreeningDecision.Decide(s.Record, new RecordScreening(limit, [], [], null, By), s.Protocol, Day0));
        Canonical.Refused(RuleCodes.FutureTime,
            RecordScreeningDecision.Decide(s.Record, new RecordScreening(limit.AddSeconds(1), [], [], null, By), s.Protocol, Day0));
        Canonical.Accepted(RecordConsentDecision.Decide(s.Record, new RecordConsent(limit, "microneedling", "v2", By), s.Protocol, Day0));
        Canonical.Refused(RuleCodes.FutureTime,
            RecordConsentDecision.Decide(s.Record, new RecordConsent(limit.AddSeconds(1), "microneedling", "v2", By), s.Protocol, Day0));
    }

    [Fact]
    public void Consent_is_kept_with_its_form_version()
    {
        var s = Registered();

        Canonical.EventsEqual([new ConsentRecorded(s.Record.Id, "microneedling", "2026-01", Day0, By)],
            RecordConsentDecision.Decide(s.Record, new RecordConsent(Day0, " Microneedling ", "2026-01", By), s.Protocol, Day0));
    }

    [Fact]
    public void Events_before_registration_leave_no_record()
    {
        Assert.Null(TreatmentRecord.Replay([new ConsentRecorded(Guid.NewGuid(), "microneedling", "v1", Day0, By)]));
    }
}
