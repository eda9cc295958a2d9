using Courses.Domain.Protocol;

namespace Courses.Domain.Aftercare;

/// <summary>One thing the client must do after a session, and the last day it applies (null: no end).</summary>
public sealed record AftercareInstruction(string Kind, string Instruction, DateOnly? Until);

public static class AftercarePlan
{
    public const string Hygiene = "hygiene";
    public const string WaterAndIrritants = "waterAndIrritants";
    public const string SunProtection = "sunProtection";

    /// <summary>
    /// Windows count whole days after the session day, inclusive: a 3-day window after a session on the 1st runs
    /// through the 4th, so an evening session still gets three full days.
    /// </summary>
    public static IReadOnlyList<AftercareInstruction> For(DateTimeOffset performedAt, ClinicProtocol protocol)
    {
        var performedOn = protocol.DayOf(performedAt);
        return
        [
            new(Hygiene,
                "Use a clean face towel each time and put on a clean pillowcase every evening.",
                performedOn.AddDays(protocol.HygieneAftercareDays)),
            new(WaterAndIrritants,
                "No swimming pools, lakes, rivers or oceans, and no irritating soaps or lotions.",
                performedOn.AddDays(protocol.WaterAndIrritantsAftercareDays)),
            new(SunProtection, "Apply SPF every day.", null),
        ];
    }
}
