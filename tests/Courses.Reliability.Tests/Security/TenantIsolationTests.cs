using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Courses.Reliability.Tests.Harness;
using Marten;
using Marten.Events;
using Microsoft.Extensions.DependencyInjection;
using static Courses.Reliability.Tests.Harness.Clinic;
using Courses.Api.Http;

namespace Courses.Reliability.Tests.Security;

/// <summary>Clinic B probes everything clinic A holds: every answer must be the one an unknown id gets.</summary>
public sealed partial class TenantIsolationTests(InProcessFixture fixture)
{
    private ApiClient Api => fixture.Api;

    private static string PathFor(RouteAccess route, RecordIds a) => route.Route
        .Replace("{clientId}", a.Client.ToString()).Replace("{consultationId}", a.Consultation.ToString())
        .Replace("{courseId}", a.Course.ToString()).Replace("{reactionId}", a.Reaction.ToString()).Replace("{lot}", "REL-1")
        .Replace("{photoId}", a.Session.ToString());

    /// <summary>A valid body for each write, so a refusal cannot hide behind validation.</summary>
    private static string BodyFor(RouteAccess route, RecordIds a)
    {
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        object body = route.Route.Split('/').Last() switch
        {
            "contact-details" => new { email = "probe@example.com", phone = (string?)null },
            "screenings" => new { screenedAt = At(now), conditions = Array.Empty<string>(), knownAllergies = Array.Empty<string>() },
            "consents" => new { signedAt = At(now), procedure = "microneedling", formVersion = "v9" },
            "consultations" => new { scheduledAt = At(now.AddDays(2)), practitionerId = Practitioner, concerns = new[] { "fineLines" } },
            "reschedule" => new { scheduledAt = At(now.AddDays(3)), reason = "probe" },
            "complete" => new { completedAt = At(now), practitionerId = Practitioner, outcome = "decline", concerns = new[] { "fineLines" }, declineReason = "probe" },
            "sessions" or "maintenance-sessions" => Session(now),
            "reactions" => new { occurredAt = At(now), kind = "redness", severity = "mild" },
            "resolve" => new { resolvedAt = At(now), outcome = "probe" },
            "withdraw" when route.Route.Contains("photo-consents", StringComparison.Ordinal) => new { withdrawnAt = At(now), uses = new[] { "education" } },
            "withdraw" => new { withdrawnAt = At(now), reason = "probe" },
            "photo-consents" => new { signedAt = At(now), formVersion = "photo-v1", uses = new[] { "clinicalRecord" } },
            "photos" => new { takenAt = At(now), area = "face", view = "front", kind = "baseline" },
            "skin-assessments" => new { assessedAt = At(now), kind = "baseline", assessorId = Practitioner, scores = new[] { new { scale = "fineLines", value = 2 } } },
            _ => new { reason = "probe" },
        };
        return JsonSerializer.Serialize(body);
    }

    /// <summary>The answer with what legitimately differs between two requests removed: trace ids and the ids asked about.</summary>
    private static string Normalised(Answer answer, params Guid[] ids)
    {
        var body = answer.Body;
        if (answer.IsProblem)
        {
            var json = JsonNode.Parse(body)!.AsObject();
            json.Remove("traceId");
            json.Remove("instance");
            body = json.ToJsonString();
        }
        foreach (var id in ids) body = body.Replace(id.ToString(), "<id>", StringComparison.OrdinalIgnoreCase);
        return $"{answer.Status} {GuidPattern().Replace(body, "<id>")}";
    }

    [GeneratedRegex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", RegexOptions.IgnoreCase)]
    private static partial Regex GuidPattern();

    [Fact]
    public async Task Clinic_B_cannot_read_write_or_detect_anything_of_clinic_A()
    {
        var figures = new Figures("tenant-isolation");
        var a = await FullRecordAsync(Api, Tokens.ClinicA);
        var unknown = new RecordIds(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), a.Start);
        var before = await fixture.EventCountAsync();
        var leaks = new List<string>();

        foreach (var route in AccessMatrix.Routes.Where(r => r.Route.Contains("{clientId}", StringComparison.Ordinal)))
        {
            var role = route.Roles[0];
            var token = Tokens.For(role, Tokens.ClinicB);
            var method = new HttpMethod(route.Method);
            var onA = await Api.Send(method, PathFor(route, a), token, route.Method == "GET" ? null : BodyFor(route, a));
            var onUnknown = await Api.Send(method, PathFor(route, unknown), token, route.Method == "GET" ? null : BodyFor(route, unknown));
            figures.Add("probes", 2);
            if (onA.Status != 404) leaks.Add($"{route}: {onA.Status} {onA.Body}");
            if (Normalised(onA, a.Client, a.Consultation, a.Course, a.Reaction) != Normalised(onUnknown, unknown.Client, unknown.Consultation, unknown.Course, unknown.Reaction))
                leaks.Add($"{route}: A's id answers differently from an unknown id:\n  {Normalised(onA)}\n  {Normalised(onUnknown)}");
        }
        Assert.Equal(before, await fixture.EventCountAsync());

        // Lists and aggregates: B sees what a clinic with nothing sees.
        var empty = $"rel-empty-{Guid.NewGuid():N}";
        var months = $"from={a.Start:yyyy-MM}&to={DateTimeOffset.UtcNow:yyyy-MM}";
        // Analytics and recall are async: compare once A's events are in them.
        await fixture.Host.Services.GetRequiredService<IDocumentStore>().WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(60));
        foreach (var (role, path) in new[]
                 {
                     (Roles.Analyst, $"/api/analytics/monthly?{months}"),
                     (Roles.Analyst, $"/api/analytics/outcomes?{months}"),
                     (Roles.Practitioner, "/api/serum-lots/REL-1/clients"),
                     (Roles.Practitioner, "/api/lots/REL-1/clients"),
                     (Roles.Reception, $"/api/maintenance/due?from={a.Start:yyyy-MM-dd}&to={DateTimeOffset.UtcNow.AddYears(2):yyyy-MM-dd}"),
                     // By A's client's name; not by date of birth, which B's own clients share.
                     (Roles.Reception, "/api/clients?q=Rel%20Client"),
                 })
        {
            var onB = await Api.Get(Tokens.For(role, Tokens.ClinicB), path);
            var onEmpty = await Api.Get(Tokens.For(role, empty), path);
            figures.Add("probes", 2);
            if (Normalised(onB) != Normalised(onEmpty)) leaks.Add($"{path}: B sees {onB.Body}\n  an empty clinic sees {onEmpty.Body}");
        }

        // B's access log holds B's own refused probes of A's ids, and nothing A did.
        var log = await Api.Get(Tokens.For(Roles.Auditor, Tokens.ClinicB), $"/api/audit/access?clientId={a.Client}&pageSize=500");
        figures.Add("probes");
        foreach (var entry in log.Json.GetProperty("items").EnumerateArray())
            if (entry.GetProperty("status").GetInt32() != 404) leaks.Add($"B's access log shows {entry}");

        // Idempotency keys are per clinic: B reusing A's key is a new request, not A's answer, nor a 422.
        var register = new { fullName = "Key Owner", dateOfBirth = "1980-01-01" };
        var key = $"rel-key-{Guid.NewGuid():N}";
        var first = await Api.Post(Tokens.For(Roles.Reception, Tokens.ClinicA), "/api/clients", register, key);
        var other = await Api.Post(Tokens.For(Roles.Reception, Tokens.ClinicB), "/api/clients", new { fullName = "Other", dateOfBirth = "1981-01-01" }, key);
        var same = await Api.Post(Tokens.For(Roles.Reception, Tokens.ClinicB), "/api/clients", register, $"{key}-b");
        figures.Add("probes", 3);
        Assert.Equal(201, first.Status);
        Assert.Equal(201, other.Status);
        Assert.Null(other.Header("Idempotent-Replayed"));
        Assert.NotEqual(first.Json.GetProperty("clientId").GetGuid(), other.Json.GetProperty("clientId").GetGuid());
        Assert.Equal(201, same.Status);

        figures.Add("leaks", leaks.Count);
        figures.Report();
        Assert.True(leaks.Count == 0, string.Join("\n", leaks));
    }
}
