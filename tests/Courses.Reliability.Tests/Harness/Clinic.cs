using System.Text.Json;
using Courses.Api.Http;

namespace Courses.Reliability.Tests.Harness;

/// <summary>A client's record built through the API, dated in the past so that later sessions fit the protocol.</summary>
public sealed record RecordIds(Guid Client, Guid Consultation, Guid Course, Guid Session, Guid Reaction, DateTimeOffset Start);

public static class Clinic
{
    public const string Practitioner = "rel-pract";

    public static string At(DateTimeOffset time) => ClinicRequests.At(time.ToUniversalTime());

    public static async Task<JsonElement> Ok(Task<Answer> call, int status)
    {
        var answer = await call;
        if (answer.Status != status)
            throw new InvalidOperationException($"expected {status}, got {answer.Status}: {answer.Body}");
        return answer.Body.Length == 0 ? default : answer.Json;
    }

    public static object Session(DateTimeOffset performedAt, decimal depth = 0.5m) =>
        ClinicRequests.Session(performedAt.ToUniversalTime(), Practitioner, depth, lot: "REL-1");

    /// <summary>Registered, screened, consented, consulted, a course planned (10 sessions) and nothing more.</summary>
    public static async Task<(Guid Client, Guid Consultation, Guid Course, DateTimeOffset Start)> PlannedCourseAsync(
        ApiClient api, string clinic, DateTimeOffset start, string name = "Rel Client")
    {
        var reception = Tokens.For(Roles.Reception, clinic);
        var practitioner = Tokens.For(Roles.Practitioner, clinic);
        var client = (await Ok(api.Post(reception, "/api/clients", new { fullName = name, dateOfBirth = "1990-04-01" }), 201))
            .GetProperty("clientId").GetGuid();
        var c = $"/api/clients/{client}";
        await Ok(api.Post(practitioner, $"{c}/screenings",
            new { screenedAt = At(start), conditions = Array.Empty<string>(), knownAllergies = Array.Empty<string>() }), 200);
        await Ok(api.Post(practitioner, $"{c}/consents", new { signedAt = At(start), procedure = "microneedling", formVersion = "v3" }), 200);
        var consultation = (await Ok(api.Post(reception, $"{c}/consultations",
                new { scheduledAt = At(start.AddHours(1)), practitionerId = Practitioner, concerns = new[] { "fineLines" } }), 201))
            .GetProperty("consultationId").GetGuid();
        var course = (await Ok(api.Post(practitioner, $"{c}/consultations/{consultation}/complete", new
            {
                completedAt = At(start.AddHours(2)), practitionerId = Practitioner, outcome = "plan", concerns = new[] { "fineLines" },
                plan = new
                {
                    areas = new[] { new { area = "face", startingDepthMm = 0.5m } },
                    serum = new { product = "HydraBoost", lot = "REL-1" },
                    plannedSessions = 10,
                },
            }), 201))
            .GetProperty("courseId").GetGuid();
        return (client, consultation, course, start);
    }

    /// <summary>A record with one of everything: a session and a resolved reaction besides the planned course.</summary>
    public static async Task<RecordIds> FullRecordAsync(ApiClient api, string clinic)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-200);
        var (client, consultation, course, _) = await PlannedCourseAsync(api, clinic, start);
        var practitioner = Tokens.For(Roles.Practitioner, clinic);
        var c = $"/api/clients/{client}";
        var session = (await Ok(api.Post(practitioner, $"{c}/courses/{course}/sessions", Session(start.AddDays(1))), 201))
            .GetProperty("sessionId").GetGuid();
        var reaction = (await Ok(api.Post(practitioner, $"{c}/reactions",
                new { occurredAt = At(start.AddDays(2)), kind = "redness", severity = "mild", sessionId = session }), 201))
            .GetProperty("reactionId").GetGuid();
        await Ok(api.Post(practitioner, $"{c}/reactions/{reaction}/resolve", new { resolvedAt = At(start.AddDays(4)), outcome = "settled" }), 200);
        return new RecordIds(client, consultation, course, session, reaction, start);
    }
}
