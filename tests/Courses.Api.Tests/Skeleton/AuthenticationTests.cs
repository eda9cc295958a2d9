using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.Skeleton;

public sealed class AuthenticationTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly object Ann = new { fullName = "Ann Lee", dateOfBirth = "1990-04-01" };

    [Fact]
    public async Task No_token_is_401_with_a_problem_body()
    {
        var result = await Host.Scenario(s =>
        {
            s.Post.Json(Ann).ToUrl("/api/clients");
            s.StatusCodeShouldBe(401);
        });
        await AssertProblemAsync(result, 401);
        Assert.Equal(0, await EventCountAsync());
    }

    [Fact]
    public async Task A_token_signed_with_another_key_is_401()
    {
        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Tokens.Issued.SignedWith("another-key-that-is-long-enough-for-hs256!", Roles.Reception)}");
            s.Post.Json(Ann).ToUrl("/api/clients");
            s.StatusCodeShouldBe(401);
        });
        Assert.Equal(0, await EventCountAsync());
    }

    [Fact]
    public async Task An_expired_token_is_401()
    {
        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Tokens.Issued.Expired(Roles.Reception)}");
            s.Get.Url($"/api/clients/{Guid.NewGuid()}");
            s.StatusCodeShouldBe(401);
        });
    }

    [Theory]
    [InlineData(Roles.Analyst)]
    [InlineData(Roles.Auditor)]
    [InlineData(Roles.Admin)]
    public async Task A_role_without_access_is_403(string role)
    {
        var result = await As(role, s =>
        {
            s.Post.Json(Ann).ToUrl("/api/clients");
            s.StatusCodeShouldBe(403);
        });
        await AssertProblemAsync(result, 403);
        Assert.Equal(0, await EventCountAsync());
    }

    [Fact]
    public async Task A_token_without_a_clinic_is_403()
    {
        var noClinic = Tokens.Issued.WithoutClinic(Roles.Reception);
        await Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {noClinic}");
            s.Post.Json(Ann).ToUrl("/api/clients");
            s.StatusCodeShouldBe(403);
        });
        Assert.Equal(0, await EventCountAsync());
    }

    [Fact]
    public async Task Malformed_json_is_400_with_a_problem_body_and_appends_nothing()
    {
        var result = await As(Roles.Reception, s =>
        {
            s.Post.Text("{\"fullName\": \"Ann").ToUrl("/api/clients");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        await AssertProblemAsync(result, 400);
        Assert.Equal(0, await EventCountAsync());
    }

    internal static async Task<JsonElement> AssertProblemAsync(IScenarioResult result, int status)
    {
        Assert.Equal("application/problem+json", result.Context.Response.ContentType?.Split(';')[0]);
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        return problem;
    }
}
