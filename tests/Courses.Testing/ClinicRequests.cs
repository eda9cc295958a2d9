namespace Courses.Testing;

/// <summary>Request bodies as a clinic's front end sends them.</summary>
public static class ClinicRequests
{
    /// <summary>An instant as the API takes it: to the second, with its offset.</summary>
    public static string At(DateTimeOffset time) => time.ToString("yyyy-MM-ddTHH:mm:ssK");

    /// <summary>A treatment on one area (a course or a maintenance session: both routes take the same body).</summary>
    public static object Session(DateTimeOffset performedAt, string practitioner, decimal depthMm, string area = "face",
        string product = "HydraBoost", string lot = "L-100", bool numbing = false) => new
    {
        performedAt = At(performedAt),
        practitionerId = practitioner,
        areas = new[] { new { area, depthMm } },
        serum = new { product, lot },
        numbingCreamApplied = numbing,
        calmingMaskApplied = true,
        spfApplied = true,
    };

    /// <summary>A treatment that names every product it used by lot and the pen by serial; naming the cream says it was applied.</summary>
    public static object TracedSession(DateTimeOffset performedAt, string practitioner, decimal depthMm, string serumLot = "L-100",
        string cream = "LidoCalm 5%", string? creamLot = "NC-77", string cartridge = "NanoTip 36", string? cartridgeLot = "C-2207",
        string? penSerial = "DP4-001234") => new
    {
        performedAt = At(performedAt),
        practitionerId = practitioner,
        areas = new[] { new { area = "face", depthMm } },
        serum = new { product = "HydraBoost", lot = serumLot },
        numbingCream = new { product = cream, lot = creamLot },
        needleCartridge = new { product = cartridge, lot = cartridgeLot },
        device = new { model = "DermaPen 4", serial = penSerial },
        calmingMaskApplied = true,
        spfApplied = true,
    };
}
