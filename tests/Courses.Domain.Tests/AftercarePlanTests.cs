using Courses.Domain.Aftercare;
using Courses.Domain.Protocol;

namespace Courses.Domain.Tests;

public class AftercarePlanTests
{
    [Fact]
    public void Each_instruction_ends_its_window_after_the_session_day()
    {
        var plan = AftercarePlan.For(new DateTimeOffset(2026, 2, 26, 18, 30, 0, TimeSpan.Zero), ClinicProtocol.Default);

        Assert.Equal(
        [
            (AftercarePlan.Hygiene, (DateOnly?)new DateOnly(2026, 3, 1)),
            (AftercarePlan.WaterAndIrritants, new DateOnly(2026, 3, 5)),
            (AftercarePlan.SunProtection, null),
        ], plan.Select(i => (i.Kind, i.Until)));
        Assert.Contains("pillowcase", plan[0].Instruction);
        Assert.Contains("pools", plan[1].Instruction);
        Assert.Contains("SPF", plan[2].Instruction);
    }

    [Fact]
    public void The_session_day_is_the_clinics_day_not_utcs()
    {
        var lateEveningInSydney = new DateTimeOffset(2026, 1, 10, 23, 0, 0, TimeSpan.FromHours(11));

        var plan = AftercarePlan.For(lateEveningInSydney.ToUniversalTime(), ClinicProtocol.Default with { TimeZone = "Australia/Sydney" });

        Assert.Equal(new DateOnly(2026, 1, 13), plan[0].Until);
    }

    [Fact]
    public void Windows_follow_the_clinics_protocol()
    {
        var protocol = ClinicProtocol.Default with { HygieneAftercareDays = 2, WaterAndIrritantsAftercareDays = 10 };

        var plan = AftercarePlan.For(new DateTimeOffset(2026, 1, 1, 9, 0, 0, TimeSpan.Zero), protocol);

        Assert.Equal(new DateOnly(2026, 1, 3), plan[0].Until);
        Assert.Equal(new DateOnly(2026, 1, 11), plan[1].Until);
    }
}
