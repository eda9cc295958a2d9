using System.Text.Json;
using System.Text.Json.Nodes;
using Courses.Api.Webhooks;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Courses.Api.OpenApi;

/// <summary>
/// A request the service accepts for every write that takes a body, dated in January 2026 and in the order a clinic
/// sends them (Connecting/ApiContractTests sends each one). Scalar's "Test Request" starts from these.
/// </summary>
public static class ApiExamples
{
    private const string Session = """
        { "performedAt": "2026-01-15T10:00:00+00:00", "practitionerId": "pract-1", "areas": [{ "area": "face", "depthMm": 0.5 }],
          "serum": { "product": "HydraBoost", "lot": "L-100" }, "numbingCreamApplied": false, "calmingMaskApplied": true, "spfApplied": true,
          "needleCartridge": { "product": "NanoTip 36", "lot": "C-2207" }, "device": { "model": "DermaPen 4", "serial": "DP4-001234" } }
        """;

    /// <summary>Each write's example body, by "METHOD /route".</summary>
    public static IReadOnlyDictionary<string, string> Bodies { get; } = new Dictionary<string, string>
    {
        ["POST /api/clients"] = """{ "fullName": "Ann Lee", "dateOfBirth": "1990-04-01", "email": "ann@example.com", "phone": "+44 20 7946 0000" }""",
        ["POST /api/clients/{clientId}/contact-details"] = """{ "email": "ann.lee@example.com", "phone": "+44 20 7946 0001" }""",
        ["POST /api/clients/{clientId}/screenings"] = """{ "screenedAt": "2026-01-05T09:00:00+00:00", "conditions": [], "knownAllergies": ["latex"], "notes": "No contraindications." }""",
        ["POST /api/clients/{clientId}/consents"] = """
            { "signedAt": "2026-01-05T09:05:00+00:00", "procedure": "microneedling", "formVersion": "v3",
              "documentSha256": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "explainedBy": "pract-1",
              "risksExplained": ["pain", "redness", "bruising", "infection", "allergicReaction"], "method": "electronic" }
            """,
        ["POST /api/clients/{clientId}/photo-consents"] = """{ "signedAt": "2026-01-05T09:06:00+00:00", "formVersion": "photo-v2", "uses": ["clinicalRecord", "education"] }""",
        ["POST /api/clients/{clientId}/consultations"] = """{ "scheduledAt": "2026-01-08T10:00:00+00:00", "practitionerId": "pract-1", "concerns": ["fineLines"] }""",
        ["POST /api/clients/{clientId}/consultations/{consultationId}/reschedule"] = """{ "scheduledAt": "2026-01-08T11:00:00+00:00", "reason": "The client asked for a later time." }""",
        ["POST /api/clients/{clientId}/consultations/{consultationId}/complete"] = """
            { "completedAt": "2026-01-08T11:40:00+00:00", "practitionerId": "pract-1", "outcome": "plan", "concerns": ["fineLines"],
              "plan": { "areas": [{ "area": "face", "startingDepthMm": 0.5 }], "serum": { "product": "HydraBoost", "lot": "L-100" }, "plannedSessions": 3 } }
            """,
        ["POST /api/clients/{clientId}/consultations/{consultationId}/cancel"] = """{ "reason": "The client cancelled by phone." }""",
        ["POST /api/clients/{clientId}/skin-assessments"] = """
            { "assessedAt": "2026-01-08T11:30:00+00:00", "kind": "baseline", "assessorId": "pract-1",
              "scores": [{ "scale": "fineLines", "value": 3, "area": "face" }, { "scale": "fitzpatrick", "value": 2 }],
              "notes": "Before the course: fine lines around the eyes and mouth." }
            """,
        ["POST /api/clients/{clientId}/courses/{courseId}/sessions"] = Session,
        ["POST /api/clients/{clientId}/courses/{courseId}/maintenance-sessions"] = Session.Replace("2026-01-15", "2026-01-16"),
        ["POST /api/clients/{clientId}/reactions"] = """{ "occurredAt": "2026-01-16T08:00:00+00:00", "kind": "redness", "severity": "mild", "notes": "Redness on the cheeks." }""",
        ["POST /api/clients/{clientId}/reactions/{reactionId}/resolve"] = """{ "resolvedAt": "2026-01-18T08:00:00+00:00", "outcome": "Settled without treatment." }""",
        ["POST /api/clients/{clientId}/courses/{courseId}/pause"] = """{ "reason": "The client is travelling for a month." }""",
        ["POST /api/clients/{clientId}/courses/{courseId}/resume"] = """{ "reason": "The client is back." }""",
        ["POST /api/clients/{clientId}/courses/{courseId}/cancel"] = """{ "reason": "The client moved away." }""",
        ["POST /api/clients/{clientId}/photos/{photoId}/retract"] = """{ "reason": "Taken of the wrong client: the chart was open on another record." }""",
        ["POST /api/clients/{clientId}/photo-consents/withdraw"] = """{ "withdrawnAt": "2026-01-20T08:30:00+00:00", "uses": ["education"] }""",
        ["POST /api/clients/{clientId}/consents/withdraw"] = """{ "withdrawnAt": "2026-01-20T09:00:00+00:00", "reason": "The client no longer wishes to be treated." }""",
        ["POST /api/clients/{clientId}/erase-contact"] = """{ "reason": "The client asked us to erase their contact details." }""",
        ["POST /api/webhooks"] = $$"""{ "url": "https://clinic.example/hooks/courses", "kinds": ["{{WebhookKinds.SessionRecorded}}", "{{WebhookKinds.ReactionReported}}"] }""",
    };

    /// <summary>Sets the operation's example: one of <see cref="Bodies"/>, or for the protocol the default protocol itself.</summary>
    public static void Attach(OpenApiOperation operation, OpenApiDocument document, string method, string path, IServiceProvider services)
    {
        if (operation.RequestBody is not OpenApiRequestBody body || body.Content?.TryGetValue("application/json", out var json) != true) return;
        if (Bodies.TryGetValue($"{method} {path}", out var example))
            json!.Example = JsonNode.Parse(example);
        else if ($"{method} {path}" == "PUT /api/protocol")
        {
            // The route reads the body itself (to name a wrong member's path); what it reads is a protocol.
            json!.Schema = new OpenApiSchemaReference(nameof(Domain.Protocol.ClinicProtocol), document);
            json.Example = JsonSerializer.SerializeToNode(Domain.Protocol.ClinicProtocol.Default,
                services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions);
        }
    }
}
