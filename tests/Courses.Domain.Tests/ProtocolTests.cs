using Courses.Domain.Protocol;

namespace Courses.Domain.Tests;

public class ProtocolTests
{
    private static readonly ClinicProtocol Default = ClinicProtocol.Default;

    [Fact]
    public void The_default_protocol_is_valid()
    {
        Assert.Empty(Default.Validate());
    }

    public static TheoryData<string, ClinicProtocol> Invalid => new()
    {
        { "maxDepthMm", Default with { MinDepthMm = 2.0m } },
        { "minDepthMm", Default with { MinDepthMm = 0m } },
        { "depthResolutionMm", Default with { DepthResolutionMm = 0m } },
        { "minDepthMm", Default with { MinDepthMm = 0.52m } },
        { "maxDepthByArea", Default with { MaxDepthByArea = Default.MaxDepthByArea.SetItem(Area.Face, 2.5m) } },
        { "maxDepthByArea", Default with { MaxDepthByArea = Default.MaxDepthByArea.SetItem(Area.Face, 0.45m) } },
        { "maxDepthByArea", Default with { MaxDepthByArea = Default.MaxDepthByArea.Remove(Area.Scalp) } },
        { "maxIncreasePerSessionMm", Default with { MaxIncreasePerSessionMm = 0m } },
        { "numbingThresholdMm", Default with { NumbingThresholdMm = 2.05m } },
        { "numbingThresholdMm", Default with { NumbingThresholdMm = 0.45m } },
        { "defaultSessionsPerCourse", Default with { DefaultSessionsPerCourse = 11 } },
        { "acneScarsSessionsPerCourse", Default with { MaxPlannedSessions = 5 } },
        { "maxPlannedSessions", Default with { MinPlannedSessions = 4, MaxPlannedSessions = 3 } },
        { "minPlannedSessions", Default with { MinPlannedSessions = 0 } },
        { "minDaysBetweenCourseSessions", Default with { MinDaysBetweenCourseSessions = -1 } },
        { "maintenanceIntervalMonths", Default with { MaintenanceIntervalMonths = 0 } },
        { "courseIntervalMonths", Default with { CourseIntervalMonths = 0 } },
        { "screeningValidityMonths", Default with { ScreeningValidityMonths = 0 } },
        { "healingBands", Default with { HealingBands = [new(1.0m, 4), new(0.5m, 2)] } },
        { "healingBands", Default with { HealingBands = [new(1.0m, 4), new(1.0m, 7)] } },
        { "healingBands", Default with { HealingBands = [new(0.5m, -1)] } },
        { "healingDaysAboveBands", Default with { HealingDaysAboveBands = -1 } },
        { "hygieneAftercareDays", Default with { HygieneAftercareDays = -1 } },
        { "waterAndIrritantsAftercareDays", Default with { WaterAndIrritantsAftercareDays = -1 } },
        { "precautions", Default with { Precautions = Default.Precautions.Add(Condition.Pregnancy) } },
        { "futureTimeTolerance", Default with { FutureTimeTolerance = TimeSpan.FromMinutes(-1) } },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void An_unusable_setting_is_named_in_the_field_errors(string field, ClinicProtocol protocol)
    {
        var errors = protocol.Validate();

        Assert.Contains(field, errors.Keys);
        Assert.All(errors[field], message => Assert.False(string.IsNullOrWhiteSpace(message)));
    }

    [Fact]
    public void Settings_at_their_limits_are_valid()
    {
        var protocol = Default with
        {
            NumbingThresholdMm = 2.0m,
            MinDaysBetweenCourseSessions = 0,
            DefaultSessionsPerCourse = 10,
            HealingBands = [],
            HealingDaysAboveBands = 0,
            FutureTimeTolerance = TimeSpan.Zero,
        };

        Assert.Empty(protocol.Validate());
    }

    [Theory]
    [InlineData(0.5, 2)]
    [InlineData(0.55, 4)]
    [InlineData(1.0, 4)]
    [InlineData(1.05, 7)]
    [InlineData(1.5, 7)]
    [InlineData(1.55, 14)]
    [InlineData(2.0, 14)]
    public void Healing_days_follow_the_deepest_pass(decimal depth, int days)
    {
        Assert.Equal(days, Default.HealingDays(depth));
    }

    [Fact]
    public void Adjusting_takes_the_next_clinic_version_and_records_who_and_when()
    {
        var current = Default with { Version = 3 };
        var proposed = Default with { MaxIncreasePerSessionMm = 0.25m };
        var now = new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

        var decision = AdjustProtocolDecision.Decide(current, proposed, "admin-1", now);

        var adjusted = Assert.IsType<ProtocolAdjusted>(Assert.Single(decision.Events));
        Assert.Equal(4, adjusted.Protocol.Version);
        Assert.Equal(0.25m, adjusted.Protocol.MaxIncreasePerSessionMm);
        Assert.Equal((now, "admin-1"), (adjusted.AdjustedAt, adjusted.By));
        Assert.Same(adjusted.Protocol, ClinicProtocol.Evolve(current, adjusted));
    }

    [Fact]
    public void An_invalid_protocol_is_refused()
    {
        var decision = AdjustProtocolDecision.Decide(Default, Default with { MinDepthMm = 3m }, "admin-1", DateTimeOffset.UnixEpoch);

        Assert.Equal(RuleCodes.ProtocolInvalid, decision.Violation!.Code);
        Assert.Empty(decision.Events);
    }
}
