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
}
