using System.Text;
using Courses.Api.Http;

namespace Courses.Reliability.Tests.Security;

/// <summary>One row of the authorisation matrix: a route and the policy that guards it (null: any role of the clinic).</summary>
public sealed record RouteAccess(string Method, string Route, string? Policy)
{
    public IReadOnlyList<string> Roles => Policy is null ? Courses.Api.Http.Roles.All : Policies.RolesFor[Policy];

    public bool Allows(string role) => Roles.Contains(role);

    /// <summary>The route with every parameter filled by an id no clinic holds.</summary>
    public string SamplePath() => System.Text.RegularExpressions.Regex.Replace(Route, "{(\\w+)}",
        m => m.Groups[1].Value == "lot" ? "NO-SUCH-LOT" : Guid.NewGuid().ToString());

    public override string ToString() => $"{Method} {Route}";
}

/// <summary>
/// Who may call what: the one table the authorisation checks run from, and that README's "Reliability and security"
/// section shows (a check fails when the two differ, and when the service maps a route the table lacks).
/// </summary>
public static class AccessMatrix
{
    public static readonly RouteAccess[] Routes =
    [
        new("POST", "/api/clients", Policies.FrontDesk),
        new("GET", "/api/clients", Policies.FrontDesk),
        new("GET", "/api/clients/{clientId}", Policies.ReadClient),
        new("POST", "/api/clients/{clientId}/contact-details", Policies.FrontDesk),
        new("POST", "/api/clients/{clientId}/screenings", Policies.Clinical),
        new("POST", "/api/clients/{clientId}/consents", Policies.Clinical),
        new("POST", "/api/clients/{clientId}/consents/withdraw", Policies.Clinical),
        new("POST", "/api/clients/{clientId}/consultations", Policies.FrontDesk),
        new("GET", "/api/clients/{clientId}/consultations/{consultationId}", Policies.ReadClient),
        new("POST", "/api/clients/{clientId}/consultations/{consultationId}/reschedule", Policies.FrontDesk),
        new("POST", "/api/clients/{clientId}/consultations/{consultationId}/cancel", Policies.FrontDesk),
        new("POST", "/api/clients/{clientId}/consultations/{consultationId}/complete", Policies.Clinical),
        new("GET", "/api/clients/{clientId}/courses", Policies.ReadClient),
        new("GET", "/api/clients/{clientId}/courses/{courseId}", Policies.ReadClient),
        new("POST", "/api/clients/{clientId}/courses/{courseId}/sessions", Policies.Clinical),
        new("POST", "/api/clients/{clientId}/courses/{courseId}/maintenance-sessions", Policies.Clinical),
        new("POST", "/api/clients/{clientId}/courses/{courseId}/pause", Policies.Clinical),
        new("POST", "/api/clients/{clientId}/courses/{courseId}/resume", Policies.Clinical),
        new("POST", "/api/clients/{clientId}/courses/{courseId}/cancel", Policies.Clinical),
        new("POST", "/api/clients/{clientId}/reactions", Policies.Clinical),
        new("GET", "/api/clients/{clientId}/reactions/{reactionId}", Policies.ReadClinical),
        new("POST", "/api/clients/{clientId}/reactions/{reactionId}/resolve", Policies.Clinical),
        new("GET", "/api/clients/{clientId}/depth-history", Policies.ReadClinical),
        new("POST", "/api/clients/{clientId}/skin-assessments", Policies.Clinical),
        new("GET", "/api/clients/{clientId}/skin-evolution", Policies.ReadClinical),
        new("POST", "/api/clients/{clientId}/photo-consents", Policies.Clinical),
        new("POST", "/api/clients/{clientId}/photo-consents/withdraw", Policies.Clinical),
        new("POST", "/api/clients/{clientId}/photos", Policies.Clinical),
        new("GET", "/api/clients/{clientId}/photos", Policies.ReadClinical),
        new("GET", "/api/clients/{clientId}/photos/timeline", Policies.ReadClinical),
        new("GET", "/api/clients/{clientId}/photos/{photoId}/image", Policies.ReadClinical),
        new("POST", "/api/clients/{clientId}/photos/{photoId}/retract", Policies.Clinical),
        new("GET", "/api/clients/{clientId}/history", Policies.Audit),
        new("GET", "/api/clients/{clientId}/history/verify", Policies.Audit),
        new("GET", "/api/clients/{clientId}/record", Policies.Audit),
        new("GET", "/api/clients/{clientId}/fhir", Policies.Audit),
        new("POST", "/api/clients/{clientId}/erase-contact", Policies.Erasure),
        new("GET", "/api/maintenance/due", Policies.FrontDesk),
        new("GET", "/api/schedule", Policies.FrontDesk),
        new("GET", "/api/analytics/monthly", Policies.Analytics),
        new("GET", "/api/analytics/outcomes", Policies.Analytics),
        new("GET", "/api/serum-lots/{lot}/clients", Policies.Recall),
        new("GET", "/api/lots/{lot}/clients", Policies.Recall),
        new("GET", "/api/audit/access", Policies.AccessLog),
        new("GET", "/api/protocol", null),
        new("PUT", "/api/protocol", Policies.ProtocolAdmin),
        new("POST", "/api/webhooks", Policies.Integrations),
        new("GET", "/api/webhooks", Policies.Integrations),
        new("GET", "/api/webhooks/{id}", Policies.Integrations),
        new("DELETE", "/api/webhooks/{id}", Policies.Integrations),
        new("GET", "/api/webhooks/dead-letters", Policies.Integrations),
        new("POST", "/api/webhooks/dead-letters/{id}/replay", Policies.Integrations),
    ];

    /// <summary>Tokens that never get past authentication (401), or past the clinic check (403), whatever the route.</summary>
    public static readonly (string Name, Func<string?> Token, int Status)[] BadTokens =
    [
        ("no token", () => null, 401),
        ("expired token", () => Harness.Tokens.Issued.Expired(Courses.Api.Http.Roles.Admin), 401),
        ("wrong signature", () => Harness.Tokens.Issued.SignedWith("another-key-that-is-long-enough-for-hs256!", Courses.Api.Http.Roles.Admin), 401),
        ("wrong audience", () => Harness.Tokens.Issued.WrongAudience(Courses.Api.Http.Roles.Admin), 401),
        ("token without clinic", () => Harness.Tokens.Issued.WithoutClinic(Courses.Api.Http.Roles.Admin), 403),
    ];

    /// <summary>The matrix as README shows it.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("| route | ").Append(string.Join(" | ", Courses.Api.Http.Roles.All)).Append(" |\n");
        text.Append("|---|").Append(string.Concat(Courses.Api.Http.Roles.All.Select(_ => "---|"))).Append('\n');
        foreach (var route in Routes)
            text.Append($"| `{route.Method} {route.Route}` | ")
                .Append(string.Join(" | ", Courses.Api.Http.Roles.All.Select(role => route.Allows(role) ? "✓" : "403")))
                .Append(" |\n");
        text.Append('\n').Append("Every route, whatever the role: ")
            .Append(string.Join(", ", BadTokens.Select(t => $"{t.Name} → {t.Status}")))
            .Append(". ✓ means the request reaches the endpoint (then 2xx, 400, 404, 409, 412 or 422 as its input deserves).\n");
        return text.ToString();
    }
}
