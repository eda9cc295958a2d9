using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Courses.Domain.Courses;
using Courses.Projections.Clients;
using Courses.Projections.Courses;

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

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly Serum HydraBoost = new("HydraBoost", "L-100");

    private sealed record Story(Guid Client, Guid Course, Guid FirstSession, Guid SecondSession, Guid Reaction);

    /// <summary>Two sessions (0.5 then 1.0 mm on the face, 1.0 with numbing), then a redness 2 days after the second.</summary>
    private async Task<Story> CourseWithAReaction()
    {
        Assert.Equal(Start, Clock.GetUtcNow());
        var (client, course) = await ClientWithPlannedCourse(Plan(faceDepth: 0.5m, sessions: 3));
        var first = await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(31));
        var second = await RecordedSession(client, course, 1.0m, numbing: true);
        Clock.Advance(TimeSpan.FromDays(2));
        var reaction = await Post(Roles.Practitioner, $"/api/clients/{client}/reactions",
            new { occurredAt = At(Clock.GetUtcNow()), kind = "redness", severity = "mild" }, 201);
        return new Story(client, course, first.SessionId, second.SessionId, reaction.GetProperty("reactionId").GetGuid());
    }

    // Second session on 2026-02-05 (the clock's start + 31 days): the next is due a calendar month later.
    private static readonly DateOnly NextDue = new(2026, 3, 5);

    [Fact]
    public async Task The_profile_shows_screening_consent_running_courses_and_open_reactions()
    {
        var story = await CourseWithAReaction();

        var profile = await ProfileOf(story.Client, Roles.Reception);
        ReadModel.Equal(new ClientProfile
        {
            Id = story.Client,
            FullName = "Ann Lee",
            DateOfBirth = new DateOnly(1990, 4, 1),
            RegisteredAt = Start,
            LatestScreening = new ScreeningSummary(Start, [], []),
            Consent = new ConsentSummary("microneedling", "v3", Start),
            ActiveCourses = [new RunningCourse(story.Course, CourseStatus.Active, PlannedSessions: 3, SessionsCompleted: 2, NextDue)],
            // The reaction named no session, so it is on the client's profile but on no course.
            OpenReactions = [new OpenReaction(story.Reaction, ReactionKind.Redness, Severity.Mild, Start.AddDays(33), CourseId: null)],
            Version = await VersionOf(story.Client),
        }, profile);
    }

    [Fact]
    public async Task Course_progress_lists_sessions_depths_and_what_is_due()
    {
        var story = await CourseWithAReaction();

        var result = await As(Roles.Auditor, s => s.Get.Url($"/api/clients/{story.Client}/courses/{story.Course}"));
        var version = await VersionOf(story.Client);
        Assert.Equal($"\"{version}\"", result.Context.Response.Headers.ETag.ToString());
        var expected = new CourseProgress
        {
            Id = story.Course,
            ClientId = story.Client,
            Status = CourseStatus.Active,
            Concerns = [Concern.FineLines],
            PlannedAreas = [new PlannedArea(Area.Face, 0.5m)],
            PlannedSerum = HydraBoost,
            PlannedSessions = 3,
            Sessions =
            [
                new SessionSummary(story.FirstSession, 1, Start, [new AreaDepth(Area.Face, 0.5m)], HydraBoost, NumbingCreamApplied: false, Practitioner),
                new SessionSummary(story.SecondSession, 2, Start.AddDays(31), [new AreaDepth(Area.Face, 1.0m)], HydraBoost, NumbingCreamApplied: true, Practitioner),
            ],
            NextSessionDueOn = NextDue,
            PlannedAt = Start,
            RecordVersion = version,
        };
        ReadModel.Equal(expected, JsonSerializer.Deserialize<CourseProgress>(await result.ReadAsTextAsync(), ReadModel.Json));

        ReadModel.Equal<IReadOnlyList<CourseProgress>>([expected], await CoursesOf(story.Client, Roles.Reception));
    }

    [Fact]
    public async Task Depth_history_has_one_entry_per_area_per_session_with_steps_numbing_and_the_reaction_that_followed()
    {
        var story = await CourseWithAReaction();

        var history = await DepthHistoryOf(story.Client, Roles.Auditor);
        // 0.5 mm heals in 2 days, 1.0 mm in 4: the redness 2 days after the second session falls inside its window.
        ReadModel.Equal(new DepthEscalationHistory
        {
            Id = story.Client,
            Changes =
            [
                new DepthChange(story.Course, story.FirstSession, 1, Maintenance: false, Start, Area.Face, FromMm: null, ToMm: 0.5m, StepMm: null,
                    NumbingCreamApplied: false, HealedOn: new DateOnly(2026, 1, 7), ReactionAfter: null),
                new DepthChange(story.Course, story.SecondSession, 2, Maintenance: false, Start.AddDays(31), Area.Face, FromMm: 0.5m, ToMm: 1.0m, StepMm: 0.5m,
                    NumbingCreamApplied: true, HealedOn: new DateOnly(2026, 2, 9),
                    new ReactionAfter(story.Reaction, ReactionKind.Redness, Severity.Mild, Start.AddDays(33))),
            ],
            RecordVersion = await VersionOf(story.Client),
        }, history);
    }

    [Fact]
    public async Task A_reaction_after_the_healing_window_is_not_pinned_on_the_session()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(2)); // 0.5 mm heals in 2 days: this is the first healed day
        await Post(Roles.Practitioner, $"/api/clients/{client}/reactions",
            new { occurredAt = At(Clock.GetUtcNow()), kind = "peeling", severity = "mild" }, 201);

        Assert.Null(Assert.Single((await DepthHistoryOf(client)).Changes).ReactionAfter);
    }

    [Fact]
    public async Task Read_routes_keep_to_the_clinic_and_the_roles()
    {
        var (client, course, _, _, _) = await CourseWithAReaction();
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
