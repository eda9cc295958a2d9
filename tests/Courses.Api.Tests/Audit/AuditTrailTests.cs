using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Npgsql;
using Wolverine.Tracking;

namespace Courses.Api.Tests.Audit;

public sealed class AuditTrailTests(AppFixture fixture) : StoryContext(fixture)
{
    private async Task<JsonElement> Get(string url, string role = Roles.Auditor, int status = 200, string clinic = Tokens.Clinic)
    {
        var result = await As(role, s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        }, clinic);
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    /// <summary>The record after each step, as the replay route shows it at that moment, keyed by version.</summary>
    private readonly Dictionary<long, string> _seen = new();

    private async Task Saw(Guid client)
    {
        var record = await Get($"/api/clients/{client}/record");
        _seen[record.GetProperty("version").GetInt64()] = record.GetProperty("record").GetRawText();
    }

    /// <summary>Registered, screened, consented, consulted, two sessions, an allergic reaction (with its policy events).</summary>
    private async Task<(Guid Client, Guid Course)> Story()
    {
        var client = await RegisteredClient("Ann Lee");
        await Saw(client);
        await Screened(client);
        await Saw(client);
        await Consented(client);
        await Saw(client);
        var course = await PlannedCourse(client, await BookedConsultation(client), Plan(sessions: 3));
        await Saw(client);
        await RecordedSession(client, course, 0.5m);
        await Saw(client);
        Clock.Advance(TimeSpan.FromDays(28));
        var second = await RecordedSession(client, course, 1.0m);
        await Saw(client);
        Clock.Advance(TimeSpan.FromDays(1));
        await Post(Roles.Practitioner, $"/api/clients/{client}/reactions", new
        {
            occurredAt = At(Clock.GetUtcNow()), kind = "allergicReaction", severity = "mild",
            sessionId = second.SessionId, suspectedProduct = "HydraBoost",
        }, 201);
        await Saw(client);
        return (client, course);
    }

    [Fact]
    public async Task History_lists_every_event_in_order_with_its_metadata_including_the_policy_events()
    {
        var (client, _) = await Story();

        var history = await Get($"/api/clients/{client}/history");
        var events = history.GetProperty("events").EnumerateArray().ToArray();
        Assert.Equal(
        [
            "ClientRegistered", "MedicalScreeningRecorded", "ConsentRecorded", "ConsultationBooked", "ConsultationCompleted",
            "CoursePlanned", "SessionRecorded", "SessionRecorded", "ReactionReported", "CoursePaused", "SerumAllergyRecorded",
        ], events.Select(e => e.GetProperty("type").GetString()));
        Assert.Equal(Enumerable.Range(1, 11).Select(v => (long)v), events.Select(e => e.GetProperty("version").GetInt64()));
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.GetProperty("correlationId").GetString())));
        Assert.All(events, e => Assert.Equal(64, e.GetProperty("hash").GetString()!.Length));
        Assert.Equal("user-reception", events[0].GetProperty("recordedBy").GetString());
        Assert.Equal("user-practitioner", events[^1].GetProperty("recordedBy").GetString());
        var session = events[6];
        Assert.Equal(0, session.GetProperty("data").GetProperty("protocolVersion").GetInt64());
        Assert.Equal(session.GetProperty("data").GetProperty("performedAt").GetDateTimeOffset(), session.GetProperty("businessTime").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, history.GetProperty("nextAfterVersion").ValueKind);
    }

    [Fact]
    public async Task History_pages_through_the_stream_and_filters_by_business_time()
    {
        var (client, _) = await Story();

        var first = await Get($"/api/clients/{client}/history?limit=4");
        Assert.Equal(4, first.GetProperty("nextAfterVersion").GetInt64());
        var second = await Get($"/api/clients/{client}/history?limit=4&afterVersion=4");
        Assert.Equal([5L, 6, 7, 8], second.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("version").GetInt64()));

        // The second session was performed 28 days after the first; the reaction and its policy events a day later.
        var late = await Get($"/api/clients/{client}/history?from={Uri.EscapeDataString(At(Clock.GetUtcNow().AddHours(-1)))}");
        Assert.Equal(["ReactionReported", "CoursePaused", "SerumAllergyRecorded"],
            late.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()));

        await Get($"/api/clients/{client}/history?asOf=yesterday", status: 400);
        await Get($"/api/clients/{Guid.NewGuid()}/history", status: 404);
        await Get($"/api/clients/{client}/history", clinic: Tokens.OtherClinic, status: 404);
        await Get($"/api/clients/{client}/history", Roles.Reception, 403);
        await Get($"/api/clients/{client}/history", Roles.Analyst, 403);
    }

    [Fact]
    public async Task Replaying_to_each_version_gives_the_record_as_it_stood_then()
    {
        var (client, _) = await Story();

        Assert.True(_seen.Count >= 7);
        foreach (var (version, record) in _seen)
        {
            var replayed = await Get($"/api/clients/{client}/record?version={version}");
            Assert.Equal(version, replayed.GetProperty("version").GetInt64());
            Assert.Equal(record, replayed.GetProperty("record").GetRawText());
        }
        await Get($"/api/clients/{client}/record?version=1&asOf={Uri.EscapeDataString(At(Clock.GetUtcNow()))}", status: 400);
    }

    [Fact]
    public async Task Verify_finds_the_chain_intact_and_names_exactly_the_version_edited_behind_its_back()
    {
        var (client, _) = await Story();
        var intact = await Get($"/api/clients/{client}/history/verify");
        Assert.Equal("intact", intact.GetProperty("status").GetString());
        Assert.Equal(11, intact.GetProperty("events").GetInt64());

        // Someone with database access deepens the first session from 0.5 to 0.75 mm.
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var edit = new NpgsqlCommand(
                "update courses_test_events.mt_events set data = jsonb_set(data, '{areas,0,depthMm}', '0.75') where stream_id = @id and version = 7",
                connection);
            edit.Parameters.AddWithValue("id", client);
            Assert.Equal(1, await edit.ExecuteNonQueryAsync());
        }

        var broken = await Get($"/api/clients/{client}/history/verify");
        Assert.Equal("broken", broken.GetProperty("status").GetString());
        Assert.Equal(7, broken.GetProperty("firstBrokenVersion").GetInt64());
    }

    [Fact]
    public async Task Rewriting_who_recorded_an_event_breaks_the_chain_there()
    {
        var (client, _) = await Story();
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var edit = new NpgsqlCommand(
                "update courses_test_events.mt_events set user_name = 'someone-else' where stream_id = @id and version = 3", connection);
            edit.Parameters.AddWithValue("id", client);
            await edit.ExecuteNonQueryAsync();
        }
        Assert.Equal(3, (await Get($"/api/clients/{client}/history/verify")).GetProperty("firstBrokenVersion").GetInt64());
    }

    [Fact]
    public async Task Erasing_contact_data_removes_it_everywhere_keeps_the_clinical_record_and_the_chain()
    {
        var (client, course) = await Story();
        await Post(Roles.Practitioner, $"/api/clients/{client}/contact-details", new { email = "ann@example.com", phone = "0700 900 123" });
        var before = await EventCountAsync();

        await Post(Roles.Practitioner, $"/api/clients/{client}/erase-contact", new { }, 403);
        await Host.ExecuteAndWaitAsync(async () => await As(Roles.Admin, s =>
        {
            s.Post.Json(new { reason = "client asked to be forgotten" }).ToUrl($"/api/clients/{client}/erase-contact");
            s.StatusCodeShouldBeOk();
        }));

        var profile = await Get($"/api/clients/{client}", Roles.Practitioner);
        Assert.Equal("(erased)", profile.GetProperty("fullName").GetString());
        Assert.Equal(JsonValueKind.Null, profile.GetProperty("email").ValueKind);
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var search = new NpgsqlCommand(
                "select count(*) from courses_test_events.mt_events where stream_id = @id and (data::text like '%Ann Lee%' or data::text like '%ann@example.com%' or data::text like '%0700 900 123%')",
                connection);
            search.Parameters.AddWithValue("id", client);
            Assert.Equal(0L, (long)(await search.ExecuteScalarAsync())!);
        }
        Assert.Equal(before + 1, await EventCountAsync());
        Assert.Equal("intact", (await Get($"/api/clients/{client}/history/verify")).GetProperty("status").GetString());
        Assert.Equal(2, (await Get($"/api/clients/{client}/courses/{course}", Roles.Practitioner)).GetProperty("sessionsCompleted").GetInt32());
        var replayed = await Get($"/api/clients/{client}/record");
        Assert.Equal("(erased)", replayed.GetProperty("record").GetProperty("fullName").GetString());
    }
}
