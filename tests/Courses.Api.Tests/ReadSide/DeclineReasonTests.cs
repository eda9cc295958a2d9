using System.Collections.Immutable;
using Courses.Api.Analytics;
using Courses.Projections.Analytics;

namespace Courses.Api.Tests.ReadSide;

public sealed class DeclineReasonTests
{
    [Fact]
    public void A_reason_shared_by_three_declines_is_shown_and_rarer_ones_are_counted_as_other()
    {
        var month = new ClinicMonthlyStats
        {
            Id = "2026-01",
            DeclineReasons = ImmutableDictionary<string, int>.Empty
                .Add("price", 3).Add("Ann's sister had a bad result", 1).Add("moving away", 2).Add("unspecified", 2),
        };

        var shown = MonthlyStats.From(month).DeclineReasons;

        Assert.Equal(new Dictionary<string, int> { ["price"] = 3, ["unspecified"] = 2, ["other"] = 3 }, shown);
    }
}
