using Courses.Domain.Aftercare;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Sessions;
using Courses.Domain.Tests.Support;
using static Courses.Domain.Tests.Support.Make;

namespace Courses.Domain.Tests;

/// <summary>Every calendar date a decision derives is the clinic's date in its zone, whatever offset the caller sent.</summary>
public class ClinicDayTests
{
    private static readonly ClinicProtocol Auckland = ClinicProtocol.Default with { TimeZone = "Pacific/Auckland" };
    private static readonly ClinicProtocol LosAngeles = ClinicProtocol.Default with { TimeZone = "America/Los_Angeles" };

    [Theory]
    // Late evening on the US west coast is already the next day in London.
    [InlineData("2026-03-01T23:30:00-08:00", "Europe/London", "2026-03-02")]
    // Los Angeles springs forward at 02:00 on 8 March 2026 and falls back at 02:00 on 1 November 2026.
    [InlineData("2026-03-09T06:59:00Z", "America/Los_Angeles", "2026-03-08")]
    [InlineData("2026-03-09T07:00:00Z", "America/Los_Angeles", "2026-03-09")]
    [InlineData("2026-11-02T07:59:00Z", "America/Los_Angeles", "2026-11-01")]
    [InlineData("2026-11-02T08:00:00Z", "America/Los_Angeles", "2026-11-02")]
    // Auckland leaves DST at 03:00 on 5 April 2026 (+13 → +12) and enters it at 02:00 on 27 September 2026.
    [InlineData("2026-04-04T10:59:00Z", "Pacific/Auckland", "2026-04-04")]
    [InlineData("2026-04-04T11:00:00Z", "Pacific/Auckland", "2026-04-05")]
    [InlineData("2026-04-05T11:59:00Z", "Pacific/Auckland", "2026-04-05")]
    [InlineData("2026-04-05T12:00:00Z", "Pacific/Auckland", "2026-04-06")]
    [InlineData("2026-09-26T11:59:00Z", "Pacific/Auckland", "2026-09-26")]
    [InlineData("2026-09-26T12:00:00Z", "Pacific/Auckland", "2026-09-27")]
    [InlineData("2026-09-27T10:59:00Z", "Pacific/Auckland", "2026-09-27")]
    [InlineData("2026-09-27T11:00:00Z", "Pacific/Auckland", "2026-09-28")]
    public void A_business_time_falls_on_the_clinics_day(string at, string zone, string day)
    {
        var protocol = ClinicProtocol.Default with { TimeZone = zone };

        Assert.Equal(DateOnly.Parse(day), protocol.DayOf(DateTimeOffset.Parse(at)));
    }

    [Fact]
    public void A_protocol_that_never_named_a_zone_keeps_the_utc_day()
    {
        Assert.Equal("UTC", ClinicProtocol.Default.TimeZone);
        Assert.Equal(new DateOnly(2026, 3, 2), ClinicProtocol.Default.DayOf(DateTimeOffset.Parse("2026-03-01T23:30:00-08:00")));
    }

    [Theory]
    [InlineData("America/Los_Angeles", "2026-03-08", "2026-03-08T08:00:00Z", 23)]
    [InlineData("America/Los_Angeles", "2026-11-01", "2026-11-01T07:00:00Z", 25)]
    [InlineData("Pacific/Auckland", "2026-04-05", "2026-04-04T11:00:00Z", 25)]
    [InlineData("Pacific/Auckland", "2026-09-27", "2026-09-26T12:00:00Z", 23)]
    [InlineData("UTC", "2026-09-27", "2026-09-27T00:00:00Z", 24)]
    public void A_clinic_day_spans_the_hours_its_zone_gives_it(string zone, string day, string start, int hours)
    {
        var span = ClinicWords.Span(DateOnly.Parse(day), ClinicWords.Zone(zone)!);

        Assert.Equal(DateTimeOffset.Parse(start), span.Start);
        Assert.Equal(TimeSpan.FromHours(hours), span.End - span.Start);
    }

    [Theory]
    [InlineData("Pacific/Auckland")]
    [InlineData("America/Los_Angeles")]
    [InlineData("Europe/London")]
    [InlineData("UTC")]
    public void A_known_iana_zone_is_accepted(string zone) =>
        Assert.Empty((ClinicProtocol.Default with { TimeZone = zone }).Validate());

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("/usr/share/zoneinfo/UTC")]
    public void An_unknown_zone_is_refused_naming_the_setting(string zone)
    {
        var errors = (ClinicProtocol.Default with { TimeZone = zone }).Validate();

        Assert.Equal(["timeZone"], errors.Keys);
        Assert.Contains("IANA", errors["timeZone"].Single());
    }

    [Fact]
    public void A_missing_zone_is_required() =>
        Assert.Equal(["is required."], (ClinicProtocol.Default with { TimeZone = null! }).Validate()["timeZone"]);

    [Fact]
    public void A_session_late_in_auckland_sent_in_utc_gets_auckland_dates()
    {
        var s = Scenario.Registered(Auckland).Screened(Scenario.Day0).Consented(Scenario.Day0);
        var course = s.PlannedCourse(Scenario.Day0, 2, Scenario.Start(Area.Face, 0.5m));
        // 08:00 on Monday 6 April in Auckland (NZST, the day after DST ended) is still 5 April in UTC.
        var performedAt = DateTimeOffset.Parse("2026-04-05T20:00:00Z");

        var recorded = s.TrySession(Session(course, performedAt, Face(0.5m))).Events.OfType<SessionRecorded>().Single();

        Assert.Equal(new DateOnly(2026, 5, 6), recorded.NextSessionDueOn);
        Assert.Equal(new DateOnly(2026, 4, 6).AddDays(Auckland.HealingDays(0.5m)), recorded.HealedOn);
        var aftercare = AftercarePlan.For(performedAt, Auckland);
        Assert.Equal(new DateOnly(2026, 4, 6).AddDays(Auckland.HygieneAftercareDays), aftercare[0].Until);
        Assert.Equal(new DateOnly(2026, 4, 6).AddDays(Auckland.WaterAndIrritantsAftercareDays), aftercare[1].Until);
    }

    [Fact]
    public void The_last_session_in_los_angeles_sets_maintenance_from_the_clinics_day()
    {
        var s = Scenario.Registered(LosAngeles).Screened(Scenario.Day0).Consented(Scenario.Day0);
        var course = s.PlannedCourse(Scenario.Day0, 1, Scenario.Start(Area.Face, 0.5m));
        // 23:30 on Saturday 7 March in Los Angeles (the night before DST starts), sent from a tablet on UTC.
        var performedAt = DateTimeOffset.Parse("2026-03-08T07:30:00Z");

        var completed = s.TrySession(Session(course, performedAt, Face(0.5m))).Events.OfType<CourseCompleted>().Single();

        Assert.Equal(new DateOnly(2026, 3, 7).AddMonths(LosAngeles.MaintenanceIntervalMonths), completed.MaintenanceDueOn);
    }

    [Fact]
    public void A_maintenance_session_after_the_autumn_change_in_los_angeles_is_due_from_the_clinics_day()
    {
        var s = Scenario.Registered(LosAngeles).Screened(Scenario.Day0).Consented(Scenario.Day0);
        var course = s.PlannedCourse(Scenario.Day0, 1, Scenario.Start(Area.Face, 0.5m));
        s.Session(course, DateTimeOffset.Parse("2026-02-02T10:00:00-08:00"), Face(0.5m));
        // 23:45 on Sunday 1 November, the day the clocks went back (PST, -08:00): 2 November in UTC.
        var performedAt = DateTimeOffset.Parse("2026-11-02T07:45:00Z");

        var recorded = s.TryMaintenance(Maintenance(course, performedAt, Face(0.5m))).Events.OfType<MaintenanceSessionRecorded>().Single();

        Assert.Equal(new DateOnly(2026, 11, 1).AddMonths(LosAngeles.MaintenanceIntervalMonths), recorded.MaintenanceDueOn);
        Assert.Equal(new DateOnly(2026, 11, 1).AddDays(LosAngeles.HealingDays(0.5m)), recorded.HealedOn);
    }
}
