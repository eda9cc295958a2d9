using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Sessions;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.Treatment;

public sealed class MaintenanceTests(AppFixture fixture) : StoryContext(fixture)
{
    private static string Maintenance(Guid client, Guid course) => $"/api/clients/{client}/courses/{course}/maintenance-sessions";

    private void MoveTo(DateTimeOffset at) => Clock.Advance(at - Clock.GetUtcNow());

    /// <summary>A one-session course, completed by the session recorded now.</summary>
    private async Task<(Guid Client, Guid Course, DateTimeOffset CompletedAt)> CompletedCourse()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
        var completedAt = Clock.GetUtcNow();
        var answer = await RecordedSession(client, course, 0.5m);
        Assert.True(answer.CourseCompleted);
        return (client, course, completedAt);
    }

    [Fact]
    public async Task The_last_planned_session_completes_the_course_with_maintenance_due_in_six_months()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
        var performedOn = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        var answer = await RecordedSession(client, course, 0.5m);

        ReadModel.Equal(new SessionRecordedAnswer(answer.SessionId, SessionNumber: 1, AftercareAfter(performedOn), Precautions: [], NextSessionDueOn: null,
            CourseCompleted: true, MaintenanceDueOn: performedOn.AddMonths(6), client, course, 0), answer);
    }

    [Fact]
    public async Task A_maintenance_session_six_months_on_is_recorded_and_moves_maintenance_due_six_months_after_it()
    {
        var (client, course, completedAt) = await CompletedCourse();
        MoveTo(completedAt.AddMonths(6));
        var performedAt = Clock.GetUtcNow();
        var before = await VersionOf(client);

        var result = await As(Roles.Practitioner, s =>
        {
            s.Post.Json(Session(performedAt, 0.5m)).ToUrl(Maintenance(client, course));
            s.StatusCodeShouldBe(201);
            s.Header("ETag").SingleValueShouldEqual($"\"{before + 1}\"");
        });
        var answer = await AnswerOf<MaintenanceSessionRecordedAnswer>(result);
        Assert.NotEqual(Guid.Empty, answer.SessionId);
        var performedOn = DateOnly.FromDateTime(performedAt.UtcDateTime);
        ReadModel.Equal(new MaintenanceSessionRecordedAnswer(answer.SessionId, SessionNumber: 1, AftercareAfter(performedOn), Precautions: [],
            MaintenanceDueOn: performedOn.AddMonths(6), client, course, before + 1), answer);
        Assert.Equal($"/api/clients/{client}/courses/{course}", result.Context.Response.Headers.Location.ToString());

        // A second maintenance six months later is numbered on its own and moves the due date again.
        MoveTo(performedAt.AddMonths(6));
        var second = (await Post(Roles.Practitioner, Maintenance(client, course), Session(Clock.GetUtcNow(), 0.5m), 201))
            .Deserialize<MaintenanceSessionRecordedAnswer>(ReadModel.Json)!;
        var secondOn = DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime);
        ReadModel.Equal(new MaintenanceSessionRecordedAnswer(second.SessionId, SessionNumber: 2, AftercareAfter(secondOn), Precautions: [],
            MaintenanceDueOn: secondOn.AddMonths(6), client, course, 0), second);
    }

    [Fact]
    public async Task Maintenance_before_the_last_sessions_healing_window_has_passed_is_too_soon()
    {
        // 0.5 mm heals for 2 days under the default protocol.
        var (client, course, completedAt) = await CompletedCourse();
        MoveTo(completedAt.AddDays(1));
        await Refused(Maintenance(client, course), Session(Clock.GetUtcNow(), 0.5m), "too-soon");
        MoveTo(completedAt.AddDays(2));
        await Post(Roles.Practitioner, Maintenance(client, course), Session(Clock.GetUtcNow(), 0.5m), 201);
    }

    [Fact]
    public async Task Maintenance_on_a_course_that_is_not_completed_is_refused()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 3));
        await Refused(Maintenance(client, course), Session(Clock.GetUtcNow(), 0.5m), "maintenance-not-allowed");
        await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(28));
        await Refused(Maintenance(client, course), Session(Clock.GetUtcNow(), 0.5m), "maintenance-not-allowed");
    }

    [Fact]
    public async Task Maintenance_on_a_cancelled_course_is_refused()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);
        await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/cancel", new { reason = "client moved away" });
        Clock.Advance(TimeSpan.FromDays(30));
        await Refused(Maintenance(client, course), Session(Clock.GetUtcNow(), 0.5m), "maintenance-not-allowed");
    }

    [Fact]
    public async Task A_completed_course_takes_no_further_course_session()
    {
        var (client, course, completedAt) = await CompletedCourse();
        MoveTo(completedAt.AddDays(28));
        await Refused($"/api/clients/{client}/courses/{course}/sessions", Session(Clock.GetUtcNow(), 0.5m), "course-not-active");
    }
}
