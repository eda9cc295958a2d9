using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.Treatment;

public sealed class ReactionTests(AppFixture fixture) : StoryContext(fixture)
{
    private static string Reactions(Guid client) => $"/api/clients/{client}/reactions";
    private static string Resolve(Guid client, Guid reaction) => $"/api/clients/{client}/reactions/{reaction}/resolve";
    private static string Sessions(Guid client, Guid course) => $"/api/clients/{client}/courses/{course}/sessions";
    private static string Resume(Guid client, Guid course) => $"/api/clients/{client}/courses/{course}/resume";

    private static object Reaction(DateTimeOffset occurredAt, string kind, string severity, Guid? sessionId = null, string? suspectedProduct = null) =>
        new { occurredAt = At(occurredAt), kind, severity, sessionId, suspectedProduct, notes = "seen at follow-up" };

    private async Task<JsonElement> Reported(Guid client, object body) => await Post(Roles.Practitioner, Reactions(client), body, 201);

    private static Guid[] PausedCourses(JsonElement answer) =>
        answer.GetProperty("pausedCourses").EnumerateArray().Select(c => c.GetGuid()).ToArray();

    [Fact]
    public async Task Reporting_answers_201_with_the_reaction_its_location_and_the_new_version()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var session = (await RecordedSession(client, course, 0.5m)).SessionId;
        Clock.Advance(TimeSpan.FromDays(1));
        var before = await VersionOf(client);

        var result = await As(Roles.Practitioner, s =>
        {
            s.Post.Json(Reaction(Clock.GetUtcNow(), "redness", "mild", session)).ToUrl(Reactions(client));
            s.StatusCodeShouldBe(201);
            s.Header("ETag").SingleValueShouldEqual($"\"{before + 1}\"");
        });
        var answer = await result.ReadAsJsonAsync<JsonElement>();
        var reaction = answer.GetProperty("reactionId").GetGuid();
        Assert.NotEqual(Guid.Empty, reaction);
        Assert.Empty(PausedCourses(answer));
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("serumAllergyRecorded").ValueKind);
        Assert.Equal($"/api/clients/{client}/reactions/{reaction}", result.Context.Response.Headers.Location.ToString());

        var read = await As(Roles.Practitioner, s =>
        {
            s.Get.Url($"/api/clients/{client}/reactions/{reaction}");
            s.StatusCodeShouldBeOk();
        });
        var stored = await read.ReadAsJsonAsync<JsonElement>();
        Assert.Equal("redness", stored.GetProperty("kind").GetString());
        Assert.Equal(session, stored.GetProperty("sessionId").GetGuid());
        Assert.False(stored.GetProperty("isResolved").GetBoolean());
    }

    [Fact]
    public async Task An_infection_pauses_the_active_and_the_planned_course_and_the_next_session_is_refused_as_paused()
    {
        var (client, active) = await ClientWithPlannedCourse();
        await RecordedSession(client, active, 0.5m);
        var planned = await PlannedCourse(client, await BookedConsultation(client, "darkSpots"));
        Clock.Advance(TimeSpan.FromDays(2));

        var answer = await Reported(client, Reaction(Clock.GetUtcNow(), "infection", "moderate"));
        Assert.Equal([active, planned], PausedCourses(answer));
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("serumAllergyRecorded").ValueKind);

        // course-paused is checked before the clinical rules, so it wins over unresolved-reaction.
        Clock.Advance(TimeSpan.FromDays(28));
        await Refused(Sessions(client, active), Session(Clock.GetUtcNow(), 0.5m), "course-paused");
        await Refused(Sessions(client, planned), Session(Clock.GetUtcNow(), 0.5m), "course-paused");
    }

    [Fact]
    public async Task Any_severe_reaction_pauses_the_clients_courses()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var answer = await Reported(client, Reaction(Clock.GetUtcNow(), "bruising", "severe"));
        Assert.Equal([course], PausedCourses(answer));
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), "course-paused");
    }

    [Fact]
    public async Task A_mild_pain_pauses_nothing_but_blocks_sessions_until_resolved()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var answer = await Reported(client, Reaction(Clock.GetUtcNow(), "pain", "mild"));
        Assert.Empty(PausedCourses(answer));
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("serumAllergyRecorded").ValueKind);

        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), "unresolved-reaction");
        await Post(Roles.Practitioner, Resolve(client, answer.GetProperty("reactionId").GetGuid()), new { resolvedAt = At(Clock.GetUtcNow()) });
        await RecordedSession(client, course, 0.5m);
    }

    [Fact]
    public async Task An_allergic_reaction_naming_a_serum_records_the_allergy_and_that_serum_is_refused_after_resuming()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var session = (await RecordedSession(client, course, 0.5m)).SessionId;
        Clock.Advance(TimeSpan.FromHours(6));

        var answer = await Reported(client, Reaction(Clock.GetUtcNow(), "allergicReaction", "moderate", session, " HydraBoost "));
        Assert.Equal([course], PausedCourses(answer));
        Assert.Equal("HydraBoost", answer.GetProperty("serumAllergyRecorded").GetString());

        Clock.Advance(TimeSpan.FromDays(5));
        await Post(Roles.Practitioner, Resolve(client, answer.GetProperty("reactionId").GetGuid()), new { resolvedAt = At(Clock.GetUtcNow()), outcome = "settled with antihistamines" });
        await Post(Roles.Practitioner, Resume(client, course), new { reason = "allergy settled; switching serum" });

        Clock.Advance(TimeSpan.FromDays(28));
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m, serum: "hydraboost"), "serum-allergy");
        await Post(Roles.Practitioner, Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m, serum: "CalmDerm"), 201);
    }

    [Fact]
    public async Task Resolving_answers_200_with_the_new_version_and_a_second_resolve_is_refused()
    {
        var (client, _) = await ClientWithPlannedCourse();
        var reaction = (await Reported(client, Reaction(Clock.GetUtcNow().AddDays(-1), "redness", "mild"))).GetProperty("reactionId").GetGuid();
        var before = await VersionOf(client);

        var result = await As(Roles.Practitioner, s =>
        {
            s.Post.Json(new { resolvedAt = At(Clock.GetUtcNow()), outcome = "faded" }).ToUrl(Resolve(client, reaction));
            s.StatusCodeShouldBe(200);
            s.Header("ETag").SingleValueShouldEqual($"\"{before + 1}\"");
        });
        Assert.Equal(before + 1, (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("version").GetInt64());

        await Refused(Resolve(client, reaction), new { resolvedAt = At(Clock.GetUtcNow()) }, "reaction-already-resolved");
    }

    [Fact]
    public async Task A_reaction_cannot_be_resolved_before_it_occurred()
    {
        var (client, _) = await ClientWithPlannedCourse();
        var occurred = Clock.GetUtcNow().AddDays(-2);
        var reaction = (await Reported(client, Reaction(occurred, "peeling", "mild"))).GetProperty("reactionId").GetGuid();
        await Refused(Resolve(client, reaction), new { resolvedAt = At(occurred.AddHours(-1)) }, "resolved-before-reported");
    }

    [Fact]
    public async Task An_unknown_reaction_is_404_and_another_clinic_cannot_resolve_it()
    {
        var (client, _) = await ClientWithPlannedCourse();
        var reaction = (await Reported(client, Reaction(Clock.GetUtcNow(), "redness", "mild"))).GetProperty("reactionId").GetGuid();
        var before = await EventCountAsync();

        await Post(Roles.Practitioner, Resolve(client, Guid.NewGuid()), new { resolvedAt = At(Clock.GetUtcNow()) }, 404);
        await As(Roles.Practitioner, s =>
        {
            s.Post.Json(new { resolvedAt = At(Clock.GetUtcNow()) }).ToUrl(Resolve(client, reaction));
            s.StatusCodeShouldBe(404);
        }, clinic: Tokens.OtherClinic);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task A_reaction_naming_a_session_the_record_lacks_is_unknown_session()
    {
        var (client, _) = await ClientWithPlannedCourse();
        await Refused(Reactions(client), Reaction(Clock.GetUtcNow(), "redness", "mild", Guid.NewGuid()), "unknown-session");
    }

    [Fact]
    public async Task Kind_and_severity_must_be_from_the_vocabulary()
    {
        var (client, _) = await ClientWithPlannedCourse();
        await Invalid(Reactions(client), new { occurredAt = At(Clock.GetUtcNow()), kind = "itching", severity = "terrible" }, "kind", "severity");
        await Invalid(Reactions(client), new { occurredAt = At(Clock.GetUtcNow()) }, "kind", "severity");
    }

    [Fact]
    public async Task Reception_cannot_report_or_resolve_reactions()
    {
        var (client, _) = await ClientWithPlannedCourse();
        var reaction = (await Reported(client, Reaction(Clock.GetUtcNow(), "redness", "mild"))).GetProperty("reactionId").GetGuid();
        var before = await EventCountAsync();
        await Post(Roles.Reception, Reactions(client), Reaction(Clock.GetUtcNow(), "redness", "mild"), 403);
        await Post(Roles.Reception, Resolve(client, reaction), new { resolvedAt = At(Clock.GetUtcNow()) }, 403);
        Assert.Equal(before, await EventCountAsync());
    }
}
