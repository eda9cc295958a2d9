using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Courses.Api.Tests.Skeleton;

/// <summary>A 400 names the member at fault and what was expected; a 403 names the roles; one problem type scheme.</summary>
public sealed class ErrorAnswerTests(AppFixture fixture) : StoryContext(fixture)
{
    private async Task<(JsonElement Errors, JsonElement Problem)> BadBody(string url, string body, string role = Roles.Practitioner)
    {
        var result = await As(role, s =>
        {
            s.Post.Text(body).ToUrl(url);
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        Assert.DoesNotContain("System.", result.ReadAsText());
        Assert.DoesNotContain("Courses.", result.ReadAsText());
        return (problem.GetProperty("errors"), problem);
    }

    private static string[] Messages(JsonElement errors, string field) =>
        errors.GetProperty(field).EnumerateArray().Select(m => m.GetString()!).ToArray();

    [Fact]
    public async Task A_time_without_an_offset_names_the_member_and_shows_a_time_that_would_do()
    {
        var client = await RegisteredClient();
        var (errors, problem) = await BadBody($"/api/clients/{client}/screenings",
            """{"screenedAt":"2026-01-01T10:00:00","conditions":[],"knownAllergies":[]}""");
        Assert.Equal(["must be a time with an offset, such as 2026-03-01T10:00:00+00:00."], Messages(errors, "screenedAt"));
        Assert.DoesNotContain("well-formed", problem.ToString());
        Assert.Equal(1, await EventCountAsync()); // the registration only
    }

    [Fact]
    public async Task An_unknown_member_is_named_as_not_a_member_of_the_request()
    {
        var (errors, _) = await BadBody("/api/clients", """{"fullName":"Ann","dateOfBirth":"1990-01-01","foo":1}""", Roles.Reception);
        Assert.Equal(["'foo' is not a member of this request."], Messages(errors, "foo"));
        Assert.Equal(0, await EventCountAsync());
    }

    [Fact]
    public async Task A_member_given_twice_is_named()
    {
        var (errors, _) = await BadBody("/api/clients", """{"fullName":"Ann","dateOfBirth":"1990-01-01","fullName":"Bo"}""", Roles.Reception);
        Assert.Equal(["is given more than once."], Messages(errors, "fullName"));
    }

    [Theory]
    [InlineData("""{"fullName":5,"dateOfBirth":"1990-01-01"}""", "fullName", "expected text (a JSON string).")]
    [InlineData("""{"fullName":"Ann","dateOfBirth":"01/02/1990"}""", "dateOfBirth", "must be a date as yyyy-MM-dd, such as 1990-04-21.")]
    public async Task A_value_of_the_wrong_type_says_what_was_expected(string body, string field, string expected)
    {
        var (errors, _) = await BadBody("/api/clients", body, Roles.Reception);
        Assert.Equal([expected], Messages(errors, field));
    }

    [Fact]
    public async Task A_wrong_type_inside_a_list_or_object_is_named_by_its_path()
    {
        var client = await RegisteredClient();
        var (errors, _) = await BadBody($"/api/clients/{client}/screenings",
            """{"screenedAt":"2026-01-01T10:00:00Z","conditions":5,"knownAllergies":[]}""");
        Assert.Equal(["expected a list (a JSON array)."], Messages(errors, "conditions"));
    }

    [Fact]
    public async Task A_wrong_type_deep_in_the_body_is_named_by_its_full_path()
    {
        var (errors, _) = await BadBody($"/api/clients/{Guid.NewGuid()}/courses/{Guid.NewGuid()}/sessions",
            """{"performedAt":"2026-01-05T09:00:00Z","practitionerId":"p","areas":[{"area":"face","depthMm":"deep"}],"serum":{"product":"X","lot":"L"},"numbingCreamApplied":false,"calmingMaskApplied":false,"spfApplied":false}""");
        Assert.Equal(["expected a number."], Messages(errors, "areas[0].depthMm"));

        (errors, _) = await BadBody($"/api/clients/{Guid.NewGuid()}/courses/{Guid.NewGuid()}/sessions",
            """{"performedAt":"2026-01-05T09:00:00Z","practitionerId":"p","areas":[],"serum":{"product":"X","lot":"L"},"numbingCreamApplied":"yes","calmingMaskApplied":false,"spfApplied":false}""");
        Assert.Equal(["expected true or false."], Messages(errors, "numbingCreamApplied"));
    }

    [Fact]
    public async Task Only_a_syntax_error_is_not_well_formed_and_it_says_where()
    {
        var (errors, problem) = await BadBody("/api/clients", """{"fullName":"Ann",""", Roles.Reception);
        Assert.StartsWith("is not well-formed JSON (at byte", Messages(errors, "$").Single());
        Assert.Equal("https://courses.example/problems/bad-request", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_callers_bad_body_is_logged_once_at_information_without_a_stack_trace()
    {
        var logs = LogCapture.Into(Host.Services);
        logs.Clear();
        await BadBody("/api/clients", """{"fullName":"Ann","dateOfBirth":"1990-01-01","foo":1}""", Roles.Reception);

        var logged = logs.Records.ToArray();
        Assert.DoesNotContain(logged, r => r.Level is >= LogLevel.Warning and <= LogLevel.Critical);
        Assert.DoesNotContain(logged, r => r.Exception is not null);
        Assert.Single(logged, r => r.Category == "Courses.Problems" && r.Level == LogLevel.Information && r.Message.Contains("400"));
    }

    [Fact]
    public async Task A_403_names_the_roles_the_route_needs()
    {
        var result = await As(Roles.Reception, s =>
        {
            s.Get.Url($"/api/clients/{Guid.NewGuid()}/depth-history");
            s.StatusCodeShouldBe(403);
        });
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        var needed = Policies.RolesFor[Policies.ReadClinical];
        Assert.Equal(needed, problem.GetProperty("requiredRoles").EnumerateArray().Select(r => r.GetString()!).ToArray());
        Assert.Contains(string.Join(", ", needed), problem.GetProperty("detail").GetString());
        Assert.Contains(Roles.Reception, problem.GetProperty("detail").GetString());
        Assert.Equal("https://courses.example/problems/forbidden", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Every_status_shares_one_type_scheme_and_a_422_is_typed_by_its_rule()
    {
        var missing = await As(Roles.Practitioner, s =>
        {
            s.Get.Url($"/api/clients/{Guid.NewGuid()}");
            s.StatusCodeShouldBe(404);
        });
        Assert.Equal("https://courses.example/problems/not-found", (await missing.ReadAsJsonAsync<JsonElement>()).GetProperty("type").GetString());

        var anonymous = await Host.Scenario(s =>
        {
            s.Get.Url($"/api/clients/{Guid.NewGuid()}");
            s.StatusCodeShouldBe(401);
        });
        Assert.Equal("https://courses.example/problems/unauthorized", (await anonymous.ReadAsJsonAsync<JsonElement>()).GetProperty("type").GetString());

        var client = await RegisteredClient();
        var invalid = await Invalid($"/api/clients/{client}/contact-details", new { email = "ann.example.com", phone = (string?)null }, "email");
        Assert.Equal("https://courses.example/problems/bad-request", invalid.GetProperty("type").GetString());

        var consultation = await BookedConsultation(client);
        var refused = await Refused($"/api/clients/{client}/consultations/{consultation}/complete",
            new { completedAt = At(Clock.GetUtcNow()), practitionerId = Practitioner, outcome = "plan", concerns = new[] { "fineLines" }, plan = Plan() },
            "screening-required");
        Assert.Equal("https://courses.example/problems/screening-required", refused.GetProperty("type").GetString());
    }
}
