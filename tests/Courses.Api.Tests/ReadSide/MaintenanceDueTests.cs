using System.Text.Json;
using Alba;
using Courses.Api.Http;
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
        var page = await Due($"?from={Day(today.DueOn)}&to={Day(later.DueOn.AddDays(-1))}");
        var items = page.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([overdue.Course, today.Course], items.Select(i => i.GetProperty("courseId").GetGuid()));
        Assert.True(items[0].GetProperty("overdue").GetBoolean());
        Assert.False(items[1].GetProperty("overdue").GetBoolean());
        Assert.Equal("Olive Overdue", items[0].GetProperty("clientName").GetString());
        Assert.Equal(Day(overdue.DueOn), items[0].GetProperty("dueOn").GetString());
        Assert.Equal(Day(overdue.DueOn.AddMonths(-6)), items[0].GetProperty("lastSessionOn").GetString());
        Assert.False(page.GetProperty("hasMore").GetBoolean());

        var wider = await Due($"?from={Day(today.DueOn)}&to={Day(later.DueOn)}");
        Assert.Equal(later.Course, wider.GetProperty("items")[2].GetProperty("courseId").GetGuid());
    }

    [Fact]
    public async Task A_maintenance_session_moves_the_course_six_months_on()
    {
        var done = await CompletedCourse("Mia Maintained");
        Clock.Set(new DateTimeOffset(done.DueOn.ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero));
        await Post(Roles.Practitioner, $"/api/clients/{done.Client}/courses/{done.Course}/maintenance-sessions",
            Session(Clock.GetUtcNow(), 0.5m), 201);

        Assert.Empty((await Due($"?from={Day(done.DueOn)}&to={Day(done.DueOn.AddMonths(1))}")).GetProperty("items").EnumerateArray());
        var next = await Due($"?from={Day(done.DueOn.AddMonths(6))}&to={Day(done.DueOn.AddMonths(6))}");
        Assert.Equal(done.Course, Assert.Single(next.GetProperty("items").EnumerateArray()).GetProperty("courseId").GetGuid());
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

        var page2 = await Due($"?{window}&page=2&pageSize=2");
        Assert.False(page2.GetProperty("hasMore").GetBoolean());
        Assert.Equal(third.Course, Assert.Single(page2.GetProperty("items").EnumerateArray()).GetProperty("courseId").GetGuid());
        var page1 = await Due($"?{window}&page=1&pageSize=2");
        Assert.Equal([first.Course, second.Course], page1.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("courseId").GetGuid()));
        Assert.True(page1.GetProperty("hasMore").GetBoolean());
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
