using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Courses.Api.Analytics;
using Courses.Api.Clients;
using Courses.Api.Consultations;
using Courses.Api.Http;
using Courses.Api.Maintenance;
using Courses.Api.Reactions;
using Courses.Api.Schedule;
using Courses.Api.Sessions;
using Courses.Api.Skin;
using Courses.Domain.Aftercare;
using Courses.Projections.Clients;
using Courses.Projections.Courses;

namespace Courses.Api.Tests.Harness;

/// <summary>Builds a client's treatment record through the API, one step at a time, as a clinic would.</summary>
public abstract class StoryContext(AppFixture fixture) : IntegrationContext(fixture)
{
    protected const string Practitioner = "pract-1";

    protected static string At(DateTimeOffset time) => ClinicRequests.At(time);

    protected async Task<JsonElement> Post(string role, string url, object body, int status = 200)
    {
        var result = await As(role, s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.StatusCodeShouldBe(status);
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    /// <summary>A photo upload as a front-end sends it: a multipart body (see TestImages.Multipart).</summary>
    protected Task<IScenarioResult> Uploaded(Guid client, (byte[] Body, string ContentType) body, int status = 201,
        string role = Roles.Practitioner, string clinic = Tokens.Clinic) =>
        As(role, s =>
        {
            s.Post.Url($"/api/clients/{client}/photos");
            s.ConfigureHttpContext(http =>
            {
                http.Request.ContentType = body.ContentType;
                http.Request.ContentLength = body.Body.Length;
                http.Request.Body = new MemoryStream(body.Body);
            });
            s.StatusCodeShouldBe(status);
        }, clinic);

    /// <summary>A photo of the face from the front, taken now (the client needs a photo consent).</summary>
    protected async Task<Guid> PhotoTaken(Guid client, Guid? sessionId = null) =>
        (await (await Uploaded(client, TestImages.Multipart(
            ("metadata", null, JsonSerializer.SerializeToUtf8Bytes(new { takenAt = At(Clock.GetUtcNow()), area = "face", view = "front", kind = "progress", sessionId })),
            ("image", "image/jpeg", TestImages.PlainJpeg())))).ReadAsJsonAsync<JsonElement>()).GetProperty("photoId").GetGuid();

    /// <summary>A write that creates nothing addressable, answered 200 with the client and the record's new version.</summary>
    protected async Task<RecordedAnswer> Accepted(string url, object body, string role = Roles.Practitioner) =>
        (await Post(role, url, body)).Deserialize<RecordedAnswer>(ReadModel.Json)!;

    protected static async Task<T> AnswerOf<T>(IScenarioResult result) =>
        JsonSerializer.Deserialize<T>(await result.ReadAsTextAsync(), ReadModel.Json)!;

    /// <summary>Posts a request the service must refuse with 422 and the given code, and checks nothing was appended.</summary>
    protected async Task<JsonElement> Refused(string url, object body, string code, string role = Roles.Practitioner)
    {
        var before = await EventCountAsync();
        var problem = await Post(role, url, body, 422);
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        Assert.Equal(before, await EventCountAsync());
        return problem;
    }

    /// <summary>Posts a malformed request and checks the 400 names the fields and nothing was appended.</summary>
    protected async Task<JsonElement> Invalid(string url, object body, params string[] fields)
    {
        var before = await EventCountAsync();
        var problem = await Post(Roles.Practitioner, url, body, 400);
        var errors = problem.GetProperty("errors");
        foreach (var field in fields) Assert.True(errors.TryGetProperty(field, out _), $"expected an error for {field}: {errors}");
        Assert.Equal(before, await EventCountAsync());
        return problem;
    }

    /// <summary>The record's version as the service reports it (the profile's ETag).</summary>
    protected async Task<long> VersionOf(Guid client)
    {
        var result = await As(Roles.Practitioner, s => s.Get.Url($"/api/clients/{client}"));
        return long.Parse(result.Context.Response.Headers.ETag.ToString().Trim('"'));
    }

    protected async Task<Guid> RegisteredClient(string name = "Ann Lee") =>
        (await Post(Roles.Reception, "/api/clients", new { fullName = name, dateOfBirth = "1990-04-01" }, 201))
        .Deserialize<ClientRegisteredResponse>(ReadModel.Json)!.ClientId;

    protected Task Screened(Guid client, params string[] conditions) =>
        Post(Roles.Practitioner, $"/api/clients/{client}/screenings",
            new { screenedAt = At(Clock.GetUtcNow()), conditions, knownAllergies = Array.Empty<string>() });

    protected Task Consented(Guid client) =>
        Post(Roles.Practitioner, $"/api/clients/{client}/consents",
            new { signedAt = At(Clock.GetUtcNow()), procedure = "microneedling", formVersion = "v3" });

    protected async Task<Guid> BookedConsultation(Guid client, params string[] concerns) =>
        (await Post(Roles.Reception, $"/api/clients/{client}/consultations",
            new { scheduledAt = At(Clock.GetUtcNow().AddDays(3)), practitionerId = Practitioner, concerns = concerns.Length > 0 ? concerns : ["fineLines"] }, 201))
        .Deserialize<ConsultationBookedAnswer>(ReadModel.Json)!.ConsultationId;

    protected static object Plan(decimal faceDepth = 0.5m, int? sessions = null) => new
    {
        areas = new[] { new { area = "face", startingDepthMm = faceDepth } },
        serum = new { product = "HydraBoost", lot = "L-100" },
        plannedSessions = sessions,
    };

    protected async Task<Guid> PlannedCourse(Guid client, Guid consultation, object? plan = null) =>
        (await CompletedConsultation(client, consultation, "plan", plan ?? Plan())).CourseId!.Value;

    /// <summary>A consultation completed now by the practitioner: "plan" (201, a course) or "decline" (200).</summary>
    protected async Task<ConsultationCompletedAnswer> CompletedConsultation(Guid client, Guid consultation, string outcome,
        object? plan = null, string? declineReason = null, string[]? concerns = null) =>
        (await Post(Roles.Practitioner, $"/api/clients/{client}/consultations/{consultation}/complete",
            new { completedAt = At(Clock.GetUtcNow()), practitionerId = Practitioner, outcome, concerns = concerns ?? ["fineLines"], plan, declineReason },
            outcome == "plan" ? 201 : 200))
        .Deserialize<ConsultationCompletedAnswer>(ReadModel.Json)!;

    /// <summary>A client ready for a first session: registered, screened, consented, consulted, with a planned course.</summary>
    protected async Task<(Guid Client, Guid Course)> ClientWithPlannedCourse(object? plan = null)
    {
        var client = await RegisteredClient();
        await Screened(client);
        await Consented(client);
        var consultation = await BookedConsultation(client);
        return (client, await PlannedCourse(client, consultation, plan));
    }

    protected static object Session(DateTimeOffset performedAt, decimal faceDepth, bool numbing = false, string serum = "HydraBoost") =>
        ClinicRequests.Session(performedAt, Practitioner, faceDepth, product: serum, numbing: numbing);

    /// <summary>The aftercare the default protocol gives for a session on <paramref name="performedOn"/>: hygiene 3 days, water and irritants 7.</summary>
    protected static IReadOnlyList<AftercareInstruction> AftercareAfter(DateOnly performedOn) =>
    [
        new("hygiene", "Use a clean face towel each time and put on a clean pillowcase every evening.", performedOn.AddDays(3)),
        new("waterAndIrritants", "No swimming pools, lakes, rivers or oceans, and no irritating soaps or lotions.", performedOn.AddDays(7)),
        new("sunProtection", "Apply SPF every day.", null),
    ];

    protected async Task<SessionRecordedAnswer> RecordedSession(Guid client, Guid course, decimal faceDepth, bool numbing = false) =>
        (await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/sessions", Session(Clock.GetUtcNow(), faceDepth, numbing), 201))
        .Deserialize<SessionRecordedAnswer>(ReadModel.Json)!;

    protected static object Reaction(DateTimeOffset occurredAt, string kind, string severity, Guid? sessionId = null,
        string? suspectedProduct = null, string? notes = null) =>
        new { occurredAt = At(occurredAt), kind, severity, sessionId, suspectedProduct, notes };

    protected async Task<ReactionReportedAnswer> ReportedReaction(Guid client, object reaction) =>
        (await Post(Roles.Practitioner, $"/api/clients/{client}/reactions", reaction, 201)).Deserialize<ReactionReportedAnswer>(ReadModel.Json)!;

    /// <summary>An assessment body as a practitioner's tablet sends it; scores from <see cref="Score"/>.</summary>
    protected static object Assessment(DateTimeOffset assessedAt, string kind, object[] scores, Guid? courseId = null, Guid? sessionId = null,
        string? notes = null) =>
        new { assessedAt = At(assessedAt), kind, courseId, sessionId, assessorId = Practitioner, scores, notes };

    protected static object Score(string scale, decimal value, string? area = null) => new { scale, value, area };

    protected async Task<Guid> Assessed(Guid client, object assessment) =>
        (await Post(Roles.Practitioner, $"/api/clients/{client}/skin-assessments", assessment, 201)).GetProperty("assessmentId").GetGuid();

    protected Task<SkinEvolutionAnswer> SkinEvolutionOf(Guid client, string role = Roles.Practitioner) =>
        Read<SkinEvolutionAnswer>($"/api/clients/{client}/skin-evolution", role);

    protected Task ResolvedReaction(Guid client, Guid reaction, string? outcome = null) =>
        Post(Roles.Practitioner, $"/api/clients/{client}/reactions/{reaction}/resolve", new { resolvedAt = At(Clock.GetUtcNow()), outcome });
    /// <summary>A client registered with all their contact details, in the given clinic.</summary>
    protected async Task<Guid> ClientWithContact(string name, string dateOfBirth, string? email = null, string? phone = null,
        string clinic = Tokens.Clinic)
    {
        var result = await As(Roles.Reception, s =>
        {
            s.Post.Json(new { fullName = name, dateOfBirth, email, phone }).ToUrl("/api/clients");
            s.StatusCodeShouldBe(201);
        }, clinic);
        return (await AnswerOf<ClientRegisteredResponse>(result)).ClientId;
    }

    /// <summary>What the front desk's search finds for q (escaped here), with any further query such as "&amp;pageSize=2".</summary>
    protected Task<ClientsFound> Found(string q, string more = "", string role = Roles.Reception, string clinic = Tokens.Clinic) =>
        Read<ClientsFound>($"/api/clients?q={Uri.EscapeDataString(q)}{more}", role, clinic);

    /// <summary>A read route's answer, as the service's own type.</summary>
    protected async Task<T> Read<T>(string url, string role = Roles.Practitioner, string clinic = Tokens.Clinic)
    {
        var result = await As(role, s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(200);
        }, clinic);
        return JsonSerializer.Deserialize<T>(await result.ReadAsTextAsync(), ReadModel.Json)!;
    }

    protected Task<ClientProfile> ProfileOf(Guid client, string role = Roles.Practitioner) => Read<ClientProfile>($"/api/clients/{client}", role);

    protected Task<CourseProgress> CourseOf(Guid client, Guid course, string role = Roles.Practitioner) =>
        Read<CourseProgress>($"/api/clients/{client}/courses/{course}", role);

    protected Task<List<CourseProgress>> CoursesOf(Guid client, string role = Roles.Practitioner) =>
        Read<List<CourseProgress>>($"/api/clients/{client}/courses", role);

    protected Task<DepthEscalationHistory> DepthHistoryOf(Guid client, string role = Roles.Practitioner) =>
        Read<DepthEscalationHistory>($"/api/clients/{client}/depth-history", role);

    protected Task<MaintenanceDuePage> MaintenanceDueList(string query, string role = Roles.Reception) =>
        Read<MaintenanceDuePage>($"/api/maintenance/due{query}", role);

    protected Task<MonthlyStatsAnswer> MonthlyStatsOf(string query, string role = Roles.Analyst, string clinic = Tokens.Clinic) =>
        Read<MonthlyStatsAnswer>($"/api/analytics/monthly{query}", role, clinic);

    /// <summary>The clinic's protocol, adjusted by its admin to keep the clinic's days in <paramref name="zone"/>.</summary>
    protected Task ClinicIn(string zone, string clinic = Tokens.Clinic) => ProtocolAdjusted(p => p["timeZone"] = zone, clinic);

    /// <summary>The clinic's protocol as its admin reads it, changed and put back.</summary>
    protected async Task ProtocolAdjusted(Action<JsonObject> change, string clinic = Tokens.Clinic)
    {
        var current = await As(Roles.Admin, s => s.Get.Url("/api/protocol"), clinic);
        var protocol = JsonNode.Parse(current.ReadAsText())!.AsObject();
        change(protocol);
        await As(Roles.Admin, s =>
        {
            s.Put.Text(protocol.ToJsonString()).ToUrl("/api/protocol");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(200);
        }, clinic);
    }

    protected async Task<Guid> BookedConsultation(Guid client, DateTimeOffset scheduledAt, string practitioner = Practitioner) =>
        (await Post(Roles.Reception, $"/api/clients/{client}/consultations",
            new { scheduledAt = At(scheduledAt), practitionerId = practitioner, concerns = new[] { "fineLines" } }, 201))
        .Deserialize<ConsultationBookedAnswer>(ReadModel.Json)!.ConsultationId;

    protected Task<ClinicDay> ScheduleOf(string query, string role = Roles.Reception, string clinic = Tokens.Clinic) =>
        Read<ClinicDay>($"/api/schedule{query}", role, clinic);
}
