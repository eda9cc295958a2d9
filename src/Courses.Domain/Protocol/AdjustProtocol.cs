namespace Courses.Domain.Protocol;

/// <summary>An admin replaced the clinic's protocol; lives in the clinic's stream so auditors see what applied when.</summary>
public sealed record ProtocolAdjusted(ClinicProtocol Protocol, DateTimeOffset AdjustedAt, string By);

public static class AdjustProtocolDecision
{
    /// <summary>
    /// The adjusted protocol takes the next version of the clinic stream, which holds only adjustments. Refused when it
    /// fails validation, or drops or redefines a scale the clinic holds: scores already recorded on it keep their meaning.
    /// </summary>
    public static Decision Decide(ClinicProtocol current, ClinicProtocol proposed, string by, DateTimeOffset now)
    {
        var errors = proposed.Validate();
        if (errors.Count > 0)
        {
            var why = string.Join(" ", errors.SelectMany(pair => pair.Value.Select(message => $"{pair.Key} {message}")));
            return Decision.Refuse(RuleCodes.ProtocolInvalid, $"The proposed protocol cannot be used: {why}");
        }

        return ScaleRedefined(current, proposed)
            ?? Decision.Accept(new ProtocolAdjusted(proposed with { Version = current.Version + 1 }, now, by));
    }

    private static Decision? ScaleRedefined(ClinicProtocol current, ClinicProtocol proposed)
    {
        foreach (var scale in current.Scales)
        {
            if (proposed.Scale(scale.Name) is not { } kept)
                return Decision.Refuse(RuleCodes.ProtocolInvalid,
                    $"The proposed protocol drops the scale {scale.Name}; scores recorded on it must keep their meaning.");
            if (!kept.MeansTheSameAs(scale))
                return Decision.Refuse(RuleCodes.ProtocolInvalid,
                    $"The scale {scale.Name} runs {scale.Min} – {scale.Max} in steps of {scale.Step}; a scale keeps its meaning once held, so a new range or direction needs a new scale name.");
        }
        return null;
    }
}
