using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Courses.Api.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine.Tracking;

namespace Courses.Api.Tests.Webhooks;

public sealed class WebhookTests(AppFixture fixture) : WebhookContext(fixture)
{
    private async Task<(Guid Id, string Secret)> Registered(WebhookReceiver receiver, string[] kinds, string clinic = Tokens.Clinic)
    {
        var result = await As(Roles.Admin, s =>
        {
            s.Post.Json(new { url = receiver.Url, kinds }).ToUrl("/api/webhooks");
            s.StatusCodeShouldBe(201);
        }, clinic);
        var body = await result.ReadAsJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), body.GetProperty("secret").GetString()!);
    }

    private async Task<JsonElement> Get(string url, string clinic = Tokens.Clinic, int status = 200)
    {
        var result = await As(Roles.Admin, s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        }, clinic);
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    private static void SignatureIsValid(WebhookReceiver.Received received, string secret)
    {
        var parts = received.Signature!.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{parts["t"]}.{received.Body}"));
        Assert.True(CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"])), "the signature does not verify");
    }

    [Fact]
    public async Task An_admin_registers_lists_and_deletes_webhooks_and_the_secret_is_shown_only_once()
    {
        var receiver = await Receiver();
        var created = await As(Roles.Admin, s =>
        {
            s.Post.Json(new { url = receiver.Url, kinds = new[] { "session.recorded", "maintenance.due" } }).ToUrl("/api/webhooks");
            s.StatusCodeShouldBe(201);
        });
        var body = await created.ReadAsJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        var secret = body.GetProperty("secret").GetString()!;
        Assert.True(secret.Length >= 32);
        Assert.Equal($"/api/webhooks/{id}", created.Context.Response.Headers.Location.ToString());

        var listed = Assert.Single((await Get("/api/webhooks")).EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetGuid());
        Assert.Equal(receiver.Url, listed.GetProperty("url").GetString());
        Assert.Equal(["session.recorded", "maintenance.due"], listed.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        Assert.False(listed.TryGetProperty("secret", out _));
        Assert.DoesNotContain(secret, (await Get($"/api/webhooks/{id}")).GetRawText());

        await As(Roles.Admin, s => { s.Delete.Url($"/api/webhooks/{id}"); s.StatusCodeShouldBe(204); });
        Assert.Empty((await Get("/api/webhooks")).EnumerateArray());

        // A retried registration with the same Idempotency-Key gets the first answer, secret included, and adds nothing.
        var answers = new List<JsonElement>();
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var result = await As(Roles.Admin, s =>
            {
                s.WithRequestHeader("Idempotency-Key", "register-crm-hook");
                s.Post.Json(new { url = receiver.Url, kinds = new[] { "course.paused" } }).ToUrl("/api/webhooks");
                s.StatusCodeShouldBe(201);
            });
            answers.Add(await result.ReadAsJsonAsync<JsonElement>());
        }
        Assert.Equal(answers[0].GetRawText(), answers[1].GetRawText());
        Assert.Equal(answers[0].GetProperty("id").GetGuid(), Assert.Single((await Get("/api/webhooks")).EnumerateArray()).GetProperty("id").GetGuid());
        await As(Roles.Admin, s => { s.Delete.Url($"/api/webhooks/{answers[0].GetProperty("id").GetGuid()}"); s.StatusCodeShouldBe(204); });
        await As(Roles.Admin, s => { s.Delete.Url($"/api/webhooks/{id}"); s.StatusCodeShouldBe(404); });
    }

    [Fact]
    public async Task Only_admins_manage_webhooks_and_a_clinic_sees_only_its_own()
    {
        var receiver = await Receiver();
        foreach (var role in new[] { Roles.Practitioner, Roles.Reception, Roles.Auditor, Roles.Analyst })
        {
            await As(role, s => { s.Post.Json(new { url = receiver.Url, kinds = new[] { "session.recorded" } }).ToUrl("/api/webhooks"); s.StatusCodeShouldBe(403); });
            await As(role, s => { s.Get.Url("/api/webhooks"); s.StatusCodeShouldBe(403); });
            await As(role, s => { s.Get.Url("/api/webhooks/dead-letters"); s.StatusCodeShouldBe(403); });
        }
        var (id, _) = await Registered(receiver, ["session.recorded"]);

        Assert.Empty((await Get("/api/webhooks", Tokens.OtherClinic)).EnumerateArray());
        await Get($"/api/webhooks/{id}", Tokens.OtherClinic, 404);
        await As(Roles.Admin, s => { s.Delete.Url($"/api/webhooks/{id}"); s.StatusCodeShouldBe(404); }, Tokens.OtherClinic);
        Assert.Single((await Get("/api/webhooks")).EnumerateArray());
    }

    [Fact]
    public async Task Registration_refuses_a_bad_url_an_unknown_kind_and_more_webhooks_than_the_cap()
    {
        async Task<JsonElement> Refused(object body, int status)
        {
            var result = await As(Roles.Admin, s => { s.Post.Json(body).ToUrl("/api/webhooks"); s.StatusCodeShouldBe(status); });
            return await result.ReadAsJsonAsync<JsonElement>();
        }

        Assert.True((await Refused(new { url = "/relative/path", kinds = new[] { "session.recorded" } }, 400)).GetProperty("errors").TryGetProperty("url", out _));
        Assert.True((await Refused(new { url = "ftp://example.com/x", kinds = new[] { "session.recorded" } }, 400)).GetProperty("errors").TryGetProperty("url", out _));
        Assert.True((await Refused(new { url = "https://example.com/x", kinds = Array.Empty<string>() }, 400)).GetProperty("errors").TryGetProperty("kinds", out _));
        var unknown = await Refused(new { url = "https://example.com/x", kinds = new[] { "session.recorded", "client.registered" } }, 400);
        Assert.Contains("client.registered", unknown.GetProperty("errors").GetProperty("kinds[1]")[0].GetString());
        Assert.Contains("session.recorded", unknown.GetProperty("errors").GetProperty("kinds[1]")[0].GetString());
        Assert.Empty((await Get("/api/webhooks")).EnumerateArray());

        var cap = Host.Services.GetRequiredService<WebhookSettings>().MaxPerClinic;
        for (var i = 0; i < cap; i++)
            await As(Roles.Admin, s => { s.Post.Json(new { url = $"https://example.com/{i}", kinds = new[] { "course.paused" } }).ToUrl("/api/webhooks"); s.StatusCodeShouldBe(201); });
        Assert.Equal("webhook-limit-reached", (await Refused(new { url = "https://example.com/one-more", kinds = new[] { "course.paused" } }, 422)).GetProperty("code").GetString());
        Assert.Equal(cap, (await Get("/api/webhooks")).GetArrayLength());
    }

    [Fact]
    public async Task A_recorded_session_is_delivered_signed_with_ids_only_and_only_to_the_clinic_that_subscribed()
    {
        var receiver = await Receiver();
        var otherClinic = await Receiver();
        var (webhookId, secret) = await Registered(receiver, ["session.recorded", "course.completed"]);
        await Registered(otherClinic, WebhookKinds.All, Tokens.OtherClinic);
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
        await Post(Roles.Practitioner, $"/api/clients/{client}/contact-details", new { email = "ann@example.com", phone = "0700 900 123" });

        IScenarioResult recorded = null!;
        await Host.ExecuteAndWaitAsync(async () => recorded = await As(Roles.Practitioner, s =>
        {
            s.Post.Json(new
            {
                performedAt = At(Clock.GetUtcNow()), practitionerId = Practitioner,
                areas = new[] { new { area = "face", depthMm = 0.5m } }, serum = new { product = "HydraBoost", lot = "L-100" },
                numbingCreamApplied = false, calmingMaskApplied = true, spfApplied = true, notes = "Client mentioned a holiday in Crete",
            }).ToUrl($"/api/clients/{client}/courses/{course}/sessions");
            s.StatusCodeShouldBe(201);
        }));
        var answer = await recorded.ReadAsJsonAsync<JsonElement>();
        var version = long.Parse(recorded.Context.Response.Headers.ETag.ToString().Trim('"'));

        var deliveries = await receiver.WaitFor(r => r.Accepted.Count >= 2);
        Assert.Equal(2, deliveries.Count);
        Assert.Empty(otherClinic.All);
        var byKind = deliveries.ToDictionary(d => d.Kind!);
        foreach (var delivery in deliveries)
        {
            SignatureIsValid(delivery, secret);
            foreach (var personal in new[] { "Ann Lee", "ann@example.com", "0700 900 123", "Crete", Practitioner, "HydraBoost", "L-100", "1990-04-01" })
                Assert.DoesNotContain(personal, delivery.Body);
            var body = JsonDocument.Parse(delivery.Body).RootElement;
            Assert.Equal(delivery.DeliveryId, body.GetProperty("deliveryId").GetGuid().ToString());
            Assert.Equal(delivery.Kind, body.GetProperty("kind").GetString());
            Assert.Equal(webhookId, body.GetProperty("webhookId").GetGuid());
            Assert.Equal(client, body.GetProperty("clientId").GetGuid());
            Assert.Equal(course, body.GetProperty("courseId").GetGuid());
            Assert.Subset(new HashSet<string> { "deliveryId", "webhookId", "kind", "clientId", "courseId", "sessionId", "maintenance", "occurredAt", "dueOn", "version" },
                body.EnumerateObject().Select(p => p.Name).ToHashSet());
        }
        var session = JsonDocument.Parse(byKind["session.recorded"].Body).RootElement;
        Assert.Equal(answer.GetProperty("sessionId").GetGuid(), session.GetProperty("sessionId").GetGuid());
        Assert.Equal(version - 1, session.GetProperty("version").GetInt64());
        Assert.Equal(Clock.GetUtcNow(), session.GetProperty("occurredAt").GetDateTimeOffset());
        var completed = JsonDocument.Parse(byKind["course.completed"].Body).RootElement;
        Assert.Equal(version, completed.GetProperty("version").GetInt64());
        Assert.Equal(answer.GetProperty("maintenanceDueOn").GetString(), completed.GetProperty("dueOn").GetString());
    }

    [Fact]
    public async Task A_reaction_that_pauses_a_course_is_delivered_as_both_kinds()
    {
        var receiver = await Receiver();
        var (_, secret) = await Registered(receiver, ["reaction.reported", "course.paused"]);
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);
        Clock.Advance(TimeSpan.FromDays(1));

        var reported = await Post(Roles.Practitioner, $"/api/clients/{client}/reactions",
            new { occurredAt = At(Clock.GetUtcNow()), kind = "infection", severity = "moderate", notes = "redness near the left eye" }, 201);

        var deliveries = await receiver.WaitFor(r => r.Accepted.Count >= 2);
        Assert.Equal(["course.paused", "reaction.reported"], deliveries.Select(d => d.Kind).Order());
        foreach (var delivery in deliveries)
        {
            SignatureIsValid(delivery, secret);
            Assert.DoesNotContain("redness", delivery.Body);
            Assert.DoesNotContain("infection", delivery.Body);
            Assert.Equal(reported.GetProperty("reactionId").GetGuid(), JsonDocument.Parse(delivery.Body).RootElement.GetProperty("reactionId").GetGuid());
        }
        Assert.Equal(course, JsonDocument.Parse(deliveries.Single(d => d.Kind == "course.paused").Body).RootElement.GetProperty("courseId").GetGuid());
    }

    [Fact]
    public async Task A_manual_pause_is_delivered_and_a_deleted_webhook_gets_nothing_more()
    {
        var receiver = await Receiver();
        var (webhookId, secret) = await Registered(receiver, ["course.paused"]);
        var (client, course) = await ClientWithPlannedCourse();
        var pause = $"/api/clients/{client}/courses/{course}/pause";

        await Host.ExecuteAndWaitAsync(async () => await Post(Roles.Practitioner, pause, new { reason = "client travelling to Crete" }));
        var paused = Assert.Single(await receiver.WaitFor(r => r.Accepted.Count >= 1));
        SignatureIsValid(paused, secret);
        Assert.DoesNotContain("Crete", paused.Body);
        var body = JsonDocument.Parse(paused.Body).RootElement;
        Assert.Equal(course, body.GetProperty("courseId").GetGuid());
        Assert.False(body.TryGetProperty("reactionId", out _));

        await As(Roles.Admin, s => { s.Delete.Url($"/api/webhooks/{webhookId}"); s.StatusCodeShouldBe(204); });
        await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/resume", new { reason = "back" });
        await Host.ExecuteAndWaitAsync(async () => await Post(Roles.Practitioner, pause, new { reason = "travelling again" }));
        Assert.Single(receiver.All);
    }

    [Fact]
    public async Task A_failing_receiver_is_retried_then_dead_lettered_and_a_replay_delivers_it_once_it_recovers()
    {
        var receiver = await Receiver();
        receiver.AnswerWith = 503;
        var (webhookId, secret) = await Registered(receiver, ["session.recorded"]);
        var (client, course) = await ClientWithPlannedCourse();
        await RecordedSession(client, course, 0.5m);

        var retries = Host.Services.GetRequiredService<WebhookSettings>().Backoff().Length;
        var dead = (await Eventually.Until(() => Get("/api/webhooks/dead-letters"), listed => listed.GetArrayLength() == 1,
            TimeSpan.FromSeconds(60), "one dead letter", evidence: () => $"{receiver.All.Count} delivery attempts"))[0];
        Assert.Equal(1 + retries, receiver.All.Count);
        Assert.Single(receiver.All.Select(a => a.DeliveryId).Distinct());
        Assert.Equal(webhookId, dead.GetProperty("webhookId").GetGuid());
        Assert.Equal("session.recorded", dead.GetProperty("event").GetProperty("kind").GetString());
        Assert.Equal(client, dead.GetProperty("event").GetProperty("clientId").GetGuid());
        Assert.Contains("503", dead.GetProperty("lastError").GetString());
        var deadId = dead.GetProperty("id").GetGuid();

        // Another clinic neither sees nor replays it.
        Assert.Empty((await Get("/api/webhooks/dead-letters", Tokens.OtherClinic)).EnumerateArray());
        await As(Roles.Admin, s => { s.Post.Json(new { }).ToUrl($"/api/webhooks/dead-letters/{deadId}/replay"); s.StatusCodeShouldBe(404); }, Tokens.OtherClinic);
        await As(Roles.Admin, s => { s.Post.Json(new { }).ToUrl($"/api/webhooks/dead-letters/{Guid.NewGuid()}/replay"); s.StatusCodeShouldBe(404); });

        receiver.AnswerWith = 204;
        await As(Roles.Admin, s => { s.Post.Json(new { }).ToUrl($"/api/webhooks/dead-letters/{deadId}/replay"); s.StatusCodeShouldBe(202); });
        var delivered = Assert.Single(await receiver.WaitFor(r => r.Accepted.Count == 1), d => d.AnsweredWith == 204);
        Assert.Equal(dead.GetProperty("deliveryId").GetGuid().ToString(), delivered.DeliveryId);
        SignatureIsValid(delivered, secret);

        await Eventually.Until(() => Get("/api/webhooks/dead-letters"), listed => listed.GetArrayLength() == 0,
            TimeSpan.FromSeconds(30), "the replayed delivery leaving the dead letters");
    }

    [Fact]
    public async Task Maintenance_falling_due_is_announced_once_on_its_due_date()
    {
        var receiver = await Receiver();
        var (_, secret) = await Registered(receiver, ["maintenance.due"]);
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
        var dueOn = (await RecordedSession(client, course, 0.5m)).MaintenanceDueOn!.Value;

        Clock.Set(new DateTimeOffset(dueOn.AddDays(-1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        await Host.InvokeMessageAndWaitAsync(new SweepMaintenanceDue());
        Assert.Empty(receiver.All);

        Clock.Set(new DateTimeOffset(dueOn.ToDateTime(new TimeOnly(6, 0)), TimeSpan.Zero));
        await Host.InvokeMessageAndWaitAsync(new SweepMaintenanceDue());
        var announced = Assert.Single(await receiver.WaitFor(r => r.Accepted.Count >= 1));
        SignatureIsValid(announced, secret);
        var body = JsonDocument.Parse(announced.Body).RootElement;
        Assert.Equal("maintenance.due", body.GetProperty("kind").GetString());
        Assert.Equal(course, body.GetProperty("courseId").GetGuid());
        Assert.Equal(client, body.GetProperty("clientId").GetGuid());
        Assert.Equal(dueOn.ToString("yyyy-MM-dd"), body.GetProperty("dueOn").GetString());

        Clock.Advance(TimeSpan.FromDays(1));
        await Host.InvokeMessageAndWaitAsync(new SweepMaintenanceDue());
        Assert.Single(receiver.All);
    }

    [Fact]
    public async Task Maintenance_falls_due_on_the_clinics_date_not_on_utcs()
    {
        await ClinicIn("Pacific/Auckland");
        var receiver = await Receiver();
        await Registered(receiver, ["maintenance.due"]);
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 1));
        var dueOn = (await RecordedSession(client, course, 0.5m)).MaintenanceDueOn!.Value;

        // 10:00 UTC the day before is 22:00 or 23:00 in Auckland (+12 or +13): not yet due there.
        Clock.Set(new DateTimeOffset(dueOn.AddDays(-1).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero));
        await Host.InvokeMessageAndWaitAsync(new SweepMaintenanceDue());
        Assert.Empty(receiver.All);

        // 13:30 UTC the day before is past midnight of the due date in Auckland, whatever its season.
        Clock.Set(new DateTimeOffset(dueOn.AddDays(-1).ToDateTime(new TimeOnly(13, 30)), TimeSpan.Zero));
        await Host.InvokeMessageAndWaitAsync(new SweepMaintenanceDue());
        var announced = Assert.Single(await receiver.WaitFor(r => r.Accepted.Count >= 1));
        Assert.Equal(dueOn.ToString("yyyy-MM-dd"), JsonDocument.Parse(announced.Body).RootElement.GetProperty("dueOn").GetString());
    }

    [Fact]
    public async Task A_command_whose_events_no_webhook_wants_queues_no_notice()
    {
        var receiver = await Receiver();
        await Registered(receiver, ["course.paused"]);
        var (client, course) = await ClientWithPlannedCourse();

        // Had a notice been queued, storing it would fail the session, as the next test shows.
        await using (await Sabotage("courses_test_messages.wolverine_incoming_envelopes", "new.message_type = 'webhook-notice'"))
            await RecordedSession(client, course, 0.5m);
        Assert.Empty(receiver.All);
    }

    [Fact]
    public async Task The_delivery_is_queued_in_the_same_transaction_as_the_events()
    {
        var receiver = await Receiver();
        await Registered(receiver, ["session.recorded"]);
        var (client, course) = await ClientWithPlannedCourse();

        // The queueing fails: the session is not recorded either.
        await using (await Sabotage("courses_test_messages.wolverine_incoming_envelopes", "new.message_type = 'webhook-notice'"))
        {
            var before = await EventCountAsync();
            await As(Roles.Practitioner, s =>
            {
                s.Post.Json(Session(Clock.GetUtcNow(), 0.5m)).ToUrl($"/api/clients/{client}/courses/{course}/sessions");
                s.StatusCodeShouldBe(500);
            });
            Assert.Equal(before, await EventCountAsync());
        }

        // The events fail: nothing is queued.
        await using (await Sabotage("courses_test_events.mt_events", "new.type = 'session_recorded'"))
        {
            await As(Roles.Practitioner, s =>
            {
                s.Post.Json(Session(Clock.GetUtcNow(), 0.5m)).ToUrl($"/api/clients/{client}/courses/{course}/sessions");
                s.StatusCodeShouldBe(500);
            });
        }
        Assert.Equal(0, await NoticesStoredAsync(client));

        // Both succeed: the notice is in Wolverine's durable inbox, so a restart would still deliver it.
        await RecordedSession(client, course, 0.5m);
        Assert.Equal(1, await NoticesStoredAsync(client));
        Assert.Single(await receiver.WaitFor(r => r.Accepted.Count >= 1));
    }

    /// <summary>Notices about this client in Wolverine's envelope tables (handled ones are kept there for a while).</summary>
    private async Task<long> NoticesStoredAsync(Guid client)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("""
            select (select count(*) from courses_test_messages.wolverine_incoming_envelopes
                    where message_type = 'webhook-notice' and position(convert_to(@client, 'UTF8') in body) > 0)
                 + (select count(*) from courses_test_messages.wolverine_outgoing_envelopes
                    where message_type = 'webhook-notice' and position(convert_to(@client, 'UTF8') in body) > 0)
            """, connection);
        count.Parameters.AddWithValue("client", client.ToString());
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
