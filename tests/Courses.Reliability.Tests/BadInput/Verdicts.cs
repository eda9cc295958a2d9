using Courses.Reliability.Tests.Harness;

namespace Courses.Reliability.Tests.BadInput;

/// <summary>How the bad-input checks judge an answer, and how they close.</summary>
public static class Verdicts
{
    /// <summary>
    /// What is wrong with the answer to a bad request, or null: it must be a 4xx problem (or a 2xx when a strange value
    /// may simply find nothing), never a 5xx, and carry no internals.
    /// </summary>
    public static string? Wrong(Answer answer, string request, bool foundIsFine)
    {
        var body = answer.Body[..Math.Min(300, answer.Body.Length)];
        if (answer.Status >= 500 || answer.Status is >= 300 and < 400 || (answer.Status < 300 && !foundIsFine))
            return $"{answer.Status} for {request}\n    → {body}";
        if (answer.Status >= 400 && !answer.IsProblem && answer.Status != 405) return $"{answer.Status} without a problem body for {request}";
        return BadInputCorpusTests.Leaks(answer.Body) ? $"internals in the answer to {request}: {body}" : null;
    }

    /// <summary>Reports the figures with the events appended since <paramref name="before"/>, and fails on any wrong answer.</summary>
    public static async Task Conclude(Figures figures, List<string> failures, long before, string what, Func<Task<long>> events)
    {
        var appended = await events() - before;
        figures.Add("events appended", appended);
        figures.Add("failures", failures.Count);
        figures.Report();
        Assert.True(failures.Count == 0, $"{failures.Count} {what} answered wrongly:\n" + string.Join("\n", failures.Take(40)));
        Assert.Equal(0, appended);
    }
}
