using System.Text.Json;
using Courses.Testing;
using static Courses.Testing.ClinicRequests;

namespace Courses.Bench;

public sealed record Tokens(string Reception, string Practitioner, string Auditor);

/// <summary>A client the load created: the reads phase reads these.</summary>
public sealed record BenchClient(Guid ClientId, Guid? CourseId);

/// <summary>
/// One client's treatment as a clinic records it, fourteen commands in business-time order, all in the past (late entry):
/// register, screen, consent, book, complete with a plan, a baseline skin assessment, three course sessions escalating
/// 0.5 → 1.0 → 1.5 mm (numbing above 1.0 mm, 30 days apart), a mild reaction after the second session and its
/// resolution, a healing check of the second session (its erythema within the limit, so the third may go deeper), the
/// course's outcome, and a maintenance session six months after the course completed. The API runs on the real clock, so the story starts about two years ago.
/// </summary>
public static class ClinicStory
{
    public const int Commands = 14;
    private const string Practitioner = "bench-practitioner";

    private static object Treatment(DateTimeOffset at, decimal depth, bool numbing) =>
        ClinicRequests.Session(at, Practitioner, depth, numbing: numbing);

    private static object Assessment(DateTimeOffset at, string kind, Guid? courseId, Guid? sessionId, params object[] scores) =>
        new { assessedAt = At(at), kind, courseId, sessionId, assessorId = Practitioner, scores };

    /// <summary>
    /// The story's first six commands: register, screen, consent, book, complete with a plan of
    /// <paramref name="plannedSessions"/> sessions at 0.5 mm on the face, and the baseline assessment. The client (with its
    /// course once planned) and the story's start, from which its sessions are timed (the first at start + 2 days).
    /// </summary>
    public static async Task<(BenchClient? Client, DateTimeOffset Start)> BeginCourseAsync(Api api, Tokens tokens, Random rng,
        Func<bool> stop, Action<Answer> onAnswer, int plannedSessions)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-730 + rng.Next(0, 90)).AddMinutes(rng.Next(0, 600));
        start = new DateTimeOffset(start.Year, start.Month, start.Day, start.Hour, start.Minute, 0, TimeSpan.Zero);
        var step = Stepper(api, stop, onAnswer);

        var registered = await step(tokens.Reception, "/api/clients",
            new { fullName = $"Bench Client {rng.Next():x8}", dateOfBirth = "1988-06-15" });
        if (registered is null) return (null, start);
        var clientId = registered.Value.GetProperty("clientId").GetGuid();
        var client = new BenchClient(clientId, null);
        var c = $"/api/clients/{clientId}";

        if (await step(tokens.Practitioner, $"{c}/screenings",
                new { screenedAt = At(start), conditions = Array.Empty<string>(), knownAllergies = Array.Empty<string>() }) is null) return (client, start);
        if (await step(tokens.Practitioner, $"{c}/consents",
                new { signedAt = At(start.AddMinutes(10)), procedure = "microneedling", formVersion = "v3" }) is null) return (client, start);
        var booked = await step(tokens.Reception, $"{c}/consultations",
            new { scheduledAt = At(start.AddDays(1)), practitionerId = Practitioner, concerns = new[] { "fineLines" } });
        if (booked is null) return (client, start);
        var consultationId = booked.Value.GetProperty("consultationId").GetGuid();
        var planned = await step(tokens.Practitioner, $"{c}/consultations/{consultationId}/complete", new
        {
            completedAt = At(start.AddDays(1).AddHours(1)),
            practitionerId = Practitioner,
            outcome = "plan",
            concerns = new[] { "fineLines" },
            plan = new
            {
                areas = new[] { new { area = "face", startingDepthMm = 0.5m } },
                serum = new { product = "HydraBoost", lot = "L-100" },
                plannedSessions,
            },
        });
        if (planned is null) return (client, start);
        client = client with { CourseId = planned.Value.GetProperty("courseId").GetGuid() };
        var baseline = await step(tokens.Practitioner, $"{c}/skin-assessments", Assessment(start.AddDays(2).AddMinutes(-30), "baseline", null,
            null, new { scale = "fineLines", value = 3m, area = "face" }, new { scale = "fitzpatrick", value = 2m, area = (string?)null }));
        return (baseline is null ? client with { CourseId = null } : client, start);
    }

    /// <summary>A POST that is skipped once <paramref name="stop"/> says so; its answer's JSON when it succeeded.</summary>
    private static Func<string, string, object, Task<JsonElement?>> Stepper(Api api, Func<bool> stop, Action<Answer> onAnswer) =>
        async (token, path, body) =>
        {
            if (stop()) return null;
            var answer = await api.Post(token, path, body);
            onAnswer(answer);
            return answer.Ok ? answer.Json : null;
        };

    /// <summary>
    /// Runs the story until it ends, <paramref name="stop"/> says so, or a command fails (the rest would depend on it).
    /// Every answer goes to <paramref name="onAnswer"/>. Returns the client once it exists.
    /// </summary>
    public static async Task<BenchClient?> RunAsync(Api api, Tokens tokens, Random rng, Func<bool> stop, Action<Answer> onAnswer)
    {
        var (client, start) = await BeginCourseAsync(api, tokens, rng, stop, onAnswer, plannedSessions: 3);
        if (client?.CourseId is not { } courseId) return client;
        var step = Stepper(api, stop, onAnswer);
        var c = $"/api/clients/{client.ClientId}";
        var sessions = $"{c}/courses/{courseId}/sessions";
        var assessments = $"{c}/skin-assessments";
        if (await step(tokens.Practitioner, sessions, Treatment(start.AddDays(2), 0.5m, false)) is null) return client;
        var second = await step(tokens.Practitioner, sessions, Treatment(start.AddDays(32), 1.0m, false));
        if (second is null) return client;
        var reacted = await step(tokens.Practitioner, $"{c}/reactions", new
        {
            occurredAt = At(start.AddDays(33)),
            kind = "redness",
            severity = "mild",
            sessionId = second.Value.GetProperty("sessionId").GetGuid(),
        });
        if (reacted is null) return client;
        var reactionId = reacted.Value.GetProperty("reactionId").GetGuid();
        if (await step(tokens.Practitioner, $"{c}/reactions/{reactionId}/resolve", new { resolvedAt = At(start.AddDays(36)) }) is null)
            return client;
        if (await step(tokens.Practitioner, assessments, Assessment(start.AddDays(37), "healingCheck", null,
                second.Value.GetProperty("sessionId").GetGuid(), new { scale = "erythema", value = 2m, area = "face" })) is null)
            return client;
        if (await step(tokens.Practitioner, sessions, Treatment(start.AddDays(62), 1.5m, true)) is null) return client;
        if (await step(tokens.Practitioner, assessments, Assessment(start.AddDays(92), "outcome", courseId, null,
                new { scale = "gais", value = 2m, area = (string?)null }, new { scale = "fineLines", value = 1m, area = "face" })) is null)
            return client;
        await step(tokens.Practitioner, $"{c}/courses/{courseId}/maintenance-sessions", Treatment(start.AddDays(62 + 190), 1.0m, false));
        return client;
    }
}
