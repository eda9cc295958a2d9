using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Sessions;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.Treatment;

public sealed class SessionTests(AppFixture fixture) : StoryContext(fixture)
{
    private static string Sessions(Guid client, Guid course) => $"/api/clients/{client}/courses/{course}/sessions";

    [Fact]
    public async Task A_first_session_answers_its_number_aftercare_and_next_due_date()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var before = await VersionOf(client);
        var result = await As(Roles.Practitioner, s =>
        {
            s.Post.Json(Session(Clock.GetUtcNow(), 0.5m)).ToUrl(Sessions(client, course));
            s.StatusCodeShouldBe(201);
            s.Header("ETag").SingleValueShouldEqual($"\"{before + 1}\"");
        });
        var body = await result.ReadAsJsonAsync<JsonElement>();
        Assert.False(body.TryGetProperty("newVersion", out _), "the version belongs in the ETag, not the body");
        var answer = body.Deserialize<SessionRecordedAnswer>(ReadModel.Json)!;
        // Performed on 5 January: aftercare from that day, the next session a calendar month on.
        ReadModel.Equal(new SessionRecordedAnswer(answer.SessionId, SessionNumber: 1,
            AftercareAfter(new DateOnly(2026, 1, 5)),
            Precautions: [], NextSessionDueOn: new DateOnly(2026, 2, 5), CourseCompleted: false, MaintenanceDueOn: null, client, course, before + 1), answer);
        Assert.Equal($"/api/clients/{client}/courses/{course}", result.Context.Response.Headers.Location.ToString());
    }

    [Fact]
    public async Task A_first_session_deeper_than_planned_is_refused()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(faceDepth: 0.5m));
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.55m), "first-session-too-deep");
    }

    [Fact]
    public async Task A_session_28_days_later_is_allowed_but_27_is_too_soon()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(27));
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), "too-soon");
        Clock.Advance(TimeSpan.FromDays(1));
        await RecordedSession(client, course, 0.5m);
    }

    [Fact]
    public async Task Escalation_is_limited_and_deep_sessions_need_numbing()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(28));
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 1.05m, numbing: true), "escalation-too-steep");
        await RecordedSession(client, course, 1.0m);
        Clock.Advance(TimeSpan.FromDays(28));
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 1.5m), "numbing-required");
        await RecordedSession(client, course, 1.5m, numbing: true);
    }

    [Fact]
    public async Task No_session_without_consent()
    {
        var client = await RegisteredClient();
        await Screened(client);
        var consultation = await BookedConsultation(client);
        var course = await PlannedCourse(client, consultation);
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), "consent-required");
    }

    [Fact]
    public async Task No_session_once_a_later_screening_shows_a_contraindication()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await Screened(client, "activeSkinInfection");
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), "contraindicated");
    }

    [Fact]
    public async Task A_session_dated_before_the_latest_one_is_out_of_order()
    {
        var (client, course) = await ClientWithPlannedCourse();
        Clock.Advance(TimeSpan.FromDays(60));
        await RecordedSession(client, course, 0.5m);
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow().AddDays(-30), 0.5m), "out-of-order");
    }

    [Fact]
    public async Task Maintenance_is_not_allowed_before_the_course_completes()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(28));
        await Refused($"/api/clients/{client}/courses/{course}/maintenance-sessions", Session(Clock.GetUtcNow(), 0.5m), "maintenance-not-allowed");
    }

    [Fact]
    public async Task Session_input_is_validated_per_field()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await Invalid(Sessions(client, course),
            new { performedAt = At(Clock.GetUtcNow()), areas = new[] { new { area = "cheek", depthMm = -1m } }, serum = new { product = "" } },
            "practitionerId", "areas[0].area", "areas[0].depthMm", "serum.product", "serum.lot", "numbingCreamApplied");
    }

    [Fact]
    public async Task An_unknown_course_is_404()
    {
        var (client, _) = await ClientWithPlannedCourse();
        await Post(Roles.Practitioner, Sessions(client, Guid.NewGuid()), Session(Clock.GetUtcNow(), 0.5m), 404);
    }

    [Fact]
    public async Task Two_writes_with_the_same_If_Match_one_wins_one_gets_412()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var version = (await As(Roles.Practitioner, s => s.Get.Url($"/api/clients/{client}")))
            .Context.Response.Headers.ETag.ToString();

        async Task<int> Write(string reason) => (await As(Roles.Reception, s =>
        {
            s.WithRequestHeader("If-Match", version);
            s.Post.Json(new { scheduledAt = At(Clock.GetUtcNow().AddDays(5)), practitionerId = Practitioner, concerns = new[] { reason } })
                .ToUrl($"/api/clients/{client}/consultations");
            s.IgnoreStatusCode();
        })).Context.Response.StatusCode;

        var statuses = new[] { await Write("fineLines"), await Write("darkSpots") };
        Assert.Equal([201, 412], statuses);
    }

    [Fact]
    public async Task Concurrent_writes_with_the_same_If_Match_let_exactly_one_through()
    {
        var (client, _) = await ClientWithPlannedCourse();
        var version = await VersionOf(client);
        var before = await EventCountAsync();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => (await As(Roles.Reception, s =>
        {
            s.WithRequestHeader("If-Match", $"\"{version}\"");
            s.Post.Json(new { scheduledAt = At(Clock.GetUtcNow().AddDays(5)), practitionerId = Practitioner, concerns = new[] { "fineLines" } })
                .ToUrl($"/api/clients/{client}/consultations");
            s.IgnoreStatusCode();
        })).Context.Response.StatusCode));

        Assert.Equal(1, statuses.Count(s => s == 201));
        Assert.All(statuses.Where(s => s != 201), s => Assert.Equal(412, s));
        Assert.Equal(before + 1, await EventCountAsync());
    }

    [Fact]
    public async Task Concurrent_writes_without_If_Match_are_decided_on_fresh_state()
    {
        var (client, _) = await ClientWithPlannedCourse();
        var before = await EventCountAsync();
        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ => (await As(Roles.Reception, s =>
        {
            s.Post.Json(new { scheduledAt = At(Clock.GetUtcNow().AddDays(5)), practitionerId = Practitioner, concerns = new[] { "fineLines" } })
                .ToUrl($"/api/clients/{client}/consultations");
            s.IgnoreStatusCode();
        })).Context.Response.StatusCode));

        // Each lost race is retried on fresh state; only a writer that loses every retry may see 409.
        Assert.All(statuses, s => Assert.Contains(s, new[] { 201, 409 }));
        Assert.Equal(before + statuses.Count(s => s == 201), await EventCountAsync());
        Assert.True(statuses.Count(s => s == 201) >= 3, $"statuses: {string.Join(",", statuses)}");
    }

    [Fact]
    public async Task A_malformed_If_Match_is_400()
    {
        var (client, _) = await ClientWithPlannedCourse();
        await As(Roles.Reception, s =>
        {
            s.WithRequestHeader("If-Match", "\"abc\"");
            s.Post.Json(new { scheduledAt = At(Clock.GetUtcNow()), practitionerId = Practitioner, concerns = new[] { "fineLines" } })
                .ToUrl($"/api/clients/{client}/consultations");
            s.StatusCodeShouldBe(400);
        });
    }
}
