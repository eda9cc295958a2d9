using System.Globalization;
using Courses.Domain.Analytics;

namespace Courses.Domain.Tests;

public class AnalyticsTests
{
    [Fact]
    public void A_decline_reason_is_shown_from_3_declines_and_the_rarer_ones_are_counted_as_other()
    {
        var shown = DeclineReasonPrivacy.Shareable(new Dictionary<string, int>
        {
            ["Too expensive"] = 3, ["Wants to think it over"] = 2, ["Ada's sister said no"] = 1,
        });

        Assert.Equal(new Dictionary<string, int> { ["Too expensive"] = 3, ["other"] = 3 }, shown);
    }

    [Fact]
    public void Unspecified_declines_are_always_shown_and_other_appears_only_when_something_is_hidden()
    {
        var shown = DeclineReasonPrivacy.Shareable(new Dictionary<string, int> { ["unspecified"] = 1, ["Too expensive"] = 4 });

        Assert.Equal(new Dictionary<string, int> { ["unspecified"] = 1, ["Too expensive"] = 4 }, shown);
        Assert.Empty(DeclineReasonPrivacy.Shareable(new Dictionary<string, int>()));
    }

    [Theory]
    [InlineData(0, 0, null)]
    [InlineData(0, 3, "0")]
    [InlineData(3, 0, "1")]
    [InlineData(1, 2, "0.3333")]
    [InlineData(2, 1, "0.6667")]
    [InlineData(1, 31, "0.0313")]
    public void The_completion_rate_is_completed_among_ended_courses_to_4_decimals_and_none_when_none_ended(
        int completed, int cancelled, string? rate)
    {
        Assert.Equal(Rate(rate), Rates.CompletionRate(completed, cancelled));
    }

    [Theory]
    [InlineData(1, 0, null)]
    [InlineData(0, 7, "0")]
    [InlineData(1, 3, "33.33")]
    [InlineData(2, 3, "66.67")]
    [InlineData(1, 32, "3.13")]
    public void The_reaction_rate_is_per_100_sessions_to_2_decimals_and_none_without_sessions(int reactions, int sessions, string? rate)
    {
        Assert.Equal(Rate(rate), Rates.ReactionsPer100Sessions(reactions, sessions));
    }

    // Decimals cannot be attribute arguments.
    private static decimal? Rate(string? text) => text is null ? null : decimal.Parse(text, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(0, false)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(40, true)]
    public void An_outcome_group_is_shown_from_three_courses_on(int courses, bool shown) =>
        Assert.Equal(shown, OutcomePrivacy.Shown(courses));
}
