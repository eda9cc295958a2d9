using System.Text.Json;
using Alba;
using Courses.Api.Clients;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Courses.Api.Tests.Skeleton;
using Courses.Projections.Clients;

namespace Courses.Api.Tests.Clients;

public sealed class RegisterClientTests(AppFixture fixture) : StoryContext(fixture)
{
    private static async Task<Guid> Registered(IScenarioResult created) =>
        JsonSerializer.Deserialize<ClientRegisteredResponse>(await created.ReadAsTextAsync(), ReadModel.Json)!.ClientId;

    [Fact]
    public async Task Registering_a_client_answers_201_with_its_location_and_the_profile_reads_back()
    {
        var created = await As(Roles.Reception, s =>
        {
            s.Post.Json(new { fullName = "  Ann Lee ", dateOfBirth = "1990-04-01", email = "ann@example.com" }).ToUrl("/api/clients");
            s.StatusCodeShouldBe(201);
            s.Header("ETag").SingleValueShouldEqual("\"1\"");
        });
        var clientId = await Registered(created);
        Assert.Equal($"/api/clients/{clientId}", created.Context.Response.Headers.Location.ToString());

        var read = await As(Roles.Practitioner, s =>
        {
            s.Get.Url($"/api/clients/{clientId}");
            s.StatusCodeShouldBeOk();
            s.Header("ETag").SingleValueShouldEqual("\"1\"");
        });
        // The name trimmed, registered at the clock's now; nothing else recorded yet.
        ReadModel.Equal(new ClientProfile
        {
            Id = clientId,
            FullName = "Ann Lee",
            DateOfBirth = new DateOnly(1990, 4, 1),
            Email = "ann@example.com",
            RegisteredAt = Clock.GetUtcNow(),
            Version = 1,
        }, JsonSerializer.Deserialize<ClientProfile>(await read.ReadAsTextAsync(), ReadModel.Json));
    }

    [Fact]
    public async Task The_acting_user_and_clinic_are_recorded_on_the_event()
    {
        var created = await As(Roles.Reception, s =>
        {
            s.Post.Json(new { fullName = "Ann Lee", dateOfBirth = "1990-04-01" }).ToUrl("/api/clients");
            s.StatusCodeShouldBe(201);
        });
        var clientId = await Registered(created);

        await using var session = Fixture.Store.QuerySession(Tokens.Clinic);
        var events = await session.Events.FetchStreamAsync(clientId);
        var registered = Assert.Single(events);
        Assert.Equal($"user-{Roles.Reception}", registered.UserName);
        Assert.Equal(Tokens.Clinic, registered.TenantId);
        Assert.False(string.IsNullOrEmpty(registered.CorrelationId));
    }

    [Fact]
    public async Task Another_clinic_cannot_see_the_client()
    {
        var created = await As(Roles.Reception, s =>
        {
            s.Post.Json(new { fullName = "Ann Lee", dateOfBirth = "1990-04-01" }).ToUrl("/api/clients");
            s.StatusCodeShouldBe(201);
        });
        var clientId = await Registered(created);

        var otherClinic = await As(Roles.Practitioner, s =>
        {
            s.Get.Url($"/api/clients/{clientId}");
            s.StatusCodeShouldBe(404);
        }, clinic: Tokens.OtherClinic);
        var unknown = await As(Roles.Practitioner, s =>
        {
            s.Get.Url($"/api/clients/{Guid.NewGuid()}");
            s.StatusCodeShouldBe(404);
        });
        var a = await AuthenticationTests.AssertProblemAsync(otherClinic, 404);
        var b = await AuthenticationTests.AssertProblemAsync(unknown, 404);
        Assert.Equal(a.GetProperty("title").GetString(), b.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Invalid_fields_are_400_with_errors_per_field_and_append_nothing()
    {
        var result = await As(Roles.Reception, s =>
        {
            s.Post.Json(new { fullName = " ", dateOfBirth = "2026-01-06", email = "not-an-email" }).ToUrl("/api/clients");
            s.StatusCodeShouldBe(400);
        });
        var errors = (await AuthenticationTests.AssertProblemAsync(result, 400)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("fullName", out _));
        Assert.True(errors.TryGetProperty("dateOfBirth", out _));
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.Equal(0, await EventCountAsync());
    }

    [Fact]
    public async Task A_null_body_is_400()
    {
        await As(Roles.Reception, s =>
        {
            s.Post.Text("null").ToUrl("/api/clients");
            s.WithRequestHeader("Content-Type", "application/json");
            s.StatusCodeShouldBe(400);
        });
        Assert.Equal(0, await EventCountAsync());
    }
}
