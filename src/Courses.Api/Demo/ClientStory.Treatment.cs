using System.Security.Cryptography;
using System.Text;
using Courses.Domain.Consents;
using Courses.Domain.Courses;

namespace Courses.Api.Demo;

/// <summary>The practitioner's choices: the concerns, the areas and depths, the serum and its lot.</summary>
internal sealed partial class ClientStory
{
    private sealed record PlannedCourse(IReadOnlyList<Concern> Concerns, IReadOnlyList<PlannedArea> Areas, string Serum, int PlannedSessions,
        int? ExplicitSessions);

    private PlannedCourse PlanCourse(IReadOnlyList<Concern> concerns)
    {
        var areas = new List<PlannedArea>();
        foreach (var area in concerns.SelectMany(AreasFor).Distinct())
            areas.Add(new PlannedArea(area, Snap(area, StartingDepth(area))));
        var defaultSessions = _protocol.DefaultSessionsFor(concerns);
        // Now and then the practitioner agrees a course one session longer than the protocol's default.
        int? explicitSessions = _draw.Chance(0.1) && defaultSessions < _protocol.MaxPlannedSessions ? defaultSessions + 1 : null;
        return new PlannedCourse(concerns, areas, SerumFor(concerns), explicitSessions ?? defaultSessions, explicitSessions);
    }

    private IEnumerable<Area> AreasFor(Concern concern) => concern switch
    {
        Concern.FineLines => _draw.Chance(0.5) ? [Area.Face, Area.Forehead] : _draw.Chance(0.5) ? [Area.Face, Area.UnderEye] : [Area.Face],
        Concern.LargePores => _draw.Chance(0.5) ? [Area.Face, Area.Nose] : [Area.Face],
        Concern.StretchMarks => _draw.Chance(0.6) ? [Area.Stomach] : _draw.Chance(0.5) ? [Area.Thighs] : [Area.Stomach, Area.Thighs],
        Concern.LossOfElasticity => _draw.Chance(0.5) ? [Area.Face, Area.Neck] : [Area.Neck],
        Concern.HairLoss => [Area.Scalp],
        _ => [Area.Face],
    };

    private decimal StartingDepth(Area area) => area switch
    {
        Area.UnderEye => 0.5m,
        Area.Forehead or Area.Nose or Area.Neck => _draw.Pick(0.5m, 0.75m),
        Area.Stomach or Area.Thighs => _draw.Pick(1.0m, 1.25m, 1.5m),
        _ => _draw.Pick(0.5m, 0.75m, 1.0m),
    };

    private IReadOnlyList<Concern> Concerns()
    {
        var first = _draw.Pick(Concern.FineLines, Concern.FineLines, Concern.AcneScars, Concern.AcneScars, Concern.DarkSpots,
            Concern.LargePores, Concern.LossOfElasticity, Concern.StretchMarks, Concern.HairLoss);
        if (first is Concern.StretchMarks or Concern.HairLoss || _draw.Chance(0.6)) return [first];
        var second = _draw.Pick(Concern.FineLines, Concern.DarkSpots, Concern.LargePores, Concern.LossOfElasticity);
        return second == first ? [first] : [first, second];
    }

    private static string SerumFor(IReadOnlyList<Concern> concerns) => concerns[0] switch
    {
        Concern.DarkSpots => "Bright C Serum",
        Concern.AcneScars or Concern.StretchMarks or Concern.LargePores => "Peptide Repair Serum",
        Concern.HairLoss => "Growth Factor Scalp Serum",
        _ => "HydraBoost HA Serum",
    };

    /// <summary>Lots change monthly; a recall searches by them.</summary>
    private static string Lot(string serum, DateTimeOffset at) =>
        $"{string.Concat(serum.Split(' ').Select(w => w[0]))}-{at:yyMM}";

    private const string NumbingCream = "LidoCalm 5% Cream";
    private const string NeedleCartridge = "NanoTip 36-pin Cartridge";
    private const string ConsentForm = "MN-consent-v3";

    /// <summary>The clinic's form, signed on a tablet: its hash, the practitioner who went through it, every risk it names.</summary>
    private ConsentEvidence ConsentEvidence => new(
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"Microneedling consent form {ConsentForm}"))), _practitioner,
        Enum.GetValues<ReactionKind>(), ConsentMethod.Electronic);

    /// <summary>The cream (when applied) and the cartridge by this month's lot, and the practitioner's own pen: no draws, so stories stay as seeded.</summary>
    private static (ProductLot? Cream, ProductLot Cartridge, Device Pen) Used(bool numbing, string practitioner, DateTimeOffset at) =>
        (numbing ? new ProductLot(NumbingCream, Lot(NumbingCream, at)) : null, new ProductLot(NeedleCartridge, Lot(NeedleCartridge, at)),
            new Device("DermaPen 4", $"DP4-{string.Concat(practitioner.Where(char.IsLetterOrDigit)).ToUpperInvariant()}"));

    /// <summary>
    /// The next session's depths: the first often shallower than planned, later ones deeper within the step and the
    /// area's maximum; the session after a pausing reaction stays where it was.
    /// </summary>
    private IReadOnlyList<AreaDepth> Deepen(Dictionary<Area, decimal> depths, bool first, bool calm)
    {
        foreach (var area in depths.Keys.ToList())
        {
            var current = depths[area];
            var next = first
                ? _draw.Chance(0.4) ? current - 0.25m : current
                : calm ? current : current + Math.Min(_draw.Pick(0m, 0.25m, 0.25m, 0.5m), _protocol.MaxIncreasePerSessionMm);
            depths[area] = Snap(area, next);
        }
        return [.. depths.Select(d => new AreaDepth(d.Key, d.Value))];
    }

    private IReadOnlyList<AreaDepth> Maintain(Dictionary<Area, decimal> depths)
    {
        foreach (var area in depths.Keys.ToList())
            depths[area] = Snap(area, depths[area] - _draw.Pick(0m, 0m, 0.25m));
        return [.. depths.Select(d => new AreaDepth(d.Key, d.Value))];
    }

    /// <summary>A depth the protocol accepts for the area: within its range, on its resolution.</summary>
    private decimal Snap(Area area, decimal depth)
    {
        var clamped = Math.Clamp(depth, _protocol.MinDepthMm, _protocol.MaxDepthFor(area));
        var steps = Math.Floor(clamped / _protocol.DepthResolutionMm);
        return Math.Max(_protocol.MinDepthMm, steps * _protocol.DepthResolutionMm);
    }
}
