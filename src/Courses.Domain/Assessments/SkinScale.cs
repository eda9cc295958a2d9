using System.Collections.Immutable;

namespace Courses.Domain.Assessments;

/// <summary>
/// A validated scale a practitioner scores the skin on (DESIGN.md §7): its range, the step values go in, and which way
/// is better (null for a trait such as skin type, which is not an outcome). Once used, a scale keeps its meaning:
/// a clinic that wants another range adds a scale under a new name.
/// </summary>
public sealed record SkinScale(string Name, decimal Min, decimal Max, decimal Step, bool? LowerIsBetter, string Measures)
{
    /// <summary>Whether a value lies within the range and on a step counted from its minimum.</summary>
    public bool Holds(decimal value) => value >= Min && value <= Max && (value - Min) % Step == 0;

    /// <summary>The same range, step and direction: what a score on it means.</summary>
    public bool MeansTheSameAs(SkinScale other) =>
        Min == other.Min && Max == other.Max && Step == other.Step && LowerIsBetter == other.LowerIsBetter;

    /// <summary>Whether a change (later − earlier) is at least one step in the better direction.</summary>
    public bool Improved(decimal change) => LowerIsBetter switch
    {
        true => change <= -Step,
        false => change >= Step,
        null => false,
    };
}

/// <summary>The scales of DESIGN.md §7 as every protocol starts with them, and the names rules and projections use.</summary>
public static class SkinScales
{
    public const string Fitzpatrick = "fitzpatrick";
    public const string Glogau = "glogau";
    public const string GoodmanBaron = "goodmanBaron";
    public const string MMasi = "mMasi";
    public const string FineLines = "fineLines";
    public const string VancouverScar = "vancouverScar";
    public const string PoreSize = "poreSize";
    public const string HairLoss = "hairLoss";
    public const string Erythema = "erythema";
    public const string Pain = "pain";
    public const string Gais = "gais";

    public const int MaxNameLength = 40;

    public static readonly ImmutableList<SkinScale> Defaults =
    [
        new(Fitzpatrick, 1, 6, 1, null, "skin type I–VI (a trait, not an outcome)"),
        new(Glogau, 1, 4, 1, true, "photo-ageing type I–IV"),
        new(GoodmanBaron, 1, 4, 1, true, "acne-scar grade (qualitative, Goodman & Baron)"),
        new(MMasi, 0, 24, 0.1m, true, "pigmentation (modified MASI)"),
        new(FineLines, 0, 4, 1, true, "fine lines, 5-point photonumeric"),
        new(VancouverScar, 0, 13, 1, true, "scars and stretch marks (Vancouver Scar Scale)"),
        new(PoreSize, 0, 4, 1, true, "clinician grade of visible pores"),
        new(HairLoss, 0, 4, 1, true, "clinician grade of thinning in the area"),
        new(Erythema, 0, 4, 1, true, "Clinician Erythema Assessment (healing)"),
        new(Pain, 0, 10, 1, true, "numeric rating scale (healing)"),
        new(Gais, 1, 5, 1, true, "Global Aesthetic Improvement Scale: 1 very much improved … 5 worse"),
    ];

    /// <summary>The scale a course's outcome for each concern is judged on.</summary>
    public static readonly ImmutableDictionary<Concern, string> DefaultOutcomeScales = new Dictionary<Concern, string>
    {
        [Concern.DarkSpots] = MMasi,
        [Concern.LargePores] = PoreSize,
        [Concern.StretchMarks] = VancouverScar,
        [Concern.FineLines] = FineLines,
        [Concern.LossOfElasticity] = Glogau,
        [Concern.HairLoss] = HairLoss,
        [Concern.AcneScars] = GoodmanBaron,
    }.ToImmutableDictionary();
}
