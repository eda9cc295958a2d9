using System.Text.Json;
using Alba;
using Courses.Api.Hosting;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.Skeleton;

public sealed class BadInputTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task A_value_of_the_wrong_type_is_400_naming_the_field_without_dotnet_type_names()
    {
        var result = await As(Roles.Reception, s =>
        {
            s.Post.Text("""{"fullName":"Ann","dateOfBirth":12}""").ToUrl("/api/clients");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        var problem = await result.ReadAsJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("dateOfBirth", out _));
        Assert.DoesNotContain("System.", result.ReadAsText());
        Assert.Equal(0, await EventCountAsync());
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var huge = new string('a', (int)Limits.MaxRequestBodyBytes + 1);
        await As(Roles.Reception, s =>
        {
            s.Post.Text($$"""{"fullName":"{{huge}}","dateOfBirth":"1990-01-01"}""").ToUrl("/api/clients");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(413);
        });
        Assert.Equal(0, await EventCountAsync());
    }

    [Fact]
    public async Task A_wrong_content_type_is_415()
    {
        await As(Roles.Reception, s =>
        {
            s.Post.Text("fullName=Ann").ToUrl("/api/clients");
            s.WithRequestHeader("Content-Type", "application/x-www-form-urlencoded");
            s.StatusCodeShouldBe(415);
        });
        Assert.Equal(0, await EventCountAsync());
    }
}
