using Courses.Domain.Protocol;

namespace Courses.Domain;

/// <summary>
/// Rules more than one decision applies. Each returns the refusal, or null when the rule holds, so a decision
/// reads as its checks chained with ?? in the order it documents.
/// </summary>
internal static class Rules
{
    public static Decision? FutureTime(string what, DateTimeOffset at, DateTimeOffset now, ClinicProtocol protocol) =>
        at - now > protocol.FutureTimeTolerance
            ? Decision.Refuse(RuleCodes.FutureTime,
                $"{what} {ClinicWords.Time(at)} lies more than {Describe(protocol.FutureTimeTolerance)} after now ({ClinicWords.Time(now)}).")
            : null;

    public static Decision? Contraindicated(TreatmentRecord record, DateTimeOffset at, ClinicProtocol protocol, string what)
    {
        var found = record.LatestScreeningAsOf(at)?.Conditions
            .Where(protocol.AbsoluteContraindications.Contains).Distinct().Order().ToList() ?? [];
        return found.Count == 0
            ? null
            : Decision.Refuse(RuleCodes.Contraindicated,
                $"No {what} while the latest screening shows {string.Join(" and ", found.Select(ClinicWords.For))}.");
    }

    public static Decision? AreasInvalid(IReadOnlyCollection<Area> areas, string what)
    {
        if (areas.Count == 0) return Decision.Refuse(RuleCodes.AreasInvalid, $"A {what} needs at least one area.");
        var repeated = areas.GroupBy(a => a).FirstOrDefault(g => g.Count() > 1);
        return repeated is null
            ? null
            : Decision.Refuse(RuleCodes.AreasInvalid, $"{ClinicWords.For(repeated.Key)} is named more than once in the {what}.");
    }

    public static Decision? DepthOutOfRange(Area area, decimal depthMm, ClinicProtocol protocol)
    {
        var name = ClinicWords.For(area);
        if (depthMm < protocol.MinDepthMm || depthMm > protocol.MaxDepthMm)
            return Decision.Refuse(RuleCodes.DepthOutOfRange,
                $"Depths lie within {ClinicWords.Mm(protocol.MinDepthMm)} – {ClinicWords.Mm(protocol.MaxDepthMm)} under this clinic's protocol; {ClinicWords.Mm(depthMm)} was asked for {name}.");
        if (depthMm % protocol.DepthResolutionMm != 0)
            return Decision.Refuse(RuleCodes.DepthOutOfRange,
                $"Depths go in steps of {ClinicWords.Mm(protocol.DepthResolutionMm)} under this clinic's protocol; {ClinicWords.Mm(depthMm)} was asked for {name}.");
        var areaMax = protocol.MaxDepthFor(area);
        return depthMm > areaMax
            ? Decision.Refuse(RuleCodes.DepthOutOfRange,
                $"{name} is at most {ClinicWords.Mm(areaMax)} under this clinic's protocol; {ClinicWords.Mm(depthMm)} was asked.")
            : null;
    }

    public static Decision? SerumAllergy(TreatmentRecord record, Serum serum, DateTimeOffset at)
    {
        var allergy = record.AllergyMatching(serum.Product, at);
        return allergy is null
            ? null
            : Decision.Refuse(RuleCodes.SerumAllergy,
                $"The client is allergic to {allergy.Trim()}; {serum.Product.Trim()} cannot be used.");
    }

    private static string Describe(TimeSpan span) =>
        span.TotalSeconds % 60 == 0 ? $"{span.TotalMinutes:0} minutes" : $"{span.TotalSeconds:0} seconds";
}
