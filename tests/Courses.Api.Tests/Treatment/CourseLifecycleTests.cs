using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.Treatment;

public sealed class CourseLifecycleTests(AppFixture fixture) : StoryContext(fixture)
{
    private static string Change(Guid client, Guid course, string verb) => $"/api/clients/{client}/courses/{course}/{verb}";
    private static string Sessions(Guid client, Guid course) => $"/api/clients/{client}/courses/{course}/sessions";

    [Fact]
    public async Task Pausing_answers_200_with_the_new_version_and_pausing_again_is_refused()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);
        var before = await VersionOf(client);

        var result = await As(Roles.Practitioner, s =>
        {
            s.Post.Json(new { reason = "client travelling for six weeks" }).ToUrl(Change(client, course, "pause"));
            s.StatusCodeShouldBe(200);
            s.Header("ETag").SingleValueShouldEqual($"\"{before + 1}\"");
        });
        ReadModel.Equal(new RecordedAnswer(client, before + 1), await AnswerOf<RecordedAnswer>(result));

        await Refused(Change(client, course, "pause"), new { reason = "again" }, "course-paused");
        Clock.Advance(TimeSpan.FromDays(28));
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), "course-paused");
    }

    [Fact]
    public async Task A_resumed_course_takes_sessions_again()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await Post(Roles.Practitioner, Change(client, course, "pause"), new { reason = "client unwell" });
        var before = await VersionOf(client);
        ReadModel.Equal(new RecordedAnswer(client, before + 1), await Accepted(Change(client, course, "resume"), new { reason = "client well again" }));
        await RecordedSession(client, course, 0.5m);
    }

    [Fact]
    public async Task Resuming_a_course_that_is_not_paused_is_refused()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await Refused(Change(client, course, "resume"), new { reason = "ready" }, "course-not-paused");
        await RecordedSession(client, course, 0.5m);
        await Refused(Change(client, course, "resume"), new { reason = "ready" }, "course-not-paused");
    }

    [Fact]
    public async Task A_course_paused_by_a_reaction_stays_paused_until_the_reaction_is_resolved()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var reaction = (await ReportedReaction(client, Reaction(Clock.GetUtcNow(), "infection", "moderate"))).ReactionId;

        await Refused(Change(client, course, "resume"), new { reason = "looks fine" }, "unresolved-reaction");

        Clock.Advance(TimeSpan.FromDays(10));
        await ResolvedReaction(client, reaction);
        // Resolving does not resume on its own: the practitioner decides.
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), "course-paused");
        await Post(Roles.Practitioner, Change(client, course, "resume"), new { reason = "infection cleared" });
        await RecordedSession(client, course, 0.5m);
    }

    [Fact]
    public async Task A_cancelled_course_takes_no_session_and_cannot_be_paused_or_cancelled_again()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);
        var before = await VersionOf(client);
        ReadModel.Equal(new RecordedAnswer(client, before + 1), await Accepted(Change(client, course, "cancel"), new { reason = "client moved away" }));

        Clock.Advance(TimeSpan.FromDays(28));
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), "course-not-active");
        await Refused(Change(client, course, "pause"), new { reason = "x" }, "course-not-active");
        await Refused(Change(client, course, "cancel"), new { reason = "x" }, "course-not-active");
        await Refused(Change(client, course, "resume"), new { reason = "x" }, "course-not-paused");
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("cancel")]
    public async Task A_reason_is_required(string verb)
    {
        var (client, course) = await ClientWithPlannedCourse();
        await Invalid(Change(client, course, verb), new { }, "reason");
        await Invalid(Change(client, course, verb), new { reason = "   " }, "reason");
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("cancel")]
    public async Task An_unknown_course_is_404(string verb)
    {
        var (client, _) = await ClientWithPlannedCourse();
        var before = await EventCountAsync();
        await Post(Roles.Practitioner, Change(client, Guid.NewGuid(), verb), new { reason = "x" }, 404);
        Assert.Equal(before, await EventCountAsync());
    }

    [Theory]
    [InlineData("pause")]
    [InlineData("resume")]
    [InlineData("cancel")]
    public async Task Another_clinic_sees_no_such_course(string verb)
    {
        var (client, course) = await ClientWithPlannedCourse();
        var before = await EventCountAsync();
        await As(Roles.Practitioner, s =>
        {
            s.Post.Json(new { reason = "x" }).ToUrl(Change(client, course, verb));
            s.StatusCodeShouldBe(404);
        }, clinic: Tokens.OtherClinic);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task Reception_cannot_change_a_course()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var before = await EventCountAsync();
        await Post(Roles.Reception, Change(client, course, "pause"), new { reason = "x" }, 403);
        await Post(Roles.Reception, Change(client, course, "cancel"), new { reason = "x" }, 403);
        Assert.Equal(before, await EventCountAsync());
    }
}
