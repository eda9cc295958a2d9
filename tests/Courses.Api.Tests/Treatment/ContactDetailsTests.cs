using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.Treatment;

public sealed class ContactDetailsTests(AppFixture fixture) : StoryContext(fixture)
{
    private static string ContactDetails(Guid client) => $"/api/clients/{client}/contact-details";

    private async Task<JsonElement> Profile(Guid client) =>
        await (await As(Roles.Reception, s => s.Get.Url($"/api/clients/{client}"))).ReadAsJsonAsync<JsonElement>();

    [Fact]
    public async Task Changing_contact_details_answers_200_with_the_new_version()
    {
        var client = await RegisteredClient();
        var before = await VersionOf(client);
        var result = await As(Roles.Reception, s =>
        {
            s.Post.Json(new { email = "ann@example.com", phone = "+44 7700 900123" }).ToUrl(ContactDetails(client));
            s.StatusCodeShouldBe(200);
            s.Header("ETag").SingleValueShouldEqual($"\"{before + 1}\"");
        });
        Assert.Equal(before + 1, (await result.ReadAsJsonAsync<JsonElement>()).GetProperty("version").GetInt64());
        Assert.Equal(before + 1, await VersionOf(client));
    }

    [Fact]
    public async Task The_profile_shows_the_changed_contact_details()
    {
        var client = (await Post(Roles.Reception, "/api/clients",
            new { fullName = "Ann Lee", dateOfBirth = "1990-04-01", email = "old@example.com", phone = "0100" }, 201)).GetProperty("clientId").GetGuid();

        await Post(Roles.Reception, ContactDetails(client), new { email = "ann@example.com", phone = "+44 7700 900123" });
        var profile = await Profile(client);
        Assert.Equal("ann@example.com", profile.GetProperty("email").GetString());
        Assert.Equal("+44 7700 900123", profile.GetProperty("phone").GetString());

        // Both details as they should now stand: an omitted one is removed.
        await Post(Roles.Practitioner, ContactDetails(client), new { email = "ann.lee@example.com" });
        profile = await Profile(client);
        Assert.Equal("ann.lee@example.com", profile.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("phone").ValueKind);
    }

    [Fact]
    public async Task Repeating_the_same_details_appends_nothing()
    {
        var client = await RegisteredClient();
        var body = new { email = "ann@example.com", phone = "0100" };
        await Post(Roles.Reception, ContactDetails(client), body);
        var version = await VersionOf(client);
        var before = await EventCountAsync();

        var answer = await Post(Roles.Reception, ContactDetails(client), body);
        Assert.Equal(version, answer.GetProperty("version").GetInt64());
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task An_email_without_an_at_sign_is_400()
    {
        var client = await RegisteredClient();
        await Invalid(ContactDetails(client), new { email = "ann.example.com", phone = "0100" }, "email");
    }

    [Fact]
    public async Task An_auditor_cannot_change_contact_details()
    {
        var client = await RegisteredClient();
        var before = await EventCountAsync();
        await Post(Roles.Auditor, ContactDetails(client), new { email = "ann@example.com" }, 403);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task An_unknown_client_or_another_clinics_client_is_404()
    {
        var client = await RegisteredClient();
        var before = await EventCountAsync();
        await Post(Roles.Reception, ContactDetails(Guid.NewGuid()), new { email = "ann@example.com" }, 404);
        await As(Roles.Reception, s =>
        {
            s.Post.Json(new { email = "ann@example.com" }).ToUrl(ContactDetails(client));
            s.StatusCodeShouldBe(404);
        }, clinic: Tokens.OtherClinic);
        Assert.Equal(before, await EventCountAsync());
    }
}
