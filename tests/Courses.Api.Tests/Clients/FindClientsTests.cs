using System.Text.Json;
using Alba;
using Courses.Api.Audit;
using Courses.Api.Clients;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.Clients;

public sealed class FindClientsTests(AppFixture fixture) : StoryContext(fixture)
{
    private static readonly DateOnly Born = new(1980, 1, 2);

    private static ClientsFound FirstPage(params ClientFound[] items) =>
        new(items, Page: 1, PageSize: FindClientsEndpoint.DefaultPageSize, HasMore: false);

    private static ClientFound Listed(Guid client, string name, DateOnly? born = null, string? email = null, string? phone = null) =>
        new(client, name, born ?? Born, email, phone, ActiveCourses: 0, NextSessionDueOn: null);

    private async Task<(Guid Id, ClientFound Listed)> Client(string name, string? email = null, string? phone = null, DateOnly? born = null,
        string clinic = Tokens.Clinic)
    {
        var id = await ClientWithContact(name, (born ?? Born).ToString("yyyy-MM-dd"), email, phone, clinic);
        return (id, Listed(id, name, born, email, phone));
    }

    private async Task<JsonElement> Search(string query, int status, string role = Roles.Reception)
    {
        var result = await As(role, s =>
        {
            s.Get.Url($"/api/clients{query}");
            s.StatusCodeShouldBe(status);
        });
        return status == 403 ? default : await result.ReadAsJsonAsync<JsonElement>();
    }

    private async Task<IReadOnlyList<AccessEntry>> Searches() =>
        [.. (await Read<AccessLogPage>($"/api/audit/access?pageSize=500", Roles.Auditor)).Items.Where(e => e.Route == AccessLog.FindClientsRoute)];

    [Fact]
    public async Task A_name_is_found_whatever_its_case_and_accents_by_any_part_and_despite_a_typo()
    {
        var renee = await Client("Renée Dupont", "renee@example.test", "+33 1 23 45 67 89");
        var john = await Client("John Smith");

        foreach (var q in new[] { "renee", "RENÉE", "dupont", "Renee Dupond" })
            ReadModel.Equal(FirstPage(renee.Listed), await Found(q));
        foreach (var q in new[] { "john", "SMITH", "Jonh Smyth" })
            ReadModel.Equal(FirstPage(john.Listed), await Found(q));
        ReadModel.Equal(FirstPage(), await Found("Zebedee"));
    }

    [Fact]
    public async Task The_best_match_comes_first()
    {
        var smithson = await Client("John Smithson");
        var smith = await Client("John Smith");
        await Client("Mary Jones");

        ReadModel.Equal(FirstPage(smith.Listed, smithson.Listed), await Found("John Smith"));
        ReadModel.Equal(FirstPage(smith.Listed, smithson.Listed), await Found("smith"));
        ReadModel.Equal(FirstPage(smithson.Listed, smith.Listed), await Found("smithson"));
    }

    [Fact]
    public async Task Every_word_typed_must_be_like_a_word_of_the_name()
    {
        var john = await Client("John Smith");
        await Client("Mary Smith");
        await Client("John Jones");

        ReadModel.Equal(FirstPage(john.Listed), await Found("john smith"));
        ReadModel.Equal(FirstPage(john.Listed), await Found("Smith, Jonh"));
        ReadModel.Equal(FirstPage(), await Found("John Smith Zebedee"));
    }

    [Fact]
    public async Task A_word_of_one_or_two_letters_is_the_start_of_a_word_of_the_name()
    {
        var john = await Client("John Smith");
        await Client("James Brown");
        await Client("Mary Ojo");
        var marco = await Client("Marco De Luca");
        await Client("Dan Luca");

        ReadModel.Equal(FirstPage(john.Listed), await Found("Jo"));
        ReadModel.Equal(FirstPage(marco.Listed), await Found("de luca"));
        ReadModel.Equal(FirstPage(marco.Listed), await Found("m. de luca"));
    }

    [Fact]
    public async Task Pages_follow_the_ranking_and_say_whether_more_follow()
    {
        var cat = await Client("Cat Smith");
        var ann = await Client("Ann Smith");
        var bea = await Client("Bea Smith");

        ReadModel.Equal(new ClientsFound([ann.Listed, bea.Listed], 1, 2, HasMore: true), await Found("smith", "&pageSize=2"));
        ReadModel.Equal(new ClientsFound([cat.Listed], 2, 2, HasMore: false), await Found("smith", "&page=2&pageSize=2"));
        ReadModel.Equal(new ClientsFound([], 3, 2, HasMore: false), await Found("smith", "&page=3&pageSize=2"));
    }

    [Fact]
    public async Task A_phone_number_is_found_however_it_is_written()
    {
        var london = await Client("Lena London", phone: "+44 20 7946 0000");
        var local = await Client("Lou Local", phone: "(020) 7946-0001");

        foreach (var q in new[] { "+44 20 7946 0000", "0044 20 7946 0000", "0044-20-7946-0000", "+442079460000", "44 (20) 79460000" })
            ReadModel.Equal(FirstPage(london.Listed), await Found(q));
        foreach (var q in new[] { "(020) 7946-0001", "020 7946 0001", "02079460001" })
            ReadModel.Equal(FirstPage(local.Listed), await Found(q));
        // Digits are compared whole: part of a number finds no one.
        ReadModel.Equal(FirstPage(), await Found("7946 0000"));
    }

    [Fact]
    public async Task An_email_is_found_exactly_but_for_case()
    {
        var ann = await Client("Ann Lee", email: "Ann.Lee@Example.test");

        ReadModel.Equal(FirstPage(ann.Listed), await Found("ann.lee@example.TEST"));
        ReadModel.Equal(FirstPage(), await Found("ann.lee@example.tes"));
        ReadModel.Equal(FirstPage(), await Found("lee@example.test"));
    }

    [Fact]
    public async Task A_date_finds_everyone_born_that_day_by_name()
    {
        var day = new DateOnly(1985, 3, 12);
        var zoe = await Client("Zoe Young", born: day);
        var amy = await Client("Amy Adams", born: day);
        await Client("Bob Other", born: day.AddDays(1));

        ReadModel.Equal(FirstPage(amy.Listed, zoe.Listed), await Found("1985-03-12"));
    }

    [Fact]
    public async Task A_client_shows_what_is_running_and_when_the_next_session_is_due()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);
        var dueOn = (await ProfileOf(client)).ActiveCourses.Single().NextSessionDueOn;
        Assert.NotNull(dueOn);

        ReadModel.Equal(FirstPage(Listed(client, "Ann Lee", new DateOnly(1990, 4, 1)) with { ActiveCourses = 1, NextSessionDueOn = dueOn }),
            await Found("Ann Lee"));
    }

    [Fact]
    public async Task An_erased_client_is_found_by_nothing_not_even_the_date_of_birth()
    {
        var day = new DateOnly(1971, 7, 7);
        var erased = await Client("Edna Erased", "edna@example.test", "+44 20 7946 0999", day);
        ReadModel.Equal(FirstPage(erased.Listed), await Found("Edna Erased"));

        await Post(Roles.Admin, $"/api/clients/{erased.Id}/erase-contact", new { reason = "asked to be forgotten" });

        foreach (var q in new[] { "Edna Erased", "edna", "(erased)", "edna@example.test", "+44 20 7946 0999", "1971-07-07" })
            ReadModel.Equal(FirstPage(), await Found(q));
    }

    [Fact]
    public async Task Another_clinics_clients_are_never_found()
    {
        var day = new DateOnly(1966, 6, 6);
        var theirs = await Client("Olga Other", "olga@example.test", "+44 20 7946 0666", day, Tokens.OtherClinic);

        foreach (var q in new[] { "Olga Other", "olga", "olga@example.test", "+44 20 7946 0666", "1966-06-06" })
        {
            ReadModel.Equal(FirstPage(), await Found(q));
            ReadModel.Equal(FirstPage(theirs.Listed), await Found(q, clinic: Tokens.OtherClinic));
        }
    }

    [Theory]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Admin)]
    public async Task Only_the_front_desk_searches(string role) => await Search("?q=ann", 403, role);

    [Theory]
    [InlineData("", "q")]
    [InlineData("?q=", "q")]
    [InlineData("?q=a", "q")]
    [InlineData("?q=%20a%20", "q")]
    [InlineData("?q=--%20,", "q")]
    [InlineData("?q=ann&pageSize=0", "pageSize")]
    [InlineData("?q=ann&pageSize=101", "pageSize")]
    [InlineData("?q=ann&pageSize=ten", "pageSize")]
    [InlineData("?q=ann&page=0", "page")]
    public async Task A_bad_query_is_refused_naming_what_is_wrong_and_shows_no_one(string query, string field)
    {
        await Client("Ann Lee");

        var problem = await Search(query, 400);

        Assert.Equal([field], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Empty(await Searches());
    }

    [Fact]
    public async Task A_query_of_more_than_a_hundred_characters_is_refused()
    {
        var problem = await Search($"?q={new string('a', 101)}", 400);
        Assert.Equal(["q"], problem.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        await Found(new string('a', 100));
    }

    private sealed record Logged(DateTimeOffset At, string UserId, IReadOnlyList<Guid> ClientIds, int Status);

    [Fact]
    public async Task Every_search_is_logged_with_the_clients_it_showed()
    {
        var ann = await Client("Ann Smith");
        var bea = await Client("Bea Smith");
        await Client("Cat Jones");

        await Found("smith");
        await Found("nobody here");
        await Search("?q=smith", 403, Roles.Auditor);

        // All three at the same instant, so in no particular order: compared by who searched and how many they saw.
        var at = Clock.GetUtcNow();
        ReadModel.Equal(
            [new Logged(at, "user-auditor", [], 403), new Logged(at, "user-reception", [], 200), new Logged(at, "user-reception", [ann.Id, bea.Id], 200)],
            (await Searches()).Select(e => new Logged(e.At, e.UserId, e.ClientIds, e.Status)).OrderBy(e => e.UserId).ThenBy(e => e.ClientIds.Count).ToArray());
    }
}
