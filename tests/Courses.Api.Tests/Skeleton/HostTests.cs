using System.Text.Json;
using Alba;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.Skeleton;

public sealed class HostTests(AppFixture fixture) : IntegrationContext(fixture)
{
    [Fact]
    public async Task Liveness_answers_without_a_token()
    {
        var result = await Host.Scenario(s => s.Get.Url("/health/live"));
        Assert.Equal("healthy", (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Readiness_checks_the_database_and_schema()
    {
        var result = await Host.Scenario(s => s.Get.Url("/health/ready"));
        var body = await result.ReadAsJsonAsync<JsonElement>();
        Assert.Equal("healthy", body.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task OpenApi_document_lists_the_routes_and_needs_no_token()
    {
        var result = await Host.Scenario(s => s.Get.Url("/openapi/v1.json"));
        var paths = (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/clients", out _));
        Assert.True(paths.TryGetProperty("/api/clients/{clientId}", out _));
    }

    [Fact]
    public async Task Api_reference_page_is_served()
    {
        var result = await Host.Scenario(s =>
        {
            s.Get.Url("/scalar/");
            s.StatusCodeShouldBeOk();
        });
        Assert.Contains("<html", result.ReadAsText(), StringComparison.OrdinalIgnoreCase);
    }
}
