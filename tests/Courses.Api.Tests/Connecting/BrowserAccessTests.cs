using System.Net;
using System.Net.Http.Json;
using Alba;
using Courses.Api.Hosting;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Courses.Api.Tests.Connecting;

/// <summary>CORS as a browser sees it: preflights and real answers, from an allowed and a foreign origin.</summary>
public sealed class BrowserAccessTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private const string ForeignOrigin = "https://evil.example";

    private static HttpRequestMessage Preflight(string origin, string method = "POST",
        string headers = "authorization,content-type,if-match,idempotency-key") =>
        new(HttpMethod.Options, "/api/clients")
        {
            Headers =
            {
                { "Origin", origin },
                { "Access-Control-Request-Method", method },
                { "Access-Control-Request-Headers", headers },
            },
        };

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;

    private static string[] List(HttpResponseMessage response, string name) =>
        (Header(response, name) ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task A_preflight_from_an_allowed_origin_is_answered_without_a_token()
    {
        using var client = Host.Server.CreateClient();
        using var response = await client.SendAsync(Preflight(AppFixture.FrontEndOrigin));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AppFixture.FrontEndOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", List(response, "Access-Control-Allow-Methods"));
        foreach (var header in new[] { "authorization", "content-type", "if-match", "idempotency-key" })
            Assert.Contains(header, List(response, "Access-Control-Allow-Headers"), StringComparer.OrdinalIgnoreCase);
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_preflight_from_another_origin_gets_no_permission()
    {
        using var client = Host.Server.CreateClient();
        using var response = await client.SendAsync(Preflight(ForeignOrigin));

        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task A_preflight_asking_for_a_header_not_on_the_list_gets_no_permission_for_it()
    {
        using var client = Host.Server.CreateClient();
        using var response = await client.SendAsync(Preflight(AppFixture.FrontEndOrigin, headers: "x-custom-thing"));

        // The service answers its own list; the browser then refuses to send the header that is not on it.
        Assert.DoesNotContain("x-custom-thing", List(response, "Access-Control-Allow-Headers"), StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_answer_to_an_allowed_origin_exposes_the_version_the_address_and_the_retry_hint()
    {
        using var client = Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/clients")
        {
            Content = JsonContent.Create(new { fullName = "Ann Lee", dateOfBirth = "1990-04-01" }),
            Headers = { { "Origin", AppFixture.FrontEndOrigin }, { "Authorization", $"Bearer {Tokens.For(Roles.Reception)}" } },
        };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(AppFixture.FrontEndOrigin, Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal(["ETag", "Location", "Retry-After"], List(response, "Access-Control-Expose-Headers").Order(StringComparer.Ordinal));
        Assert.Null(Header(response, "Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_refusal_is_readable_by_the_page_that_caused_it()
    {
        using var client = Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/protocol") { Headers = { { "Origin", AppFixture.FrontEndOrigin } } };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(AppFixture.FrontEndOrigin, Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task An_answer_to_another_origin_carries_no_permission()
    {
        using var client = Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/protocol")
        {
            Headers = { { "Origin", ForeignOrigin }, { "Authorization", $"Bearer {Tokens.For(Roles.Admin)}" } },
        };
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Header(response, "Access-Control-Allow-Origin"));
        Assert.Null(Header(response, "Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task Without_configured_origins_the_service_sends_no_CORS_headers_at_all()
    {
        // The same wiring as the service, on a bare host: the default configuration has no origins.
        var builder = WebApplication.CreateBuilder();
        builder.Services.AddCoursesBrowserAccess(builder.Configuration);
        await using var host = await AlbaHost.For(builder, app =>
        {
            app.UseCoursesBrowserAccess(app.Configuration);
            app.MapPost("/api/clients", () => Results.Ok());
        });
        Assert.Empty(BrowserAccess.AllowedOrigins(host.Services.GetRequiredService<IConfiguration>()));

        using var client = host.Server.CreateClient();
        using var preflight = await client.SendAsync(Preflight(AppFixture.FrontEndOrigin));
        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        Assert.Null(Header(preflight, "Access-Control-Allow-Methods"));

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/clients") { Headers = { { "Origin", AppFixture.FrontEndOrigin } } };
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(response.Headers, h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase));
    }
}
