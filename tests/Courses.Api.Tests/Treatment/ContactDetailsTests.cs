using System.Text.Json;
using Alba;
using Courses.Api.Clients;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Courses.Projections.Clients;

namespace Courses.Api.Tests.Treatment;

public sealed class ContactDetailsTests(AppFixture fixture) : StoryContext(fixture)
{
    private static string ContactDetails(Guid client) => $"/api/clients/{client}/contact-details";


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
        ReadModel.Equal(new RecordedAnswer(client, before + 1), await AnswerOf<RecordedAnswer>(result));
        Assert.Equal(before + 1, await VersionOf(client));
    }

    [Fact]
    public async Task The_profile_shows_the_changed_contact_details()
    {
        var client = (await Post(Roles.Reception, "/api/clients",
            new { fullName = "Ann Lee", dateOfBirth = "1990-04-01", email = "old@example.com", phone = "0100" }, 201))
            .Deserialize<ClientRegisteredResponse>(ReadModel.Json)!.ClientId;
        var registered = new ClientProfile
        {
            Id = client, FullName = "Ann Lee", DateOfBirth = new DateOnly(1990, 4, 1), RegisteredAt = Clock.GetUtcNow(),
        };

        await Post(Roles.Reception, ContactDetails(client), new { email = "ann@example.com", phone = "+44 7700 900123" });
        ReadModel.Equal(registered with { Email = "ann@example.com", Phone = "+44 7700 900123", Version = 2 }, await ProfileOf(client, Roles.Reception));

        // Both details as they should now stand: null removes one.
        await Post(Roles.Practitioner, ContactDetails(client), new { email = "ann.lee@example.com", phone = (string?)null });
        ReadModel.Equal(registered with { Email = "ann.lee@example.com", Phone = null, Version = 3 }, await ProfileOf(client, Roles.Reception));
    }

    [Fact]
    public async Task A_body_that_leaves_a_detail_out_is_400_naming_it_and_changes_nothing()
    {
        var client = (await Post(Roles.Reception, "/api/clients",
            new { fullName = "Ann Lee", dateOfBirth = "1990-04-01", email = "old@example.com", phone = "0100" }, 201))
            .Deserialize<ClientRegisteredResponse>(ReadModel.Json)!.ClientId;
        var before = await ProfileOf(client, Roles.Reception);

        var problem = await Invalid(ContactDetails(client), new { email = "ann.lee@example.com" }, "phone");
        Assert.Equal(["must be given: send null to leave it empty or remove it."],
            problem.GetProperty("errors").GetProperty("phone").EnumerateArray().Select(m => m.GetString()));
        Assert.False(problem.GetProperty("errors").TryGetProperty("email", out _));

        var neither = await Invalid(ContactDetails(client), new { }, "email", "phone");
        Assert.Equal(2, neither.GetProperty("errors").EnumerateObject().Count());
        ReadModel.Equal(before, await ProfileOf(client, Roles.Reception));
    }

    [Fact]
    public async Task Repeating_the_same_details_appends_nothing()
    {
        var client = await RegisteredClient();
        var body = new { email = "ann@example.com", phone = "0100" };
        await Post(Roles.Reception, ContactDetails(client), body);
        var version = await VersionOf(client);
        var before = await EventCountAsync();

        ReadModel.Equal(new RecordedAnswer(client, version), await Accepted(ContactDetails(client), body, Roles.Reception));
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
        await Post(Roles.Reception, ContactDetails(Guid.NewGuid()), new { email = "ann@example.com", phone = (string?)null }, 404);
        await As(Roles.Reception, s =>
        {
            s.Post.Json(new { email = "ann@example.com", phone = (string?)null }).ToUrl(ContactDetails(client));
            s.StatusCodeShouldBe(404);
        }, clinic: Tokens.OtherClinic);
        Assert.Equal(before, await EventCountAsync());
    }
}
