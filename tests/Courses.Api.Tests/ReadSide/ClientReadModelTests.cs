using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.ReadSide;

/// <summary>The client's profile, courses and depth history after the story of a course with a reaction.</summary>
public sealed class ClientReadModelTests(AppFixture fixture) : StoryContext(fixture)
{
    private async Task<JsonElement> Get(string url, string role = Roles.Practitioner, int status = 200)
    {
        var result = await As(role, s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    /// <summary>Two sessions (0.5 then 1.0 mm on the face, 1.0 with numbing), then a redness 2 days after the second.</summary>
    private async Task<(Guid Client, Guid Course, Guid Reaction)> CourseWithAReaction()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(faceDepth: 0.5m, sessions: 3));
        await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(31));
        await RecordedSession(client, course, 1.0m, numbing: true);
        Clock.Advance(TimeSpan.FromDays(2));
        var reaction = await Post(Roles.Practitioner, $"/api/clients/{client}/reactions",
            new { occurredAt = At(Clock.GetUtcNow()), kind = "redness", severity = "mild" }, 201);
        return (client, course, reaction.GetProperty("reactionId").GetGuid());
    }

    [Fact]
    public async Task The_profile_shows_screening_consent_running_courses_and_open_reactions()
    {
        var (client, course, reaction) = await CourseWithAReaction();

        var profile = await Get($"/api/clients/{client}", Roles.Reception);
        Assert.Equal("Ann Lee", profile.GetProperty("fullName").GetString());
        Assert.Equal("microneedling", profile.GetProperty("consent").GetProperty("procedure").GetString());
        Assert.Empty(profile.GetProperty("latestScreening").GetProperty("conditions").EnumerateArray());
        var running = Assert.Single(profile.GetProperty("activeCourses").EnumerateArray());
        Assert.Equal(course, running.GetProperty("courseId").GetGuid());
        Assert.Equal("active", running.GetProperty("status").GetString());
        Assert.Equal(2, running.GetProperty("sessionsCompleted").GetInt32());
        Assert.Equal(reaction, Assert.Single(profile.GetProperty("openReactions").EnumerateArray()).GetProperty("reactionId").GetGuid());
        Assert.Empty(profile.GetProperty("upcomingConsultations").EnumerateArray());
        Assert.Equal(await VersionOf(client), profile.GetProperty("version").GetInt64());
    }

    [Fact]
    public async Task Course_progress_lists_sessions_depths_and_what_is_due()
    {
        var (client, course, reaction) = await CourseWithAReaction();

        var result = await As(Roles.Auditor, s => s.Get.Url($"/api/clients/{client}/courses/{course}"));
        var version = await VersionOf(client);
        Assert.Equal($"\"{version}\"", result.Context.Response.Headers.ETag.ToString());
        var progress = await result.ReadAsJsonAsync<JsonElement>();
        Assert.Equal(version, progress.GetProperty("version").GetInt64());
        Assert.Equal(course, progress.GetProperty("courseId").GetGuid());
        Assert.Equal(client, progress.GetProperty("clientId").GetGuid());
        Assert.Equal("active", progress.GetProperty("status").GetString());
        Assert.Equal(3, progress.GetProperty("plannedSessions").GetInt32());
        Assert.Equal(2, progress.GetProperty("sessionsCompleted").GetInt32());
        var depths = progress.GetProperty("sessions").EnumerateArray()
            .Select(s => s.GetProperty("areas")[0].GetProperty("depthMm").GetDecimal());
        Assert.Equal([0.5m, 1.0m], depths);
        // Second session on 2026-02-05 (the clock's start + 31 days): the next is due a calendar month later.
        Assert.Equal("2026-03-05", progress.GetProperty("nextSessionDueOn").GetString());
        Assert.Equal(JsonValueKind.Null, progress.GetProperty("maintenanceDueOn").ValueKind);
        // The reaction named no session, so it is on the client's profile but on no course.
        Assert.Empty(progress.GetProperty("openReactions").EnumerateArray());
        Assert.NotEqual(Guid.Empty, reaction);

        var list = await Get($"/api/clients/{client}/courses", Roles.Reception);
        Assert.Equal(course, Assert.Single(list.EnumerateArray()).GetProperty("courseId").GetGuid());
    }

    [Fact]
    public async Task Depth_history_has_one_entry_per_area_per_session_with_steps_numbing_and_the_reaction_that_followed()
    {
        var (client, _, reaction) = await CourseWithAReaction();

        var changes = (await Get($"/api/clients/{client}/depth-history", Roles.Auditor)).GetProperty("changes").EnumerateArray().ToArray();
        Assert.Equal(2, changes.Length);
        Assert.Equal(JsonValueKind.Null, changes[0].GetProperty("fromMm").ValueKind);
        Assert.Equal(0.5m, changes[0].GetProperty("toMm").GetDecimal());
        Assert.Equal(JsonValueKind.Null, changes[0].GetProperty("reactionAfter").ValueKind);
        Assert.Equal(0.5m, changes[1].GetProperty("fromMm").GetDecimal());
        Assert.Equal(1.0m, changes[1].GetProperty("toMm").GetDecimal());
        Assert.Equal(0.5m, changes[1].GetProperty("stepMm").GetDecimal());
        Assert.True(changes[1].GetProperty("numbingCreamApplied").GetBoolean());
        // 1.0 mm heals in 4 days: the redness 2 days later falls inside the window.
        Assert.Equal(reaction, changes[1].GetProperty("reactionAfter").GetProperty("reactionId").GetGuid());
    }

    [Fact]
    public async Task A_reaction_after_the_healing_window_is_not_pinned_on_the_session()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(2)); // 0.5 mm heals in 2 days: this is the first healed day
        await Post(Roles.Practitioner, $"/api/clients/{client}/reactions",
            new { occurredAt = At(Clock.GetUtcNow()), kind = "peeling", severity = "mild" }, 201);

        var change = Assert.Single((await Get($"/api/clients/{client}/depth-history")).GetProperty("changes").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, change.GetProperty("reactionAfter").ValueKind);
    }

    [Fact]
    public async Task Read_routes_keep_to_the_clinic_and_the_roles()
    {
        var (client, course, _) = await CourseWithAReaction();
        foreach (var url in new[] { $"/api/clients/{client}/courses", $"/api/clients/{client}/courses/{course}", $"/api/clients/{client}/depth-history" })
        {
            await As(Roles.Practitioner, s => { s.Get.Url(url); s.StatusCodeShouldBe(404); }, clinic: Tokens.OtherClinic);
            await As(Roles.Analyst, s => { s.Get.Url(url); s.StatusCodeShouldBe(403); });
        }
        // Reception books and follows courses, but depth history and reactions are clinical detail.
        await Get($"/api/clients/{client}/depth-history", Roles.Reception, 403);
        await Get($"/api/clients/{client}/courses/{Guid.NewGuid()}", status: 404);
        await Get($"/api/clients/{Guid.NewGuid()}/courses", status: 404);
        await Get($"/api/clients/{Guid.NewGuid()}/depth-history", status: 404);
    }
}
