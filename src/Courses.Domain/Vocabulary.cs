using System.Globalization;

namespace Courses.Domain;

public enum Concern { DarkSpots, LargePores, StretchMarks, FineLines, LossOfElasticity, HairLoss, AcneScars }

public enum Area { Face, Forehead, UnderEye, Nose, Neck, Scalp, Stomach, Thighs, Other }

public enum Condition
{
    KeloidHistory,
    ActiveSkinInfection,
    Pregnancy,
    IsotretinoinCurrent,
    IsotretinoinWithin6Months,
    Anticoagulants,
    EczemaOrPsoriasis,
    ColdSoreHistory,
}

public enum ReactionKind { Pain, Redness, Peeling, Bruising, Bleeding, Scarring, Infection, AllergicReaction }

public enum Severity { Mild, Moderate, Severe }

public enum CourseStatus { Planned, Active, Paused, Completed, Cancelled }

public enum ConsultationStatus { Booked, Completed, Cancelled }

public enum ConsultationOutcome { Plan, Decline }

/// <summary>The needle depth used (or planned) on one area.</summary>
public sealed record AreaDepth(Area Area, decimal DepthMm);

/// <summary>The serum applied before the pen; the lot is what a recall searches by.</summary>
public sealed record Serum(string Product, string? Lot);

/// <summary>What a product in a session was: a recall says which product a lot is, an allergy which product it is to.</summary>
public enum ProductKind { Serum, NumbingCream, NeedleCartridge }

/// <summary>A product a session used besides the serum (the numbing cream, the single-use needle cartridge) and its lot.</summary>
public sealed record ProductLot(string Product, string? Lot);

/// <summary>The microneedling pen a session used: its model and serial number.</summary>
public sealed record Device(string Model, string? Serial);

/// <summary>How a consent was signed.</summary>
public enum ConsentMethod { Paper, Electronic }

/// <summary>How the clinic says things in a refusal's detail.</summary>
public static class ClinicWords
{
    public static string For(Area area) => area switch
    {
        Area.UnderEye => "Under-eye",
        _ => area.ToString(),
    };

    public static string For(Condition condition) => condition switch
    {
        Condition.KeloidHistory => "keloid history",
        Condition.ActiveSkinInfection => "an active skin infection",
        Condition.Pregnancy => "pregnancy",
        Condition.IsotretinoinCurrent => "current isotretinoin",
        Condition.IsotretinoinWithin6Months => "isotretinoin within 6 months",
        Condition.Anticoagulants => "anticoagulants",
        Condition.EczemaOrPsoriasis => "eczema or psoriasis",
        Condition.ColdSoreHistory => "cold-sore history",
        _ => condition.ToString(),
    };

    public static string For(ReactionKind kind) => kind switch
    {
        ReactionKind.AllergicReaction => "allergic reaction",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static string For(ProductKind kind) => kind switch
    {
        ProductKind.NumbingCream => "numbing cream",
        ProductKind.NeedleCartridge => "needle cartridge",
        _ => "serum",
    };

    public static string For(Photos.PhotoUse use) => use switch
    {
        Photos.PhotoUse.ClinicalRecord => "the clinical record",
        _ => use.ToString().ToLowerInvariant(),
    };

    public static string Mm(decimal depth) => depth.ToString("0.0##", CultureInfo.InvariantCulture) + " mm";

    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset at) => at.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture);

    /// <summary>
    /// The calendar day a business time falls on in the offset the caller sent it with. Only for what has no protocol
    /// at hand (a projection folding old events); every date a decision derives is the clinic's, through
    /// <see cref="Protocol.ClinicProtocol.DayOf"/>.
    /// </summary>
    public static DateOnly DayOf(DateTimeOffset at) => DateOnly.FromDateTime(at.DateTime);

    /// <summary>The calendar day a business time falls on in the clinic's zone, whatever offset the caller sent.</summary>
    public static DateOnly DayOf(DateTimeOffset at, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);

    /// <summary>The instants a clinic day spans in the zone: [start, end). A day may last 23 or 25 hours around a DST change.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) Span(DateOnly day, TimeZoneInfo zone) =>
        (StartOf(day, zone), StartOf(day.AddDays(1), zone));

    // Midnight may not exist (a zone that springs forward at 00:00): the day then starts at the first instant that does.
    private static DateTimeOffset StartOf(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    // Only zones found are kept: an admin's typos must not grow the cache.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    /// <summary>The zone an IANA id names, or null when this machine's time-zone data does not know it.</summary>
    public static TimeZoneInfo? Zone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64) return null;
        if (Zones.TryGetValue(id, out var known)) return known;
        return Find(id) is { } found ? Zones.GetOrAdd(id, found) : null;
    }

    private static TimeZoneInfo? Find(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception)
        {
            // Not found, invalid, or an id the platform refuses to look up (a path, a control character): not a zone.
            return null;
        }
    }

    /// <summary>Serum names are typed by hand; " Serum A " and "serum a" are the same product.</summary>
    public static bool SameProduct(string a, string b) =>
        string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
