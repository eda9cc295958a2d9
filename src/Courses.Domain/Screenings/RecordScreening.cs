using Courses.Domain.Protocol;

namespace Courses.Domain.Screenings;

public sealed record RecordScreening(
    DateTimeOffset ScreenedAt,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyList<string> KnownAllergies,
    string? Notes,
    string By);

public static class RecordScreeningDecision
{
    /// <summary>Recording is never refused for what it declares: contraindications block planning and sessions, not screening.</summary>
    public static Decision Decide(TreatmentRecord record, RecordScreening command, ClinicProtocol protocol, DateTimeOffset now)
    {
        if (Rules.FutureTime("Screened at", command.ScreenedAt, now, protocol) is { } refusal) return refusal;

        var allergies = command.KnownAllergies
            .Where(a => !string.IsNullOrWhiteSpace(a))
            .Select(a => a.Trim())
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        return Decision.Accept(new MedicalScreeningRecorded(
            record.Id, command.ScreenedAt, [.. command.Conditions.Distinct().Order()], allergies, command.Notes, command.By));
    }
}
