namespace Courses.Api.Demo;

/// <summary>
/// Every chance the demo takes, from its seed. The clinic is the sequence of draws: a change that draws in another
/// order, or once more, tells a different clinic for the same seed and day.
/// </summary>
internal sealed class SeededDraws(Random rng, Random ids)
{
    public int Between(int from, int toInclusive) => rng.Next(from, toInclusive + 1);
    public bool Chance(double p) => rng.NextDouble() < p;
    public T Pick<T>(params T[] items) => items[rng.Next(items.Length)];

    /// <summary>A quarter hour between 9:00 and 17:00.</summary>
    public TimeSpan OpeningHours() => BusinessTime.Hours(9) + BusinessTime.Minutes(15 * rng.Next(0, 33));

    public List<T> Shuffled<T>(IReadOnlyList<T> items)
    {
        var list = items.ToList();
        for (var i = list.Count - 1; i > 0; i--)
        {
            var j = rng.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }

    /// <summary>Ids come from their own sequence, so they differ between clinics while the stories stay the same.</summary>
    public Guid NewId()
    {
        var bytes = new byte[16];
        ids.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4: random (here, seeded)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}

/// <summary>A story's times: offsets from the midnight before its consultation, in days, hours and minutes.</summary>
internal static class BusinessTime
{
    public static TimeSpan Day(int day, TimeSpan timeOfDay) => TimeSpan.FromDays(day) + timeOfDay;
    public static TimeSpan Hours(int hours) => TimeSpan.FromHours(hours);
    public static TimeSpan Minutes(int minutes) => TimeSpan.FromMinutes(minutes);
    public static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
