using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Alba;
using Courses.Api.Hosting;
using Courses.Api.OpenApi;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Courses.Api.Tests.Connecting;

/// <summary>
/// The document against the service's behaviour: each example is accepted, each required member is what Validate
/// requires (left out, a 400 naming it; nothing else is), each route's 422 codes are the ones its decision's code can
/// produce, and the schemas are exact enough for a generator (every time and date a typed string, every enum typed).
/// </summary>
public sealed partial class ApiContractTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private async Task<JsonElement> Document() =>
        await (await Host.Scenario(s => s.Get.Url("/openapi/v1.json"))).ReadAsJsonAsync<JsonElement>();

    /// <summary>Every /api write with its endpoint class (from the route's metadata) and a role allowed to send it.</summary>
    private IReadOnlyList<(string Path, string Method, string Role)> Writes() =>
        Host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Where(m => m is "POST" or "PUT")
                .Select(m => (e.RoutePattern.RawText!, m,
                    e.Metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>()
                        .Select(p => Policies.RolesFor[p][0]).FirstOrDefault() ?? Roles.Reception)))
            .ToList();

    private static JsonElement? Body(JsonElement document, string path, string method) =>
        document.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant()) is var operation &&
        operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/json", out var json) ? json : null;

    private static JsonElement Resolve(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference)
            ? document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1])
            : schema;

    /// <summary>A client with a completed consultation, a course with a session, a reaction and a webhook: ids for every route.</summary>
    private async Task<Dictionary<string, string>> Story(JsonElement document)
    {
        async Task<JsonElement> Send(string role, string template, string url)
        {
            var result = await As(role, s =>
            {
                s.Post.Json(Body(document, template, "POST")!.Value.GetProperty("example")).ToUrl(url);
                s.IgnoreStatusCode();
            });
            Assert.True(result.Context.Response.StatusCode is >= 200 and < 300, $"{template}: {await result.ReadAsTextAsync()}");
            return await result.ReadAsJsonAsync<JsonElement>();
        }

        var client = (await Send(Roles.Reception, "/api/clients", "/api/clients")).GetProperty("clientId").GetString()!;
        await Send(Roles.Practitioner, "/api/clients/{clientId}/screenings", $"/api/clients/{client}/screenings");
        await Send(Roles.Practitioner, "/api/clients/{clientId}/consents", $"/api/clients/{client}/consents");
        var consultation = (await Send(Roles.Reception, "/api/clients/{clientId}/consultations", $"/api/clients/{client}/consultations"))
            .GetProperty("consultationId").GetString()!;
        // A photo, taken the way a front-end sends one (multipart), for the routes about a photo.
        await Send(Roles.Practitioner, "/api/clients/{clientId}/photo-consents", $"/api/clients/{client}/photo-consents");
        var upload = TestImages.Multipart(
            ("metadata", null, """{ "takenAt": "2026-01-08T11:35:00+00:00", "area": "face", "view": "front", "kind": "baseline" }"""u8.ToArray()),
            ("image", "image/jpeg", TestImages.PlainJpeg()));
        var photo = await As(Roles.Practitioner, s =>
        {
            s.Post.Url($"/api/clients/{client}/photos");
            s.ConfigureHttpContext(http =>
            {
                http.Request.ContentType = upload.ContentType;
                http.Request.Body = new MemoryStream(upload.Body);
            });
            s.StatusCodeShouldBe(201);
        });
        var photoId = (await photo.ReadAsJsonAsync<JsonElement>()).GetProperty("photoId").GetString()!;
        return new Dictionary<string, string> { ["clientId"] = client, ["consultationId"] = consultation, ["photoId"] = photoId };
    }

    private static string Fill(string template, IReadOnlyDictionary<string, string> ids) =>
        RouteParameter().Replace(template, m => ids.GetValueOrDefault(m.Groups[1].Value, Guid.NewGuid().ToString()));

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task Every_write_has_an_example_the_service_accepts_in_the_order_a_clinic_sends_them()
    {
        Clock.Set(new DateTimeOffset(2026, 1, 20, 9, 0, 0, TimeSpan.Zero));
        var document = await Document();
        var ids = await Story(document);
        var writes = Writes().Where(w => Body(document, w.Path, w.Method) is not null).ToList();
        Assert.True(writes.Count >= 15, $"only {writes.Count} writes with a body");

        // In the order of the examples (a clinic's order), then any write the examples do not name: that one fails below.
        var order = ApiExamples.Bodies.Keys.ToList();
        var refused = new List<string>();
        foreach (var (path, method, role) in writes.OrderBy(w => order.IndexOf($"{w.Method} {w.Path}") is var i and >= 0 ? i : int.MaxValue))
        {
            var name = $"{method} {path}";
            Assert.True(Body(document, path, method)!.Value.TryGetProperty("example", out var example), $"{name} has no example");
            var result = await As(role, s =>
            {
                if (method == "PUT") s.Put.Json(example).ToUrl(Fill(path, ids));
                else s.Post.Json(example).ToUrl(Fill(path, ids));
                s.IgnoreStatusCode();
            });
            // Well-formed and valid: accepted, or refused by a rule the story's state brings (cancelling a completed consultation).
            var status = result.Context.Response.StatusCode;
            Assert.True(status is >= 200 and < 300 or 422, $"{name}: its example answered {status}: {await result.ReadAsTextAsync()}");
            if (status == 422) refused.Add(name);
            // Later routes need the ids the earlier ones created.
            var answer = await result.ReadAsJsonAsync<JsonElement>();
            foreach (var id in new[] { "courseId", "reactionId" })
                if (answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty(id, out var value) && value.ValueKind == JsonValueKind.String)
                    ids.TryAdd(id, value.GetString()!);
        }
        // Only the routes whose state the story has moved past: a consultation already completed, a course not yet completed.
        Assert.Equal(["POST /api/clients/{clientId}/consultations/{consultationId}/cancel", "POST /api/clients/{clientId}/courses/{courseId}/maintenance-sessions"],
            refused.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Each_required_member_is_one_the_service_requires_and_no_other()
    {
        Clock.Set(new DateTimeOffset(2026, 1, 20, 9, 0, 0, TimeSpan.Zero));
        var document = await Document();
        var ids = await Story(document);
        var checkedMembers = 0;
        foreach (var (path, method, role) in Writes())
        {
            if (Body(document, path, method) is not { } body || !body.TryGetProperty("example", out var example)) continue;
            var schema = Resolve(document, body.GetProperty("schema"));
            var required = schema.TryGetProperty("required", out var list) ? list.EnumerateArray().Select(r => r.GetString()!).ToHashSet() : [];
            var name = $"{method} {path}";

            // Left out one at a time: a 400 naming exactly that member.
            foreach (var member in required)
            {
                var without = JsonNode.Parse(example.GetRawText())!.AsObject();
                Assert.True(without.Remove(member), $"{name}: the example has no required {member}");
                var fields = await Refused(role, method, Fill(path, ids), without);
                Assert.True(fields.Contains(member), $"{name} without {member} answered a 400 naming {string.Join(", ", fields)}");
                checkedMembers++;
            }

            // An empty body: the service names exactly the required members (a member it requires is documented), and
            // those required only in some case, which say so ("Required when outcome is plan.").
            var named = (await Refused(role, method, Fill(path, ids), new JsonObject(), allowAccepted: required.Count == 0))
                .Select(field => field.Split('.', '[')[0]).ToHashSet();
            named.RemoveWhere(field => schema.GetProperty("properties").GetProperty(field) is var member &&
                member.TryGetProperty("description", out var description) && description.GetString()!.StartsWith("Required when", StringComparison.Ordinal));
            Assert.True(required.SetEquals(named), $"{name}: documents required [{string.Join(", ", required)}], an empty body names [{string.Join(", ", named)}]");
        }
        Assert.True(checkedMembers >= 25, $"only {checkedMembers} required members checked");
    }

    /// <summary>The fields a 400 names; with <paramref name="allowAccepted"/> any other answer names none.</summary>
    private async Task<IReadOnlyList<string>> Refused(string role, string method, string url, JsonObject body, bool allowAccepted = false)
    {
        var result = await As(role, s =>
        {
            if (method == "PUT") s.Put.Text(body.ToJsonString()).ToUrl(url);
            else s.Post.Text(body.ToJsonString()).ToUrl(url);
            s.WithRequestHeader("Content-Type", "application/json");
            if (!allowAccepted) s.StatusCodeShouldBe(400);
            else s.IgnoreStatusCode();
        });
        if (result.Context.Response.StatusCode != 400) return [];
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        return problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
    }

    [Fact]
    public async Task Each_route_lists_the_422_codes_its_decision_can_produce()
    {
        var document = await Document();
        var decisions = DecisionCodes.FromSource();
        foreach (var (path, method, _) in Writes())
        {
            var name = $"{method} {path}";
            var refusal = document.GetProperty("paths").GetProperty(path).GetProperty(method.ToLowerInvariant())
                .GetProperty("responses").GetProperty("422").GetProperty("content").GetProperty("application/problem+json").GetProperty("schema");
            var listed = refusal.GetProperty("allOf")[1].GetProperty("properties").GetProperty("code").GetProperty("enum")
                .EnumerateArray().Select(c => c.GetString()!).ToHashSet();
            Assert.Contains("idempotency-key-reused", listed);

            // The decision the route's Decide calls, read from the slice's source; what its code (and the rules it calls) can refuse with.
            var expected = decisions.ForRoute(path, method);
            listed.Remove("idempotency-key-reused");
            listed.Remove(Api.Webhooks.RegisterWebhookEndpoint.TooManyWebhooks);
            listed.Remove(Api.Webhooks.RegisterWebhookEndpoint.InternalTarget);
            Assert.True(expected.SetEquals(listed),
                $"{name} lists [{string.Join(", ", listed.Order())}], its decision can refuse with [{string.Join(", ", expected.Order())}]");
        }
    }

    [Fact]
    public async Task The_schemas_are_exact_enough_for_a_generator()
    {
        var document = await Document();
        var problems = new List<string>();
        void Walk(JsonElement schema, string where)
        {
            if (schema.ValueKind != JsonValueKind.Object) return;
            var hasType = schema.TryGetProperty("type", out var type);
            string[] types = !hasType ? [] : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToArray() : [type.GetString()!];
            if (schema.TryGetProperty("format", out var format) && format.GetString() is "date-time" or "date" && !types.Contains("string"))
                problems.Add($"{where}: a {format.GetString()} without type string");
            if (schema.TryGetProperty("enum", out _) && !types.Contains("string") && !types.Contains("integer"))
                problems.Add($"{where}: an enum without a type");
            foreach (var property in schema.EnumerateObject())
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    if (property.Name is "properties")
                        foreach (var member in property.Value.EnumerateObject())
                        {
                            // A member with no schema at all is `unknown` to a generator: only an event's free-form payload may be.
                            if (!member.Value.EnumerateObject().Any(k => k.Name != "description") && $"{where}.{member.Name}" != "HistoryEntry.data")
                                problems.Add($"{where}.{member.Name}: no schema");
                            Walk(member.Value, $"{where}.{member.Name}");
                        }
                    else Walk(property.Value, $"{where}/{property.Name}");
                }
                else if (property.Value.ValueKind == JsonValueKind.Array)
                    foreach (var item in property.Value.EnumerateArray()) Walk(item, $"{where}/{property.Name}");
        }
        foreach (var schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject()) Walk(schema.Value, schema.Name);
        foreach (var path in document.GetProperty("paths").EnumerateObject()) Walk(path.Value, path.Name);
        Assert.Empty(problems);

        // Request enumerations are the names the service reads: concerns, areas, reaction kinds.
        var booking = document.GetProperty("components").GetProperty("schemas").GetProperty("BookConsultationRequest");
        Assert.Equal(ApiContract.Names(typeof(Domain.Concern)),
            booking.GetProperty("properties").GetProperty("concerns").GetProperty("items").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task The_document_names_its_server_contact_and_licence_and_orders_tags_as_a_clinic_works()
    {
        var document = await Document();
        var info = document.GetProperty("info");
        Assert.False(string.IsNullOrWhiteSpace(info.GetProperty("contact").GetProperty("name").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(info.GetProperty("license").GetProperty("name").GetString()));
        Assert.Equal("/", document.GetProperty("servers")[0].GetProperty("url").GetString());

        var tags = document.GetProperty("tags").EnumerateArray().ToList();
        Assert.All(tags, tag => Assert.False(string.IsNullOrWhiteSpace(tag.GetProperty("description").GetString())));
        var clinicOrder = ApiContract.Areas.Select(a => a.Name).ToList();
        var names = tags.Select(t => t.GetProperty("name").GetString()!).ToList();
        Assert.Equal(["Clients", "Screenings", "Consents", "Consultations", "Courses", "Sessions", "Reactions"], names.Take(7));
        Assert.Equal(names.OrderBy(clinicOrder.IndexOf), names);
        Assert.Equal("Webhooks", names[^1]);
    }
}
