using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Courses.Api.Audit;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Courses.Domain.Courses;
using Courses.Projections.Clients;
using Npgsql;

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

    private Task<HistoryPage> History(Guid client, string query = "") => Read<HistoryPage>($"/api/clients/{client}/history{query}", Roles.Auditor);

    private Task<ChainVerification> Verified(Guid client) => Read<ChainVerification>($"/api/clients/{client}/history/verify", Roles.Auditor);

    private const string HashMismatch = "The event's hash does not match its content or its place in the chain.";

    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    /// <summary>An event as the history lists it, less what only the store makes up (sequence, timestamp, correlation, hash).</summary>
    private sealed record Audited(long Version, string Type, string? RecordedBy, DateTimeOffset? BusinessTime);

    private static Audited Seen(HistoryEntry entry) => new(entry.Version, entry.Type, entry.RecordedBy, entry.BusinessTime);

    /// <summary>The story's events: each recorded by the role that posted it, at the clock's time when it did.</summary>
    private static readonly Audited[] StoryEvents =
    [
        new(1, "ClientRegistered", "user-reception", Start),
        new(2, "MedicalScreeningRecorded", "user-practitioner", Start),
        new(3, "ConsentRecorded", "user-practitioner", Start),
        new(4, "ConsultationBooked", "user-reception", Start),
        new(5, "ConsultationCompleted", "user-practitioner", Start),
        new(6, "CoursePlanned", "user-practitioner", Start),
        new(7, "SessionRecorded", "user-practitioner", Start),
        new(8, "SessionRecorded", "user-practitioner", Start.AddDays(28)),
        // The reaction, and what the clinic's policies did about it, at the time it occurred.
        new(9, "ReactionReported", "user-practitioner", Start.AddDays(29)),
        new(10, "CoursePaused", "user-practitioner", Start.AddDays(29)),
        new(11, "SerumAllergyRecorded", "user-practitioner", Start.AddDays(29)),
        // The skin checked while the second session heals: a score, in the chain like any other event.
        new(12, "SkinAssessed", "user-practitioner", Start.AddDays(29)),
    ];

    /// <summary>Registered, screened, consented, consulted, two sessions, an allergic reaction (with its policy events), a healing check.</summary>
    private async Task<(Guid Client, Guid Course, Guid Reaction)> Story()
    {
        Assert.Equal(Start, Clock.GetUtcNow());
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
        var reaction = await ReportedReaction(client, Reaction(Clock.GetUtcNow(), "allergicReaction", "mild", second.SessionId, suspectedProduct: "HydraBoost"));
        await Saw(client);
        await Assessed(client, Assessment(Clock.GetUtcNow(), "healingCheck", [Score("erythema", 3, "face"), Score("pain", 2)], sessionId: second.SessionId));
        await Saw(client);
        return (client, course, reaction.ReactionId);
    }

    [Fact]
    public async Task History_lists_every_event_in_order_with_its_metadata_including_the_policy_events()
    {
        var (client, _, _) = await Story();

        var history = await History(client);
        // One page of the default 100 holds all of it: nothing follows.
        ReadModel.Equal(new HistoryPage(client, AfterVersion: 0, Limit: 100, NextAfterVersion: null, Events: []), history with { Events = [] });
        Assert.Equal(StoryEvents, history.Events.Select(Seen));
        Assert.All(history.Events, e => Assert.False(string.IsNullOrEmpty(e.CorrelationId)));
        Assert.All(history.Events, e => Assert.Equal(64, e.Hash!.Length));
        // Data is each event as stored, typed only by its name: read at JSON level.
        Assert.Equal(0, ((JsonElement)history.Events[6].Data).GetProperty("protocolVersion").GetInt64());
    }

    [Fact]
    public async Task History_pages_through_the_stream_and_filters_by_business_time()
    {
        var (client, _, _) = await Story();

        var first = await History(client, "?limit=4");
        ReadModel.Equal(new HistoryPage(client, AfterVersion: 0, Limit: 4, NextAfterVersion: 4, Events: []), first with { Events = [] });
        Assert.Equal(StoryEvents[..4], first.Events.Select(Seen));
        var second = await History(client, "?limit=4&afterVersion=4");
        ReadModel.Equal(new HistoryPage(client, AfterVersion: 4, Limit: 4, NextAfterVersion: 8, Events: []), second with { Events = [] });
        Assert.Equal(StoryEvents[4..8], second.Events.Select(Seen));

        // The second session was performed 28 days after the first; the reaction and its policy events a day later.
        var late = await History(client, $"?from={Uri.EscapeDataString(At(Clock.GetUtcNow().AddHours(-1)))}");
        ReadModel.Equal(new HistoryPage(client, AfterVersion: 0, Limit: 100, NextAfterVersion: null, Events: []), late with { Events = [] });
        Assert.Equal(StoryEvents[8..], late.Events.Select(Seen));

        await Get($"/api/clients/{client}/history?asOf=yesterday", status: 400);
        await Get($"/api/clients/{Guid.NewGuid()}/history", status: 404);
        await Get($"/api/clients/{client}/history", clinic: Tokens.OtherClinic, status: 404);
        await Get($"/api/clients/{client}/history", Roles.Reception, 403);
        await Get($"/api/clients/{client}/history", Roles.Analyst, 403);
    }

    [Fact]
    public async Task Replaying_to_each_version_gives_the_record_as_it_stood_then()
    {
        var (client, _, _) = await Story();

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
    public async Task A_record_asked_for_before_it_began_or_beyond_its_last_version_says_so_and_is_not_an_unknown_client()
    {
        var (client, _, _) = await Story();
        var latest = await VersionOf(client);

        var beyond = await Get($"/api/clients/{client}/record?version={latest + 1}", status: 404);
        Assert.Equal($"Client {client}'s record has no version {latest + 1}: its latest is version {latest}.", beyond.GetProperty("detail").GetString());
        Assert.Equal(latest, beyond.GetProperty("latestVersion").GetInt64());

        var before = await Get($"/api/clients/{client}/record?asOf={Uri.EscapeDataString("2001-01-01T00:00:00+00:00")}", status: 404);
        Assert.StartsWith($"Client {client}'s record did not yet exist at 2001-01-01T00:00:00+00:00: it begins at ", before.GetProperty("detail").GetString());
        Assert.Equal(latest, before.GetProperty("latestVersion").GetInt64());

        // An unknown id, or another clinic's, still answers exactly as any unknown client.
        var unknown = Guid.NewGuid();
        var plain = await Get($"/api/clients/{unknown}/record?version=99", status: 404);
        Assert.Equal($"No client {unknown} in this clinic.", plain.GetProperty("detail").GetString());
        var elsewhere = await Get($"/api/clients/{client}/record?version={latest + 1}", clinic: Tokens.OtherClinic, status: 404);
        Assert.Equal($"No client {client} in this clinic.", elsewhere.GetProperty("detail").GetString());
        Assert.False(elsewhere.TryGetProperty("latestVersion", out _));
    }

    [Fact]
    public async Task Verify_finds_the_chain_intact_and_names_exactly_the_version_edited_behind_its_back()
    {
        var (client, _, _) = await Story();
        ReadModel.Equal(new ChainVerification(client, "intact", Events: StoryEvents.Length, FirstBrokenVersion: null, Detail: null), await Verified(client));

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

        // Verification stops at the first broken link: seven events read.
        ReadModel.Equal(new ChainVerification(client, "broken", Events: 7, FirstBrokenVersion: 7, HashMismatch), await Verified(client));
    }

    [Fact]
    public async Task Rewriting_who_recorded_an_event_breaks_the_chain_there()
    {
        var (client, _, _) = await Story();
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            await using var edit = new NpgsqlCommand(
                "update courses_test_events.mt_events set user_name = 'someone-else' where stream_id = @id and version = 3", connection);
            edit.Parameters.AddWithValue("id", client);
            await edit.ExecuteNonQueryAsync();
        }
        ReadModel.Equal(new ChainVerification(client, "broken", Events: 3, FirstBrokenVersion: 3, HashMismatch), await Verified(client));
    }

    [Fact]
    public async Task Erasing_contact_data_removes_it_everywhere_keeps_the_clinical_record_and_the_chain()
    {
        var (client, course, reaction) = await Story();
        await Post(Roles.Practitioner, $"/api/clients/{client}/contact-details", new { email = "ann@example.com", phone = "0700 900 123" });
        var before = await EventCountAsync();

        await Post(Roles.Practitioner, $"/api/clients/{client}/erase-contact", new { }, 403);
        await As(Roles.Admin, s =>
        {
            s.Post.Json(new { reason = "client asked to be forgotten" }).ToUrl($"/api/clients/{client}/erase-contact");
            s.StatusCodeShouldBeOk();
        });

        // The name is replaced, email and phone gone; the screening, consent, allergy, paused course and open reaction stay.
        var reacted = Start.AddDays(29);
        ReadModel.Equal(new ClientProfile
        {
            Id = client,
            FullName = "(erased)",
            DateOfBirth = new DateOnly(1990, 4, 1),
            RegisteredAt = Start,
            LatestScreening = new ScreeningSummary(Start, [], []),
            Consent = new ConsentSummary("microneedling", "v3", Start),
            SerumAllergies = [new SerumAllergySummary("HydraBoost", reacted)],
            Allergies = [new ProductAllergySummary("HydraBoost", ProductKind.Serum, reacted)],
            // Paused by the reaction; the second session (2 February) still set the next a calendar month on.
            ActiveCourses = [new RunningCourse(course, CourseStatus.Paused, PlannedSessions: 3, SessionsCompleted: 2, new DateOnly(2026, 3, 2))],
            OpenReactions = [new OpenReaction(reaction, ReactionKind.AllergicReaction, Severity.Mild, reacted, course)],
            Version = await VersionOf(client),
        }, await ProfileOf(client));
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
        // The erasure is one more link in an intact chain.
        ReadModel.Equal(new ChainVerification(client, "intact", Events: StoryEvents.Length + 2, FirstBrokenVersion: null, Detail: null), await Verified(client));
        Assert.Equal(2, (await CourseOf(client, course)).SessionsCompleted);
        var replayed = (await Read<ReplayedRecord>($"/api/clients/{client}/record", Roles.Auditor)).Record;
        Assert.Equal(("(erased)", null, null), (replayed.FullName, replayed.Email, replayed.Phone));
    }
}
