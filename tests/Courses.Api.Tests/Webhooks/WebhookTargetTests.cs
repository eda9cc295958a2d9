using System.Net;
using System.Text;
using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Courses.Api.Webhooks;

namespace Courses.Api.Tests.Webhooks;

/// <summary>Webhooks reach public addresses only: checked at registration, and after each lookup at delivery.</summary>
public sealed class WebhookTargetTests(AppFixture fixture) : WebhookContext(fixture)
{
    private Task<IScenarioResult> Register(string url, int status) => As(Roles.Admin, s =>
    {
        s.Post.Json(new { url, kinds = new[] { "session.recorded" } }).ToUrl("/api/webhooks");
        s.StatusCodeShouldBe(status);
    });

    private async Task<JsonElement> Listed() =>
        await (await As(Roles.Admin, s => s.Get.Url("/api/webhooks"))).ReadAsJsonAsync<JsonElement>();

    private async Task<JsonElement> DeadLetter() =>
        (await Eventually.Until(async () => await (await As(Roles.Admin, s => s.Get.Url("/api/webhooks/dead-letters"))).ReadAsJsonAsync<JsonElement>(),
            listed => listed.GetArrayLength() == 1, TimeSpan.FromSeconds(60), "one dead letter"))[0];

    public static readonly TheoryData<string, string> InternalTargets = new()
    {
        { "http://127.0.0.1/hooks", "loopback" },
        { "http://127.9.9.9:8080/hooks", "loopback, anywhere in 127/8" },
        { "http://2130706433/hooks", "loopback, as one decimal number" },
        { "http://017700000001/hooks", "loopback, in octal" },
        { "http://0x7f.1/hooks", "loopback, in hex and short form" },
        { "http://[::1]/hooks", "IPv6 loopback" },
        { "http://localhost:5000/hooks", "this machine by name" },
        { "http://LOCALHOST./hooks", "this machine by name, upper case with a trailing dot" },
        { "http://api.localhost/hooks", "a name under localhost" },
        { "http://0.0.0.0/hooks", "the unspecified address" },
        { "http://[::]/hooks", "the IPv6 unspecified address" },
        { "http://169.254.169.254/latest/meta-data/", "the cloud metadata service" },
        { "http://[fe80::1%25eth0]/hooks", "IPv6 link-local" },
        { "http://10.0.0.5/hooks", "private 10/8" },
        { "https://172.16.0.1/hooks", "private 172.16/12, low end" },
        { "https://172.31.255.254/hooks", "private 172.16/12, high end" },
        { "https://192.168.1.10/hooks", "private 192.168/16" },
        { "https://100.64.0.1/hooks", "shared address space 100.64/10" },
        { "http://[fc00::1]/hooks", "IPv6 unique-local" },
        { "http://[fd12:3456:789a::1]/hooks", "IPv6 unique-local, fd" },
        { "http://[::ffff:127.0.0.1]/hooks", "IPv4-mapped loopback" },
        { "http://[::ffff:a9fe:a9fe]/hooks", "IPv4-mapped metadata service, in hex" },
        { "http://[64:ff9b::a00:1]/hooks", "NAT64 of a private address" },
        { "http://[2002:c0a8:101::1]/hooks", "6to4 of a private address" },
        { "http://224.0.0.1/hooks", "multicast" },
        { "http://metadata/computeMetadata/v1/", "a single-label name" },
        { "http://metadata.google.internal/computeMetadata/v1/", "a name under .internal" },
        { "http://printer.local/hooks", "an mDNS name" },
        { "http://user:secret@127.0.0.1/hooks", "loopback behind user info" },
    };

    [Theory]
    [MemberData(nameof(InternalTargets))]
    public async Task Registration_refuses_an_internal_target_with_its_own_code(string url, string kind)
    {
        var problem = await (await Register(url, 422)).ReadAsJsonAsync<JsonElement>();
        Assert.True(RegisterWebhookEndpoint.InternalTarget == problem.GetProperty("code").GetString(), kind);
        Assert.Contains("public addresses", problem.GetProperty("detail").GetString());
        Assert.Empty((await Listed()).EnumerateArray());
    }

    [Fact]
    public async Task Public_targets_and_the_allowed_test_address_are_registered()
    {
        // The neighbours of the refused ranges are public, and a name is only looked up when delivering.
        foreach (var url in new[]
                 {
                     "https://hooks.clinic.example/courses", "https://172.32.0.1/hooks", "https://100.128.0.1/hooks",
                     "https://93.184.215.14/hooks", "https://[2606:4700::1111]/hooks", $"http://{WebhookReceiver.AllowedAddress}:8080/hooks",
                 })
            await Register(url, 201);
        Assert.Equal(6, (await Listed()).GetArrayLength());
    }

    [Fact]
    public async Task A_name_that_resolves_to_an_internal_address_gets_nothing_and_is_dead_lettered_at_once()
    {
        // A receiver that really listens where the name leads: only the check stands between the delivery and it.
        var inside = await Receiver("127.0.0.1");
        await using (var session = Fixture.Store.LightweightSession(Tokens.Clinic))
        {
            // As a name that resolved publicly when it was registered would be once its DNS answers 127.0.0.1.
            session.Insert(new Webhook
            {
                Id = Guid.CreateVersion7(), Url = $"http://localhost:{inside.Port}/hooks", Kinds = ["session.recorded"],
                Secret = Webhook.NewSecret(), RegisteredAt = Clock.GetUtcNow(), RegisteredBy = "admin-1",
            });
            await session.SaveChangesAsync();
        }
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);

        var dead = await DeadLetter();
        Assert.Contains("'localhost'", dead.GetProperty("lastError").GetString());
        Assert.Contains("127.0.0.1 is not a public address", dead.GetProperty("lastError").GetString());
        Assert.Empty(inside.All);
    }

    [Fact]
    public async Task A_redirect_is_not_followed()
    {
        var target = await Receiver();
        var redirecting = await Receiver();
        redirecting.RedirectTo = target.Url;
        await Register(redirecting.Url, 201);
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);

        Assert.Contains("307", (await DeadLetter()).GetProperty("lastError").GetString());
        Assert.All(redirecting.All, r => Assert.Equal(307, r.AnsweredWith));
        Assert.NotEmpty(redirecting.All);
        Assert.Empty(target.All);
    }

    [Fact]
    public async Task A_delivery_connects_to_the_address_it_checked_without_a_second_lookup()
    {
        var receiver = await Receiver();
        var lookups = new List<string>();
        var targets = new WebhookTargets(WebhookReceiver.AllowedAddress);
        // A name no DNS server knows: if anything but this lookup resolved it again, the connection would fail.
        Task<IPAddress[]> Resolve(string host, CancellationToken _)
        {
            lookups.Add(host);
            return Task.FromResult(new[] { IPAddress.Parse(WebhookReceiver.AllowedAddress) });
        }
        using var http = new HttpClient(new WebhookConnections(targets, Resolve).Handler());

        using var answer = await http.PostAsync($"http://hooks.clinic.invalid:{receiver.Port}/hooks", new StringContent("{}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.NoContent, answer.StatusCode);
        Assert.Single(receiver.All);
        Assert.Equal(["hooks.clinic.invalid"], lookups);
    }

    [Fact]
    public async Task A_name_that_also_resolves_to_an_internal_address_is_refused_before_connecting()
    {
        var inside = await Receiver("127.0.0.1");
        var targets = new WebhookTargets(WebhookReceiver.AllowedAddress);
        // The rebinding answer: a public address first, the internal one where the receiver really listens second.
        Task<IPAddress[]> Resolve(string host, CancellationToken _) =>
            Task.FromResult(new[] { IPAddress.Parse("93.184.215.14"), IPAddress.Loopback });
        using var http = new HttpClient(new WebhookConnections(targets, Resolve).Handler());

        var failure = await Assert.ThrowsAsync<HttpRequestException>(() =>
            http.PostAsync($"http://rebinding.clinic.invalid:{inside.Port}/hooks", new StringContent("{}")));

        Assert.IsType<WebhookTargetRefused>(failure.InnerException);
        Assert.Contains("127.0.0.1 is not a public address", failure.InnerException!.Message);
        Assert.Empty(inside.All);
    }

    [Fact]
    public void The_allow_list_takes_names_addresses_and_ranges_and_nothing_else()
    {
        var targets = new WebhookTargets("receiver.dev, 10.20.0.0/16 ,::1");
        Assert.Null(targets.RefusalOf("receiver.dev", IPAddress.Parse("192.168.7.7")));
        Assert.Null(targets.RefusalOf("RECEIVER.DEV.", IPAddress.Loopback));
        Assert.Null(targets.RefusalOf("other.dev", IPAddress.Parse("10.20.3.4")));
        Assert.Null(targets.RefusalOf("other.dev", IPAddress.Parse("::ffff:10.20.3.4")));
        Assert.Null(targets.RefusalOf("other.dev", IPAddress.IPv6Loopback));
        Assert.NotNull(targets.RefusalOf("other.dev", IPAddress.Parse("10.21.0.1")));
        Assert.NotNull(targets.RefusalOf("other.dev", IPAddress.Loopback));
        Assert.Null(targets.RefusalOf(new Uri("http://receiver.dev/hooks")));
        Assert.Null(targets.RefusalOf(new Uri("http://[::1]:8080/hooks")));
        Assert.NotNull(targets.RefusalOf(new Uri("http://127.0.0.1:8080/hooks")));

        foreach (var wrong in new[] { "10.0.0.0/33", "not a host", "http://receiver.dev" })
            Assert.Contains("Webhooks:AllowedPrivateTargets", Assert.Throws<InvalidOperationException>(() => new WebhookTargets(wrong)).Message);
    }
}
