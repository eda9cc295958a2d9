using System.Reflection;
using System.Text.Json;
using Alba;
using Courses.Api.Hosting;
using Courses.Api.OpenApi;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courses.Api.Tests.Connecting;

/// <summary>The OpenAPI document is complete enough to drive a client: checked against the routes the service really has.</summary>
public sealed class ApiDocumentTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private async Task<JsonElement> Document() =>
        await (await Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsJsonAsync<JsonElement>();

    /// <summary>Every /api route of the running service, as (template, method).</summary>
    private IReadOnlyList<(string Path, string Method)> Routes() =>
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (e.RoutePattern.RawText!, m)))
            .ToList();

    private static JsonElement Operation(JsonElement document, string path, string method)
    {
        Assert.True(document.GetProperty("paths").TryGetProperty(path, out var item), $"{path} is not in the document");
        Assert.True(item.TryGetProperty(method.ToLowerInvariant(), out var operation), $"{method} {path} is not in the document");
        return operation;
    }

    /// <summary>Writes whose route says everything: a replay names the dead letter in its path.</summary>
    private static readonly HashSet<string> WritesWithoutBody = ["POST /api/webhooks/dead-letters/{id}/replay"];

    private const string PhotoUpload = "POST /api/clients/{clientId}/photos";

    [Fact]
    public async Task Every_route_is_documented_with_its_schemas_problems_and_security()
    {
        var document = await Document();
        var routes = Routes();
        Assert.True(routes.Count >= 30, $"only {routes.Count} routes found");

        foreach (var (path, method) in routes)
        {
            var operation = Operation(document, path, method);
            var name = $"{method} {path}";
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("operationId").GetString()), name);

            var security = operation.GetProperty("security").EnumerateArray().Single();
            Assert.True(security.TryGetProperty(ApiDocument.BearerScheme, out _), $"{name} has no bearer requirement");

            var responses = operation.GetProperty("responses");
            var successes = responses.EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            Assert.True(successes.Count > 0, $"{name} documents no success");
            foreach (var success in successes.Where(s => s.Name != "204"))
                Assert.All(success.Value.GetProperty("content").EnumerateObject(), content =>
                    Assert.True(content.Value.TryGetProperty("schema", out _), $"{name} {success.Name} {content.Name} has no schema"));

            var problems = new List<string> { "401", "403" };
            if (path.Contains('{')) problems.Add("404");
            if (method is "POST" or "PUT")
            {
                problems.AddRange(["409", "412", "422"]);
                if (WritesWithoutBody.Contains(name))
                    Assert.False(operation.TryGetProperty("requestBody", out _), $"{name} takes no body");
                else if (name == PhotoUpload)
                {
                    // Multipart: a JSON metadata part beside a binary image, each described.
                    problems.AddRange(["400", "413"]);
                    var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("multipart/form-data").GetProperty("schema");
                    Assert.Equal("binary", body.GetProperty("properties").GetProperty("image").GetProperty("format").GetString());
                    Assert.True(body.GetProperty("properties").GetProperty("metadata").TryGetProperty("$ref", out _), $"{name} has no metadata schema");
                }
                else
                {
                    problems.AddRange(["400", "413", "415"]);
                    var body = operation.GetProperty("requestBody").GetProperty("content").GetProperty("application/json");
                    Assert.True(body.TryGetProperty("schema", out _), $"{name} has no request schema");
                }
            }
            foreach (var status in problems)
            {
                Assert.True(responses.TryGetProperty(status, out var problem), $"{name} does not document {status}");
                var schema = problem.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
                // A 422 narrows the problem to the route's own codes.
                if (status == "422") schema = schema.GetProperty("allOf")[0];
                Assert.Equal($"#/components/schemas/{ApiDocument.ProblemSchema}", schema.GetProperty("$ref").GetString());
            }
        }

        // And nothing documented that the service does not serve.
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (p.Name, o.Name.ToUpperInvariant())))
            .Where(r => r.Item1.StartsWith("/api/", StringComparison.Ordinal));
        Assert.Equal(routes.Order().ToList(), documented.Order().ToList());
    }

    [Fact]
    public async Task The_bearer_scheme_and_every_problem_code_are_described()
    {
        var components = (await Document()).GetProperty("components");
        var bearer = components.GetProperty("securitySchemes").GetProperty(ApiDocument.BearerScheme);
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());
        Assert.Equal("JWT", bearer.GetProperty("bearerFormat").GetString());

        var codes = components.GetProperty("schemas").GetProperty(ApiDocument.ProblemSchema).GetProperty("properties")
            .GetProperty("code").GetProperty("enum").EnumerateArray().Select(c => c.GetString()).ToHashSet();
        var ruleCodes = typeof(RuleCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!).Where(code => code != RuleCodes.NotFound);
        foreach (var code in ruleCodes.Append("idempotency-key-reused")) Assert.Contains(code, codes);
        Assert.DoesNotContain(RuleCodes.NotFound, codes);
    }

    [Fact]
    public async Task The_document_is_the_same_wherever_the_service_runs()
    {
        var document = await Document();
        // The one server is the one the document was read from, whatever its host.
        Assert.Equal(["/"], document.GetProperty("servers").EnumerateArray().Select(s => s.GetProperty("url").GetString()));
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(paths.Order(StringComparer.Ordinal), paths);
    }

    [Fact]
    public async Task The_examples_of_the_main_commands_are_accepted_by_the_service_in_order()
    {
        // The examples are dated in January 2026; the clinic's clock stands a little after them.
        Clock.Set(new DateTimeOffset(2026, 1, 20, 9, 0, 0, TimeSpan.Zero));
        var document = await Document();
        JsonElement Example(string path) =>
            Operation(document, path, "POST").GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example");

        async Task<JsonElement> Send(string role, string template, string url, int status) =>
            await (await As(role, s =>
            {
                s.Post.Json(Example(template)).ToUrl(url);
                s.StatusCodeShouldBe(status);
            })).ReadAsJsonAsync<JsonElement>();

        var client = (await Send(Roles.Reception, "/api/clients", "/api/clients", 201)).GetProperty("clientId").GetGuid();
        await Send(Roles.Practitioner, "/api/clients/{clientId}/screenings", $"/api/clients/{client}/screenings", 200);
        await Send(Roles.Practitioner, "/api/clients/{clientId}/consents", $"/api/clients/{client}/consents", 200);
        var consultation = (await Send(Roles.Reception, "/api/clients/{clientId}/consultations", $"/api/clients/{client}/consultations", 201))
            .GetProperty("consultationId").GetGuid();
        var course = (await Send(Roles.Practitioner, "/api/clients/{clientId}/consultations/{consultationId}/complete",
            $"/api/clients/{client}/consultations/{consultation}/complete", 201)).GetProperty("courseId").GetGuid();
        var session = await Send(Roles.Practitioner, "/api/clients/{clientId}/courses/{courseId}/sessions",
            $"/api/clients/{client}/courses/{course}/sessions", 201);
        Assert.Equal(1, session.GetProperty("sessionNumber").GetInt32());
        await Send(Roles.Practitioner, "/api/clients/{clientId}/reactions", $"/api/clients/{client}/reactions", 201);
    }
}
