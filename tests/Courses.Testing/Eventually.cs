namespace Courses.Testing;

/// <summary>
/// Waits for something outside the test's control (a process, a daemon, a delivery) by polling it until a deadline.
/// The deadline only bounds a failure: a passing wait takes as long as the thing takes, never a fixed sleep.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Probes until <paramref name="done"/> holds and returns that value; after <paramref name="within"/> fails naming
    /// <paramref name="what"/>, the last value, and <paramref name="evidence"/> as it is then (a process's output, say).
    /// </summary>
    public static async Task<T> Until<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan within, string what,
        TimeSpan? poll = null, Func<string>? evidence = null)
    {
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var last = await probe();
            if (done(last)) return last;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what}: not within {within}; last seen: {Describe(last)}"
                    + (evidence is null ? "" : $"\n{evidence()}"));
            await Task.Delay(poll ?? DefaultPoll);
        }
    }

    public static Task True(Func<Task<bool>> condition, TimeSpan within, string what, TimeSpan? poll = null, Func<string>? evidence = null) =>
        Until(condition, held => held, within, what, poll, evidence);

    public static Task True(Func<bool> condition, TimeSpan within, string what, TimeSpan? poll = null, Func<string>? evidence = null) =>
        Until(() => Task.FromResult(condition()), held => held, within, what, poll, evidence);

    private static string Describe<T>(T value) => value switch
    {
        null => "nothing",
        System.Collections.ICollection items => $"{items.Count} item(s)",
        _ => value.ToString() ?? "",
    };
}
