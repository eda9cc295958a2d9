using Courses.Api.Http;
using Courses.Reliability.Tests.BadInput;
using Courses.Reliability.Tests.Harness;

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

    [Fact]
    public async Task Writes_over_the_per_user_limit_are_429_with_retry_after_and_append_nothing()
    {
        const int limit = 3;
        await using var host = await fixture.StartAsync(writesPerMinute: limit);
        var api = new ApiClient(host.Server.CreateClient());
        var figures = new Figures("rate-limit");
        var user = $"rel-burst-{Guid.NewGuid():N}";
        var token = Tokens.For(Roles.Reception, subject: user);

        var answers = new List<Answer>();
        for (var i = 0; i < limit + 2; i++) answers.Add(await api.Post(token, "/api/clients", Ann));
        var before = await fixture.EventCountAsync();
        var refused = await api.Post(token, "/api/clients", Ann);
        figures.Add("writes", answers.Count + 1);

        Assert.Equal(Enumerable.Repeat(201, limit), answers.Take(limit).Select(a => a.Status));
        Assert.All(answers.Skip(limit).Append(refused), a => Assert.Equal(429, a.Status));
        Assert.True(refused.IsProblem);
        Assert.InRange(int.Parse(refused.Header("Retry-After")!, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Equal(before, await fixture.EventCountAsync());
        figures.Add("429", answers.Count(a => a.Status == 429) + 1);

        // Another user of the same clinic, the same user in another clinic, and reads are not held back.
        Assert.Equal(201, (await api.Post(Tokens.For(Roles.Reception, subject: user + "-colleague"), "/api/clients", Ann)).Status);
        Assert.Equal(201, (await api.Post(Tokens.For(Roles.Reception, Tokens.ClinicB, subject: user), "/api/clients", Ann)).Status);
        Assert.Equal(200, (await api.Get(token, "/api/protocol")).Status);
        figures.Report();
    }
}
