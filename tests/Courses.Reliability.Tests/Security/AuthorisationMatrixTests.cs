using Courses.Api.Http;
using Courses.Reliability.Tests.Harness;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courses.Reliability.Tests.Security;

public sealed class AuthorisationMatrixTests(InProcessFixture fixture)
{
    private const string ReadmeStart = "<!-- access-matrix:start -->";
    private const string ReadmeEnd = "<!-- access-matrix:end -->";

    [Fact]
    public void The_table_names_every_api_route_the_service_maps_with_its_policy()
    {
        var mapped = fixture.Host.Services.GetServices<EndpointDataSource>()
            .SelectMany(source => source.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.TrimStart('/').StartsWith("api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
                $"{method} /{e.RoutePattern.RawText!.TrimStart('/')} {e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null) ?? "(any role)"}"))
            .Order(StringComparer.Ordinal).ToList();
        var table = AccessMatrix.Routes.Select(r => $"{r.Method} {r.Route} {r.Policy ?? "(any role)"}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(table, mapped);
    }

    [Fact]
    public async Task Every_route_answers_every_role_and_every_bad_token_as_the_table_says()
    {
        var figures = new Figures("authorisation-matrix");
        var api = fixture.Api;
        var mismatches = new List<string>();
        foreach (var route in AccessMatrix.Routes)
        {
            var method = new HttpMethod(route.Method);
            var body = route.Method == "GET" ? null : "{}";
            foreach (var role in Roles.All)
            {
                var answer = await api.Send(method, route.SamplePath(), Tokens.For(role), body);
                figures.Add("requests");
                if (answer.Status >= 500) figures.Add("5xx");
                var passed = answer.Status is not (401 or 403) && answer.Status < 500;
                if (passed != route.Allows(role) || (!route.Allows(role) && answer.Status != 403))
                    mismatches.Add($"{route} as {role}: {answer.Status}");
                if (answer.Status >= 400 && !answer.IsProblem) mismatches.Add($"{route} as {role}: {answer.Status} without a problem body");
            }
            foreach (var (name, token, status) in AccessMatrix.BadTokens)
            {
                var answer = await api.Send(method, route.SamplePath(), token(), body);
                figures.Add("requests");
                if (answer.Status >= 500) figures.Add("5xx");
                if (answer.Status != status) mismatches.Add($"{route} with {name}: {answer.Status}, expected {status}");
            }
        }
        figures.Add("routes", AccessMatrix.Routes.Length);
        figures.Report();
        Assert.Empty(mismatches);
        Assert.Equal(0, figures["5xx"]);
    }

    /// <summary>COURSES_UPDATE_README=1 writes the table into README instead of comparing.</summary>
    [Fact]
    public void README_shows_the_same_table()
    {
        var file = Path.Combine(Figures.RepoRoot, "README.md");
        var readme = File.ReadAllText(file).ReplaceLineEndings("\n");
        var start = readme.IndexOf(ReadmeStart, StringComparison.Ordinal);
        var end = readme.IndexOf(ReadmeEnd, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README.md lacks the {ReadmeStart} … {ReadmeEnd} block");
        if (Environment.GetEnvironmentVariable("COURSES_UPDATE_README") == "1")
            File.WriteAllText(file, readme[..(start + ReadmeStart.Length)] + "\n" + AccessMatrix.Markdown() + readme[end..]);
        var shown = readme[(start + ReadmeStart.Length)..end].Trim('\n');
        Assert.Equal(AccessMatrix.Markdown().Trim('\n'), shown);
    }
}
