using System.Text.Json;
using Alba;
using Courses.Api.Audit;
using Courses.Api.Http;
using Courses.Api.Maintenance;
using Courses.Api.Schedule;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Courses.Domain.Sessions;

namespace Courses.Api.Tests.ReadSide;

/// <summary>
/// The clinic's day in its own zone, across the DST changes of a clinic in Auckland (DST ends 5 April 2026, starts
/// 27 September) and one in Los Angeles (DST starts 8 March 2026, ends 1 November).
/// </summary>
public sealed class ScheduleTests(AppFixture fixture) : StoryContext(fixture)
{
    private const string Auckland = "Pacific/Auckland";
    private const string LosAngeles = "America/Los_Angeles";
    private const string Other = "pract-2";

    private static DateTimeOffset T(string at) => DateTimeOffset.Parse(at);

    private static ClinicDay Empty(string date, string zone) => new(DateOnly.Parse(date), zone, [], [], []);

    private static ScheduledConsultation Booked(Guid consultation, Guid client, string name, string at, string practitioner = Practitioner,
        ConsultationStatus status = ConsultationStatus.Booked) =>
        new(consultation, client, name, T(at), practitioner, [Concern.FineLines], status);

    [Fact]
    public async Task An_auckland_day_holds_the_bookings_made_for_it_in_auckland_across_the_end_of_dst()
    {
        await ClinicIn(Auckland);
        var ana = await RegisteredClient("Ana Ngata");
        // 23:59 on 4 April (NZDT, +13): the day before.
        await BookedConsultation(ana, T("2026-04-04T10:59:00Z"));
        // 00:15 on 5 April (NZDT): still 4 April in UTC.
        var early = await BookedConsultation(ana, T("2026-04-04T11:15:00Z"));
        // 23:45 on 5 April (NZST, +12, after the clocks went back), sent with the clinic's offset, for another practitioner.
        var late = await BookedConsultation(ana, T("2026-04-05T23:45:00+12:00"), Other);
        // 00:05 on 6 April (NZST): still 5 April in UTC.
        await BookedConsultation(ana, T("2026-04-05T12:05:00Z"));

        ReadModel.Equal(Empty("2026-04-05", Auckland) with
        {
            Consultations = [Booked(early, ana, "Ana Ngata", "2026-04-04T11:15:00Z"), Booked(late, ana, "Ana Ngata", "2026-04-05T23:45:00+12:00", Other)],
        }, await ScheduleOf("?date=2026-04-05"));
        ReadModel.Equal(Empty("2026-04-05", Auckland) with { Consultations = [Booked(late, ana, "Ana Ngata", "2026-04-05T23:45:00+12:00", Other)] },
            await ScheduleOf($"?date=2026-04-05&practitionerId={Other}", Roles.Practitioner));
    }

    [Fact]
    public async Task Reading_the_day_is_in_the_access_log_with_every_client_it_named()
    {
        var ana = await RegisteredClient("Ana Ngata");
        var ben = await RegisteredClient("Ben Cole");
        await BookedConsultation(ana, T("2026-04-05T09:00:00Z"));
        await BookedConsultation(ben, T("2026-04-05T10:00:00Z"));
        await BookedConsultation(ana, T("2026-04-05T11:00:00Z"));

        await ScheduleOf("?date=2026-04-05");
        await ScheduleOf("?date=2026-04-06");

        var logged = (await Read<AccessLogPage>("/api/audit/access?pageSize=500", Roles.Auditor)).Items
            .Where(e => e.Route == AccessLog.ScheduleRoute).Select(e => e.ClientIds.Order().ToArray()).OrderBy(ids => ids.Length);
        ReadModel.Equal(new[] { Array.Empty<Guid>(), new[] { ana, ben }.Order().ToArray() }, logged.ToArray());
    }

    [Fact]
    public async Task A_session_on_an_auckland_morning_gets_auckland_dates_and_its_next_session_is_on_that_days_schedule()
    {
        await ClinicIn(Auckland);
        // 08:00 on Monday 6 April in Auckland, the day after DST ended: still Sunday 5 April in UTC.
        Clock.Set(T("2026-04-05T20:00:00Z"));
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 2));

        var answer = await RecordedSession(client, course, 0.5m);

        var sessionDay = new DateOnly(2026, 4, 6);
        ReadModel.Equal(AftercareAfter(sessionDay), answer.Aftercare);
        Assert.Equal(new DateOnly(2026, 5, 6), (await CourseOf(client, course)).NextSessionDueOn);
        await using (var session = Fixture.Store.QuerySession(Tokens.Clinic))
        {
            var recorded = (await session.Events.FetchStreamAsync(client)).Select(e => e.Data).OfType<SessionRecorded>().Single();
            Assert.Equal(sessionDay.AddDays(2), recorded.HealedOn);
        }

        ReadModel.Equal(Empty("2026-05-06", Auckland) with { SessionsDue = [new SessionDue(course, client, "Ann Lee", 2, new DateOnly(2026, 5, 6))] },
            await ScheduleOf("?date=2026-05-06"));
        Assert.Empty((await ScheduleOf("?date=2026-05-05")).SessionsDue);
    }

    [Fact]
    public async Task A_course_completed_on_a_spring_auckland_evening_is_due_for_maintenance_on_the_auckland_day()
    {
        await ClinicIn(Auckland);
        // 00:30 on Monday 28 September in Auckland (NZDT, +13, since DST started the day before): still the 27th in UTC.
        Clock.Set(T("2026-09-27T11:30:00Z"));
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
        await RecordedSession(client, course, 0.5m);

        var due = new DateOnly(2027, 3, 28);
        ReadModel.Equal(Empty("2027-03-28", Auckland) with { MaintenanceDue = [new ScheduledMaintenance(course, client, "Ann Lee", due)] },
            await ScheduleOf("?date=2027-03-28"));
        ReadModel.Equal(
            new MaintenanceDuePage(due, due, Today: new DateOnly(2026, 9, 28), 1, GetMaintenanceDueEndpoint.DefaultPageSize, false,
                [new MaintenanceDueEntry(course, client, "Ann Lee", due, Overdue: false, LastSessionOn: new DateOnly(2026, 9, 28))]),
            await MaintenanceDueList("?from=2027-03-28&to=2027-03-28"));
    }

    [Fact]
    public async Task A_los_angeles_evening_before_dst_starts_is_still_the_clinics_today()
    {
        await ClinicIn(LosAngeles);
        // 23:30 on Saturday 7 March in Los Angeles (PST, -08:00): already 8 March in UTC.
        Clock.Set(T("2026-03-08T07:30:00Z"));
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
        var answer = await RecordedSession(client, course, 0.5m);
        ReadModel.Equal(AftercareAfter(new DateOnly(2026, 3, 7)), answer.Aftercare);

        var due = new DateOnly(2026, 9, 7);
        var list = await MaintenanceDueList("?to=2026-09-07");
        Assert.Equal((new DateOnly(2026, 3, 7), new DateOnly(2026, 3, 7)), (list.Today, list.From));
        Assert.Equal([(course, due)], list.Items.Select(i => (i.CourseId, i.DueOn)));
        Assert.Equal([course], (await ScheduleOf("?date=2026-09-07")).MaintenanceDue.Select(m => m.CourseId));
        Assert.Empty((await ScheduleOf("?date=2026-09-08")).MaintenanceDue);
    }

    [Fact]
    public async Task A_los_angeles_day_holds_its_bookings_on_both_dst_changes()
    {
        await ClinicIn(LosAngeles);
        var leo = await RegisteredClient("Leo Park");
        // 8 March: 00:30 PST (-08:00) and 23:30 PDT (-07:00), both in the 23-hour day; 00:10 PDT on the 9th is not.
        var first = await BookedConsultation(leo, T("2026-03-08T08:30:00Z"));
        var last = await BookedConsultation(leo, T("2026-03-08T23:30:00-07:00"));
        await BookedConsultation(leo, T("2026-03-09T07:10:00Z"));
        // 1 November: 01:30 PDT, and 23:30 PST (-08:00), which is 2 November in UTC, in the 25-hour day.
        var before = await BookedConsultation(leo, T("2026-11-01T01:30:00-07:00"));
        var after = await BookedConsultation(leo, T("2026-11-02T07:30:00Z"));

        ReadModel.Equal(Empty("2026-03-08", LosAngeles) with
        {
            Consultations = [Booked(first, leo, "Leo Park", "2026-03-08T08:30:00Z"), Booked(last, leo, "Leo Park", "2026-03-08T23:30:00-07:00")],
        }, await ScheduleOf("?date=2026-03-08"));
        Assert.Equal([before, after], (await ScheduleOf("?date=2026-11-01")).Consultations.Select(c => c.ConsultationId));
        Assert.Empty((await ScheduleOf("?date=2026-11-02")).Consultations);
    }

    [Fact]
    public async Task A_cancelled_booking_stays_on_the_day_a_moved_one_leaves_it_and_an_erased_client_shows_the_erased_name()
    {
        var ann = await RegisteredClient("Ann Lee");
        var bob = await RegisteredClient("Bob Roe");
        var kept = await BookedConsultation(ann, T("2026-01-20T10:00:00Z"));
        var cancelled = await BookedConsultation(bob, T("2026-01-20T09:00:00Z"));
        var moved = await BookedConsultation(bob, T("2026-01-20T11:00:00Z"));
        await Post(Roles.Reception, $"/api/clients/{bob}/consultations/{cancelled}/cancel", new { reason = "Unwell" });
        await Post(Roles.Reception, $"/api/clients/{bob}/consultations/{moved}/reschedule",
            new { scheduledAt = At(T("2026-01-21T11:00:00Z")), reason = "Clash" });
        await As(Roles.Admin, s =>
        {
            s.Post.Json(new { reason = "client asked to be forgotten" }).ToUrl($"/api/clients/{ann}/erase-contact");
            s.StatusCodeShouldBeOk();
        });

        ReadModel.Equal(Empty("2026-01-20", "UTC") with
        {
            Consultations =
            [
                Booked(cancelled, bob, "Bob Roe", "2026-01-20T09:00:00Z", status: ConsultationStatus.Cancelled),
                Booked(kept, ann, "(erased)", "2026-01-20T10:00:00Z"),
            ],
        }, await ScheduleOf("?date=2026-01-20"));
    }

    [Fact]
    public async Task Another_clinic_sees_none_of_the_day_and_only_the_front_desk_reads_it()
    {
        var ann = await RegisteredClient("Ann Lee");
        await BookedConsultation(ann, T("2026-01-20T10:00:00Z"));

        ReadModel.Equal(Empty("2026-01-20", "UTC"), await ScheduleOf("?date=2026-01-20", clinic: Tokens.OtherClinic));
        Assert.Single((await ScheduleOf("?date=2026-01-20", Roles.Practitioner)).Consultations);
        foreach (var role in new[] { Roles.Analyst, Roles.Admin })
            await As(role, s =>
            {
                s.Get.Url("/api/schedule?date=2026-01-20");
                s.StatusCodeShouldBe(403);
            });
    }

    [Theory]
    [InlineData("", "date")]
    [InlineData("?date=", "date")]
    [InlineData("?date=2026-13-01", "date")]
    [InlineData("?date=tomorrow", "date")]
    [InlineData("?date=9999-12-31", "date")]
    [InlineData("?date=1899-12-31", "date")]
    public async Task A_missing_or_bad_date_is_400_naming_it(string query, string field)
    {
        var result = await As(Roles.Reception, s =>
        {
            s.Get.Url($"/api/schedule{query}");
            s.StatusCodeShouldBe(400);
        });
        Assert.True((await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task An_unknown_time_zone_is_400_naming_it_and_changes_nothing()
    {
        var current = await As(Roles.Admin, s => s.Get.Url("/api/protocol"));
        var protocol = System.Text.Json.Nodes.JsonNode.Parse(current.ReadAsText())!.AsObject();
        Assert.Equal("UTC", protocol["timeZone"]!.GetValue<string>());
        protocol["timeZone"] = "Mars/Olympus_Mons";

        var result = await As(Roles.Admin, s =>
        {
            s.Put.Text(protocol.ToJsonString()).ToUrl("/api/protocol");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });

        Assert.True((await result.ReadAsJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("timeZone", out _));
        Assert.Equal("UTC", (await ScheduleOf("?date=2026-01-20")).TimeZone);
    }
}
