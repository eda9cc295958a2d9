using Courses.Api.Hosting;
using Courses.Api.Http;
using Courses.Reliability.Tests.BadInput;
using Courses.Reliability.Tests.Harness;
using Microsoft.Extensions.Logging;

namespace Courses.Reliability.Tests.Security;

public sealed class LimitsTests(InProcessFixture fixture)
{
    private static readonly object Ann = new { fullName = "Ann Limit", dateOfBirth = "1990-04-01" };

    [Theory]
    [InlineData("/api/protocol")]
    [InlineData("/api/clients/00000000-0000-0000-0000-000000000000")]
    public async Task Api_answers_carry_the_security_headers_and_are_never_cached(string path)
    {
        var answer = await fixture.Api.Get(Tokens.For(Roles.Practitioner), path);
        Assert.Equal("nosniff", answer.Header("X-Content-Type-Options"));
        Assert.Equal("no-referrer", answer.Header("Referrer-Policy"));
        Assert.Equal("DENY", answer.Header("X-Frame-Options"));
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", answer.Header("Content-Security-Policy"));
        Assert.Equal("no-store", answer.Header("Cache-Control"));
        Assert.Null(answer.Header("Server"));
    }

    [Fact]
    public async Task Refusals_before_the_endpoint_carry_them_too()
    {
        var answer = await fixture.Api.Post(null, "/api/clients", Ann);
        Assert.Equal(401, answer.Status);
        Assert.Equal("nosniff", answer.Header("X-Content-Type-Options"));
        Assert.Equal("no-store", answer.Header("Cache-Control"));
    }

    [Fact]
    public async Task The_api_reference_may_not_be_framed()
    {
        var answer = await fixture.Api.Get(null, "/scalar/");
        Assert.Equal(200, answer.Status);
        Assert.Contains("frame-ancestors 'none'", answer.Header("Content-Security-Policy"));
        Assert.Equal("DENY", answer.Header("X-Frame-Options"));
    }

    [Theory]
    [InlineData("/api/maintenance/due?pageSize=501", Roles.Reception)]
    [InlineData("/api/maintenance/due?pageSize=0", Roles.Reception)]
    [InlineData("/api/maintenance/due?page=99999999999", Roles.Reception)]
    [InlineData("/api/maintenance/due?page=-1", Roles.Reception)]
    [InlineData("/api/audit/access?pageSize=100000", Roles.Auditor)]
    [InlineData("/api/clients?q=ann&pageSize=101", Roles.Reception)]
    [InlineData("/api/clients?q=ann&page=99999999999", Roles.Reception)]
    [InlineData("/api/analytics/monthly?from=1990-01&to=2026-12", Roles.Analyst)]
    public async Task Paging_and_windows_are_capped(string path, string role)
    {
        var answer = await fixture.Api.Get(Tokens.For(role), path);
        Assert.Equal(400, answer.Status);
        Assert.True(answer.IsProblem);
        Assert.False(BadInputCorpusTests.Leaks(answer.Body), answer.Body);
    }

    [Fact]
    public async Task The_largest_page_is_served()
    {
        var answer = await fixture.Api.Get(Tokens.For(Roles.Reception), "/api/maintenance/due?pageSize=500");
        Assert.Equal(200, answer.Status);
        Assert.Equal(500, answer.Json.GetProperty("pageSize").GetInt32());
    }

    private static TestClock Clock() => new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    private static void RefusedBy(string limit, int retryAfter, Answer answer)
    {
        Assert.Equal(429, answer.Status);
        Assert.True(answer.IsProblem);
        Assert.Equal(limit, answer.Json.GetProperty("limit").GetString());
        Assert.Equal(retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture), answer.Header("Retry-After"));
    }

    [Fact]
    public async Task Writes_over_the_per_user_limit_are_429_with_retry_after_and_append_nothing()
    {
        const int limit = 3;
        var clock = Clock();
        await using var host = await fixture.StartAsync(new LimitSettings { WritesPerMinutePerUser = limit, ClientReadsPerMinutePerUser = 0, RequestsPerMinutePerClinic = 0 }, clock);
        var api = new ApiClient(host.Server.CreateClient());
        var figures = new Figures("rate-limit");
        var user = $"rel-burst-{Guid.NewGuid():N}";
        var token = Tokens.For(Roles.Reception, subject: user);

        clock.Advance(TimeSpan.FromSeconds(20));
        var answers = new List<Answer>();
        for (var i = 0; i < limit + 2; i++) answers.Add(await api.Post(token, "/api/clients", Ann));
        var before = await fixture.EventCountAsync();
        var refused = await api.Post(token, "/api/clients", Ann);
        figures.Add("writes", answers.Count + 1);

        Assert.Equal(Enumerable.Repeat(201, limit), answers.Take(limit).Select(a => a.Status));
        // The window is the clock's minute: 40 s of it are left.
        Assert.All(answers.Skip(limit).Append(refused), a => RefusedBy("writes-per-user", 40, a));
        Assert.Equal(before, await fixture.EventCountAsync());
        figures.Add("429", answers.Count(a => a.Status == 429) + 1);

        // Another user of the same clinic, the same user in another clinic, and reads are not held back.
        Assert.Equal(201, (await api.Post(Tokens.For(Roles.Reception, subject: user + "-colleague"), "/api/clients", Ann)).Status);
        Assert.Equal(201, (await api.Post(Tokens.For(Roles.Reception, Tokens.ClinicB, subject: user), "/api/clients", Ann)).Status);
        Assert.Equal(200, (await api.Get(token, "/api/protocol")).Status);

        // The next minute, the user writes again.
        clock.Advance(TimeSpan.FromSeconds(40));
        Assert.Equal(201, (await api.Post(token, "/api/clients", Ann)).Status);
        figures.Report();
    }

    [Fact]
    public async Task A_clinic_over_its_ceiling_is_slowed_while_other_clinics_go_on()
    {
        const int ceiling = 6;
        var clock = Clock();
        await using var host = await fixture.StartAsync(new LimitSettings { WritesPerMinutePerUser = 100, ClientReadsPerMinutePerUser = 0, RequestsPerMinutePerClinic = ceiling }, clock);
        var api = new ApiClient(host.Server.CreateClient());
        var (runaway, other) = ($"rel-runaway-{Guid.NewGuid():N}", $"rel-quiet-{Guid.NewGuid():N}");

        // Three integrations of one clinic, each well inside its own per-user limit, reach the clinic's ceiling together.
        var answers = new List<Answer>();
        for (var i = 0; i < ceiling; i++)
            answers.Add(await api.Post(Tokens.For(Roles.Reception, runaway, subject: $"integration-{i % 3}"), "/api/clients", Ann));
        Assert.All(answers, a => Assert.Equal(201, a.Status));
        var before = await fixture.EventCountAsync();

        clock.Advance(TimeSpan.FromSeconds(45));
        RefusedBy("requests-per-clinic", 15, await api.Post(Tokens.For(Roles.Reception, runaway, subject: "front-desk"), "/api/clients", Ann));
        RefusedBy("requests-per-clinic", 15, await api.Get(Tokens.For(Roles.Reception, runaway, subject: "front-desk"), "/api/protocol"));
        Assert.Equal(before, await fixture.EventCountAsync());

        // Another clinic is untouched.
        Assert.Equal(201, (await api.Post(Tokens.For(Roles.Reception, other, subject: "integration-0"), "/api/clients", Ann)).Status);
        Assert.Equal(200, (await api.Get(Tokens.For(Roles.Reception, other, subject: "integration-0"), "/api/protocol")).Status);

        clock.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(201, (await api.Post(Tokens.For(Roles.Reception, runaway, subject: "front-desk"), "/api/clients", Ann)).Status);
    }

    [Fact]
    public async Task A_scraper_reading_client_after_client_is_slowed_and_logged()
    {
        const int limit = 5;
        var clock = Clock();
        await using var host = await fixture.StartAsync(new LimitSettings { WritesPerMinutePerUser = 0, ClientReadsPerMinutePerUser = limit, RequestsPerMinutePerClinic = 0 }, clock);
        var logs = LogCapture.Into(host.Services);
        var api = new ApiClient(host.Server.CreateClient());
        var clinic = $"rel-scraped-{Guid.NewGuid():N}";
        var scraper = Tokens.For(Roles.Reception, clinic, subject: "scraper");
        var clients = new List<string>();
        for (var i = 0; i < limit + 2; i++)
            clients.Add((await api.Post(Tokens.For(Roles.Reception, clinic, subject: "registrar"), "/api/clients", Ann)).Json.GetProperty("clientId").GetString()!);

        var reads = new List<Answer>();
        foreach (var client in clients) reads.Add(await api.Get(scraper, $"/api/clients/{client}"));

        Assert.All(reads.Take(limit), a => Assert.Equal(200, a.Status));
        Assert.All(reads.Skip(limit), a => RefusedBy("client-reads-per-user", 60, a));
        // The search and the client lists count as reads of client data; the protocol does not.
        RefusedBy("client-reads-per-user", 60, await api.Get(scraper, "/api/clients?q=Ann"));
        RefusedBy("client-reads-per-user", 60, await api.Get(scraper, "/api/maintenance/due"));
        Assert.Equal(200, (await api.Get(scraper, "/api/protocol")).Status);
        Assert.Equal(200, (await api.Get(Tokens.For(Roles.Reception, clinic, subject: "colleague"), $"/api/clients/{clients[0]}")).Status);
        Assert.Contains(logs.Records, r => r.Level == LogLevel.Warning && r.Message.Contains("client-reads-per-user")
            && r.Message.Contains("user scraper") && r.Message.Contains(clinic));

        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(200, (await api.Get(scraper, $"/api/clients/{clients[^1]}")).Status);
    }
}
