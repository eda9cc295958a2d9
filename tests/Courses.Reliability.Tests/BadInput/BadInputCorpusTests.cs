using System.Text.Json.Nodes;
using Courses.Reliability.Tests.Harness;
using Courses.Reliability.Tests.Security;
using static Courses.Reliability.Tests.Harness.Clinic;
using Courses.Api.Http;

namespace Courses.Reliability.Tests.BadInput;

/// <summary>Thousands of malformed, hostile or oversized requests over every write route: each a 4xx problem, none appends.</summary>
public sealed class BadInputCorpusTests(InProcessFixture fixture)
{
    private static JsonObject Json(object value) => JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(value))!.AsObject();

    private static readonly (string, Kind, bool)[] SessionFields =
    [
        ("performedAt", Kind.Time, true), ("practitionerId", Kind.Name, true), ("areas", Kind.List, true),
        ("areas[0].area", Kind.Enum, true), ("areas[0].depthMm", Kind.Depth, true), ("serum", Kind.Object, true),
        ("serum.product", Kind.Name, true), ("serum.lot", Kind.Name, false), ("numbingCreamApplied", Kind.Flag, false),
        ("calmingMaskApplied", Kind.Flag, false), ("spfApplied", Kind.Flag, false), ("notes", Kind.Text, false),
    ];

    private static readonly (string, Kind, bool)[] TracedSessionFields =
    [
        .. SessionFields.Where(f => f.Item1 != "numbingCreamApplied"),
        ("numbingCream", Kind.Object, false), ("numbingCream.product", Kind.Name, true), ("numbingCream.lot", Kind.Name, false),
        ("needleCartridge", Kind.Object, false), ("needleCartridge.product", Kind.Name, true), ("needleCartridge.lot", Kind.Name, false),
        ("device", Kind.Object, false), ("device.model", Kind.Name, true), ("device.serial", Kind.Name, false),
    ];

    /// <summary>Every write route of the access matrix, on a real record of clinic A, with a valid body to mutate.</summary>
    public static async Task<List<WriteRoute>> RoutesAsync(ApiClient api)
    {
        var a = await FullRecordAsync(api, Tokens.ClinicA);
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        var c = $"/api/clients/{a.Client}";
        var protocol = (await api.Get(Tokens.For(Roles.Admin), "/api/protocol")).Body;
        var routes = new List<WriteRoute>
        {
            new("POST", "/api/clients", Roles.Reception, Json(new { fullName = "Corpus Client", dateOfBirth = "1990-04-01", email = "c@example.com", phone = "+44 20 7946 0000" }),
                [("fullName", Kind.Name, true), ("dateOfBirth", Kind.Date, true), ("email", Kind.Text, false), ("phone", Kind.Text, false)]),
            new("POST", $"{c}/contact-details", Roles.Reception, Json(new { email = "c@example.com", phone = "+44 20 7946 0001" }),
                [("email", Kind.Text, false), ("phone", Kind.Text, false)]),
            new("POST", $"{c}/screenings", Roles.Practitioner, Json(new { screenedAt = At(now), conditions = new[] { "coldSoreHistory" }, knownAllergies = new[] { "latex" }, notes = "ok" }),
                [("screenedAt", Kind.Time, true), ("conditions", Kind.EnumList, true), ("knownAllergies", Kind.List, true), ("notes", Kind.Text, false)]),
            new("POST", $"{c}/consents", Roles.Practitioner, Json(new
                {
                    signedAt = At(now), procedure = "microneedling", formVersion = "v4", documentSha256 = new string('0', 64), explainedBy = Practitioner,
                    risksExplained = new[] { "pain" }, method = "paper",
                }),
                [("signedAt", Kind.Time, true), ("procedure", Kind.Enum, true), ("formVersion", Kind.Name, true), ("documentSha256", Kind.Name, false),
                 ("explainedBy", Kind.Name, false), ("risksExplained", Kind.EnumList, false), ("method", Kind.Enum, false)]),
            new("POST", $"{c}/consents/withdraw", Roles.Practitioner, Json(new { withdrawnAt = At(now), reason = "changed her mind" }),
                [("withdrawnAt", Kind.Time, true), ("reason", Kind.Text, true)]),
            new("POST", $"{c}/consultations", Roles.Reception, Json(new { scheduledAt = At(now.AddDays(7)), practitionerId = Practitioner, concerns = new[] { "darkSpots" } }),
                [("scheduledAt", Kind.Time, true), ("practitionerId", Kind.Name, true), ("concerns", Kind.EnumList, true)]),
            new("POST", $"{c}/consultations/{a.Consultation}/reschedule", Roles.Reception, Json(new { scheduledAt = At(now.AddDays(8)), reason = "moved" }),
                [("scheduledAt", Kind.Time, true), ("reason", Kind.Text, false)]),
            new("POST", $"{c}/consultations/{a.Consultation}/cancel", Roles.Reception, Json(new { reason = "ill" }), [("reason", Kind.Text, true)]),
            new("POST", $"{c}/consultations/{a.Consultation}/complete", Roles.Practitioner, Json(new
                {
                    completedAt = At(now), practitionerId = Practitioner, outcome = "plan", concerns = new[] { "fineLines" },
                    plan = new { areas = new[] { new { area = "face", startingDepthMm = 0.5m } }, serum = new { product = "HydraBoost", lot = "REL-1" }, plannedSessions = 3 },
                    declineReason = (string?)null,
                }),
                [("completedAt", Kind.Time, true), ("practitionerId", Kind.Name, true), ("outcome", Kind.Enum, true), ("concerns", Kind.EnumList, true),
                 ("plan", Kind.Object, false), ("plan.areas[0].area", Kind.Enum, true), ("plan.areas[0].startingDepthMm", Kind.Depth, true), ("plan.plannedSessions", Kind.Count, false)]),
            new("POST", $"{c}/courses/{a.Course}/sessions", Roles.Practitioner, Json(Session(now)), SessionFields),
            new("POST", $"{c}/courses/{a.Course}/maintenance-sessions", Roles.Practitioner, Json(ClinicRequests.TracedSession(now.ToUniversalTime(), Practitioner, 0.5m, serumLot: "REL-1")),
                TracedSessionFields),
            new("POST", $"{c}/courses/{a.Course}/pause", Roles.Practitioner, Json(new { reason = "holiday" }), [("reason", Kind.Text, true)]),
            new("POST", $"{c}/courses/{a.Course}/resume", Roles.Practitioner, Json(new { reason = "back" }), [("reason", Kind.Text, true)]),
            new("POST", $"{c}/courses/{a.Course}/cancel", Roles.Practitioner, Json(new { reason = "moved away" }), [("reason", Kind.Text, true)]),
            new("POST", $"{c}/reactions", Roles.Practitioner, Json(new { occurredAt = At(now), kind = "redness", severity = "mild", sessionId = a.Session, suspectedProduct = "HydraBoost", notes = "warm" }),
                [("occurredAt", Kind.Time, true), ("kind", Kind.Enum, true), ("severity", Kind.Enum, true), ("sessionId", Kind.Id, false),
                 ("suspectedProduct", Kind.Name, false), ("notes", Kind.Text, false)]),
            new("POST", $"{c}/skin-assessments", Roles.Practitioner, Json(new
                {
                    assessedAt = At(now), kind = "healingCheck", courseId = a.Course, sessionId = a.Session, assessorId = Practitioner,
                    scores = new[] { new { scale = "erythema", value = 1m, area = "face" } }, photoIds = new[] { Guid.NewGuid() }, notes = "calm",
                }),
                [("assessedAt", Kind.Time, true), ("kind", Kind.Enum, true), ("courseId", Kind.Id, false), ("sessionId", Kind.Id, false),
                 ("assessorId", Kind.Name, true), ("scores", Kind.List, true), ("scores[0].scale", Kind.Name, true), ("scores[0].value", Kind.Number, true),
                 ("scores[0].area", Kind.Enum, false), ("photoIds", Kind.List, false), ("notes", Kind.Text, false)]),
            new("POST", $"{c}/photo-consents", Roles.Practitioner, Json(new { signedAt = At(now), formVersion = "photo-v1", uses = new[] { "clinicalRecord", "education" } }),
                [("signedAt", Kind.Time, true), ("formVersion", Kind.Name, true), ("uses", Kind.EnumList, true)]),
            new("POST", $"{c}/photo-consents/withdraw", Roles.Practitioner, Json(new { withdrawnAt = At(now), uses = new[] { "education" } }),
                [("withdrawnAt", Kind.Time, true), ("uses", Kind.EnumList, true)]),
            new("POST", $"{c}/photos/{Guid.NewGuid()}/retract", Roles.Practitioner, Json(new { reason = "taken in error" }), [("reason", Kind.Text, true)]),
            new("POST", $"{c}/reactions/{a.Reaction}/resolve", Roles.Practitioner, Json(new { resolvedAt = At(now), outcome = "gone" }),
                [("resolvedAt", Kind.Time, true), ("outcome", Kind.Text, false)]),
            new("POST", $"{c}/erase-contact", Roles.Admin, Json(new { reason = "asked" }), [("reason", Kind.Text, false)],
                BodyOptional: true),
            new("PUT", "/api/protocol", Roles.Admin, JsonNode.Parse(protocol)!.AsObject(),
                [("minDepthMm", Kind.Number, false), ("maxIncreasePerSessionMm", Kind.Number, false), ("minDaysBetweenCourseSessions", Kind.Number, false),
                 ("timeZone", Kind.Name, false)]),
            new("POST", "/api/webhooks", Roles.Admin, Json(new { url = "https://clinic.example/hooks", kinds = new[] { "session.recorded" } }),
                [("url", Kind.Name, true), ("kinds", Kind.List, true)]),
        };
        // Writes that take no body at all: their route is the whole request. The photo upload is multipart, not JSON: its
        // corpus is PhotoUploadCorpusTests.
        string[] withoutBody = ["DELETE /api/webhooks/{id}", "POST /api/webhooks/dead-letters/{id}/replay", "POST /api/clients/{clientId}/photos"];
        var writes = AccessMatrix.Routes.Count(r => r.Method != "GET" && !withoutBody.Contains($"{r.Method} {r.Route}"));
        Assert.Equal(writes, routes.Count);
        return routes;
    }

    [Fact]
    public async Task Every_bad_request_is_a_4xx_problem_without_internals_and_appends_nothing()
    {
        var figures = new Figures("bad-input");
        var routes = await RoutesAsync(fixture.Api);
        var before = await fixture.EventCountAsync();
        var failures = new List<string>();
        var rounds = Scale.Count(1, 5);
        for (var round = 0; round < rounds; round++)
        {
            foreach (var bad in Corpus.Generate(routes, seed: 7 + round, truncations: 30))
            {
                var answer = await SendAsync(fixture.Api, bad);
                figures.Add("tried");
                figures.Add($"tried {bad.Category}");
                figures.Add($"tried route {Surface(bad.Route.Path)}");
                figures.Add($"status {answer.Status}");
                if (answer.Status >= 500) figures.Add("5xx");
                var expected = bad.Category.Contains("(413)", StringComparison.Ordinal) ? 413
                    : bad.Category.Contains("(415)", StringComparison.Ordinal) ? 415 : (int?)null;
                if (expected is { } status && answer.Status != status) failures.Add($"{answer.Status}, not {status}, for {bad}");
                else if (answer.Status == 413 && answer.Headers.ConnectionClose != true) failures.Add($"413 without Connection: close for {bad}");
                else if (Verdicts.Wrong(answer, bad.ToString(), foundIsFine: false) is { } wrong) failures.Add(wrong);
            }
        }
        await Verdicts.Conclude(figures, failures, before, "bad requests", fixture.EventCountAsync);
        Assert.True(figures["tried"] >= 2000, $"only {figures["tried"]} bad requests generated");
    }

    /// <summary>What a route writes: the segment after the client (consents, skin-assessments, …) or after /api.</summary>
    private static string Surface(string path) =>
        path.Split('/', StringSplitOptions.RemoveEmptyEntries) is [_, "clients", _, var part, ..] ? part
        : path.Split('/', StringSplitOptions.RemoveEmptyEntries)[1];

    public static Task<Answer> SendAsync(ApiClient api, BadRequest bad, CancellationToken cancellation = default) =>
        api.Send(new HttpMethod(bad.Route.Method), bad.PathOverride ?? bad.Route.Path, Tokens.For(bad.Route.Role), rawBody: bad.Body,
            contentType: bad.ContentType, cancellation: cancellation);

    /// <summary>Stack traces, exception types or SQL in an answer: what no caller should ever see.</summary>
    public static bool Leaks(string body) =>
        new[] { "   at ", "Exception", "Npgsql", "System.", "courses_rel", "mt_", "SqlState", "syntax error at" }
            .Any(marker => body.Contains(marker, StringComparison.Ordinal));
}
