using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Maintenance;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.ReadSide;

public sealed class MaintenanceDueTests(AppFixture fixture) : StoryContext(fixture)
{
    /// <summary>A one-session course completed now: its maintenance falls due six calendar months later.</summary>
    private async Task<(Guid Client, Guid Course, DateOnly DueOn)> CompletedCourse(string name)
    {
        var client = await RegisteredClient(name);
        await Screened(client);
        await Consented(client);
        var course = await PlannedCourse(client, await BookedConsultation(client), Plan(sessions: 1));
        await RecordedSession(client, course, 0.5m);
        return (client, course, DateOnly.FromDateTime(Clock.GetUtcNow().UtcDateTime).AddMonths(6));
    }

    private async Task<JsonElement> Due(string query, string role = Roles.Reception, int status = 200)
    {
        var result = await As(role, s =>
        {
            s.Get.Url($"/api/maintenance/due{query}");
            s.StatusCodeShouldBe(status);
        });
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd");

    private const int DefaultPageSize = 50;

    [Fact]
    public async Task The_window_holds_the_overdue_and_the_due_today_but_not_the_day_after_it()
    {
        var overdue = await CompletedCourse("Olive Overdue");
        Clock.Advance(TimeSpan.FromDays(10));
        var today = await CompletedCourse("Tara Today");
        Clock.Advance(TimeSpan.FromDays(10));
        var later = await CompletedCourse("Lou Later");
        Clock.Set(new DateTimeOffset(today.DueOn.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero));

        // from today to the day before Lou's due date: Olive is overdue (before "from", still listed), Tara due today.
        var to = later.DueOn.AddDays(-1);
        var olive = new MaintenanceDueEntry(overdue.Course, overdue.Client, "Olive Overdue", overdue.DueOn, Overdue: true, overdue.DueOn.AddMonths(-6));
        var tara = new MaintenanceDueEntry(today.Course, today.Client, "Tara Today", today.DueOn, Overdue: false, today.DueOn.AddMonths(-6));
        var page = new MaintenanceDuePage(today.DueOn, to, Today: today.DueOn, Page: 1, PageSize: DefaultPageSize, HasMore: false, [olive, tara]);
        ReadModel.Equal(page, await MaintenanceDueList($"?from={Day(today.DueOn)}&to={Day(to)}"));

        var lou = new MaintenanceDueEntry(later.Course, later.Client, "Lou Later", later.DueOn, Overdue: false, later.DueOn.AddMonths(-6));
        ReadModel.Equal(page with { To = later.DueOn, Items = [olive, tara, lou] }, await MaintenanceDueList($"?from={Day(today.DueOn)}&to={Day(later.DueOn)}"));
    }

    [Fact]
    public async Task A_maintenance_session_moves_the_course_six_months_on()
    {
        var done = await CompletedCourse("Mia Maintained");
        Clock.Set(new DateTimeOffset(done.DueOn.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        await Post(Roles.Practitioner, $"/api/clients/{done.Client}/courses/{done.Course}/maintenance-sessions",
            Session(Clock.GetUtcNow(), 0.5m), 201);

        Assert.Empty((await MaintenanceDueList($"?from={Day(done.DueOn)}&to={Day(done.DueOn.AddMonths(1))}")).Items);
        var next = done.DueOn.AddMonths(6);
        ReadModel.Equal(
            new MaintenanceDuePage(next, next, Today: done.DueOn, Page: 1, PageSize: DefaultPageSize, HasMore: false,
                [new MaintenanceDueEntry(done.Course, done.Client, "Mia Maintained", next, Overdue: false, LastSessionOn: done.DueOn)]),
            await MaintenanceDueList($"?from={Day(next)}&to={Day(next)}"));
    }

    [Fact]
    public async Task The_list_is_paged_in_due_order()
    {
        var first = await CompletedCourse("A");
        Clock.Advance(TimeSpan.FromDays(1));
        var second = await CompletedCourse("B");
        Clock.Advance(TimeSpan.FromDays(1));
        var third = await CompletedCourse("C");
        var window = $"from={Day(first.DueOn)}&to={Day(third.DueOn)}";

        var page2 = await MaintenanceDueList($"?{window}&page=2&pageSize=2");
        Assert.False(page2.HasMore);
        Assert.Equal(third.Course, Assert.Single(page2.Items).CourseId);
        var page1 = await MaintenanceDueList($"?{window}&page=1&pageSize=2");
        Assert.Equal([first.Course, second.Course], page1.Items.Select(i => i.CourseId));
        Assert.True(page1.HasMore);
    }

    [Theory]
    [InlineData("?from=2026-13-01", "from")]
    [InlineData("?to=yesterday", "to")]
    [InlineData("?from=2026-05-01&to=2026-04-01", "to")]
    [InlineData("?pageSize=501", "pageSize")]
    [InlineData("?page=0", "page")]
    [InlineData("?page=43000000", "page")]
    public async Task Bad_query_values_are_400_naming_them(string query, string field)
    {
        var problem = await Due(query, status: 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Another_clinic_sees_none_of_it_and_analysts_are_refused()
    {
        var done = await CompletedCourse("Ann Lee");
        var window = $"?from={Day(done.DueOn)}&to={Day(done.DueOn)}";
        var other = await As(Roles.Reception, s => s.Get.Url($"/api/maintenance/due{window}"), clinic: Tokens.OtherClinic);
        Assert.Empty((await other.ReadAsJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray());
        await Due(window, Roles.Analyst, 403);
    }
}
