namespace Courses.Domain.Protocol;

/// <summary>An admin replaced the clinic's protocol; lives in the clinic's stream so auditors see what applied when.</summary>
public sealed record ProtocolAdjusted(ClinicProtocol Protocol, DateTimeOffset AdjustedAt, string By);

public static class AdjustProtocolDecision
{
    /// <summary>The adjusted protocol takes the next version of the clinic stream, which holds only adjustments.</summary>
    public static Decision Decide(ClinicProtocol current, ClinicProtocol proposed, string by, DateTimeOffset now)
    {
        var errors = proposed.Validate();
        if (errors.Count > 0)
        {
            var why = string.Join(" ", errors.SelectMany(pair => pair.Value.Select(message => $"{pair.Key} {message}")));
            return Decision.Refuse(RuleCodes.ProtocolInvalid, $"The proposed protocol cannot be used: {why}");
        }

        return Decision.Accept(new ProtocolAdjusted(proposed with { Version = current.Version + 1 }, now, by));
    }
}
