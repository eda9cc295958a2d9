using Alba;
using Courses.Api.Clients;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Courses.Api.Tests.ReadSide;
using Wolverine.Tracking;

namespace Courses.Api.Tests.Clients;

/// <summary>An erasure is done when it answers: every read right after the 200 shows it, with no waiting.</summary>
public sealed class EraseContactTests(AppFixture fixture) : ReadSideContext(fixture)
{
    private static readonly string[] Personal = ["Ann Lee", "ann@example.com", "0700 900 123", "ann.lee@example.com", "+44 7700 900123"];

    /// <summary>Ann with every kind of read that can name her: contact details changed once, a booking, a treated lot, maintenance due.</summary>
    private async Task<Guid> Ann()
    {
        var ann = await ClientWithContact("Ann Lee", "1990-04-01", "ann@example.com", "0700 900 123");
        await Post(Roles.Reception, $"/api/clients/{ann}/contact-details", new { email = "ann.lee@example.com", phone = "+44 7700 900123" });
        await Screened(ann);
        await Consented(ann);
        var course = await PlannedCourse(ann, await BookedConsultation(ann), PlanOf("face", 0.5m, sessions: 1));
        await Treated(ann, course, Treatment("face", 0.5m, lot: "L-100"));
        // The recall list is built by the daemon: wait for it before the erasure, never after.
        await NonStale();
        return ann;
    }

    /// <summary>Every route that shows a client's contact data, by id or in a list; the booking is three days on, maintenance in July.</summary>
    private static string[] ReadsOf(Guid client) =>
    [
        $"/api/clients/{client}",
        $"/api/clients/{client}/history?limit=1000",
        $"/api/clients/{client}/record",
        $"/api/clients/{client}/record?version=1",
        $"/api/clients/{client}/record?version=2",
        $"/api/clients/{client}/fhir",
        "/api/serum-lots/L-100/clients",
        "/api/maintenance/due?from=2026-07-01&to=2026-07-31",
        "/api/schedule?date=2026-01-08",
    ];

    private async Task<string> Text(string url) =>
        await (await As(Roles.Practitioner, s => { s.Get.Url(url); s.StatusCodeShouldBe(200); })).ReadAsTextAsync();

    private async Task Erase(Guid client, int status = 200) => await As(Roles.Admin, s =>
    {
        s.Post.Json(new { reason = "client asked to be forgotten" }).ToUrl($"/api/clients/{client}/erase-contact");
        s.StatusCodeShouldBe(status);
    });

    [Fact]
    public async Task Every_read_shows_the_erasure_the_moment_it_is_answered()
    {
        var ann = await Ann();
        var reads = ReadsOf(ann);
        // Before: each of these routes does show her (else the check after would prove nothing).
        foreach (var url in reads)
            Assert.True(Personal.Any((await Text(url)).Contains), $"{url} did not show Ann's contact data before the erasure");

        await Erase(ann);

        foreach (var url in reads)
        {
            var answer = await Text(url);
            Assert.Contains(ann.ToString(), answer);
            foreach (var personal in Personal) Assert.False(answer.Contains(personal), $"{url} still shows '{personal}': {answer}");
        }
        Assert.Contains("(erased)", await Text($"/api/clients/{ann}"));
        foreach (var q in new[] { "Ann Lee", "ann.lee@example.com", "ann@example.com", "+44 7700 900123", "1990-04-01" })
            Assert.Empty((await Found(q, role: Roles.Practitioner)).Items);
    }

    [Fact]
    public async Task An_erasure_the_database_cannot_finish_is_not_acknowledged_and_leaves_everything_as_it_was()
    {
        var ann = await Ann();
        var before = await EventCountAsync();
        var profile = await Text($"/api/clients/{ann}");
        var history = await Text($"/api/clients/{ann}/history?limit=1000");

        // The masking of the stored events fails: the erasure event and the read models roll back with it.
        await using (await Sabotage("courses_test_events.mt_events", "new.type = 'contact_details_changed'", "update"))
            await Erase(ann, 500);

        Assert.Equal(before, await EventCountAsync());
        Assert.Equal(profile, await Text($"/api/clients/{ann}"));
        Assert.Equal(history, await Text($"/api/clients/{ann}/history?limit=1000"));
        Assert.Single((await Found("ann.lee@example.com", role: Roles.Practitioner)).Items);

        await Erase(ann);
        foreach (var url in ReadsOf(ann))
            Assert.DoesNotContain("ann.lee@example.com", await Text(url));
    }

    [Fact]
    public async Task Contact_details_given_after_an_erasure_are_erased_by_the_next()
    {
        var ann = await Ann();
        await Erase(ann);
        await Post(Roles.Reception, $"/api/clients/{ann}/contact-details", new { email = "ann.back@example.com", phone = (string?)null });
        Assert.Contains("ann.back@example.com", await Text($"/api/clients/{ann}"));

        await Erase(ann);

        foreach (var url in ReadsOf(ann))
            Assert.DoesNotContain("ann.back@example.com", await Text(url));
        Assert.Empty((await Found("ann.back@example.com", role: Roles.Practitioner)).Items);
    }

    [Fact]
    public async Task A_masking_queued_by_an_earlier_version_is_still_done()
    {
        // Earlier versions answered the erasure first and queued the masking; one still queued at an upgrade runs here.
        var ann = await ClientWithContact("Ann Lee", "1990-04-01", "ann@example.com", "0700 900 123");
        Assert.Contains("ann@example.com", await Text($"/api/clients/{ann}/history"));

        await Host.InvokeMessageAndWaitAsync(new MaskContactData(ann, Tokens.Clinic));

        var history = await Text($"/api/clients/{ann}/history");
        Assert.Contains("(erased)", history);
        foreach (var personal in Personal) Assert.DoesNotContain(personal, history);
    }
}
