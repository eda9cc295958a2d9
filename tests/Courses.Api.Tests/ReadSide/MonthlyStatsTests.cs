using System.Text.Json;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.ReadSide;

public sealed class MonthlyStatsTests(AppFixture fixture) : ReadSideContext(fixture)
{
    private const string Monthly = "/api/analytics/monthly";

    private static readonly DateTimeOffset Jan5 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private async Task<Guid> Reacted(Guid client, string kind, string severity, Guid? sessionId = null) =>
        (await Post(Roles.Practitioner, $"/api/clients/{client}/reactions",
            new { occurredAt = At(Clock.GetUtcNow()), kind, severity, sessionId }, 201)).GetProperty("reactionId").GetGuid();

    private Task Resolved(Guid client, Guid reaction) =>
        Post(Roles.Practitioner, $"/api/clients/{client}/reactions/{reaction}/resolve", new { resolvedAt = At(Clock.GetUtcNow()) });

    private async Task Declined(string name, string? reason)
    {
        var client = await RegisteredClient(name);
        await Screened(client);
        var consultation = await BookedConsultation(client);
        await Post(Roles.Practitioner, $"/api/clients/{client}/consultations/{consultation}/complete",
            new { completedAt = At(Clock.GetUtcNow()), practitionerId = Practitioner, outcome = "decline", concerns = new[] { "fineLines" }, declineReason = reason });
    }

    private static Dictionary<string, int> Counts(JsonElement month, string name) =>
        month.GetProperty(name).EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());

    private static Dictionary<string, decimal?> Rates(JsonElement month) =>
        month.GetProperty("reactionRatePer100SessionsByDepthBand").EnumerateObject()
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.Null ? (decimal?)null : p.Value.GetDecimal());

    private static decimal? CompletionRate(JsonElement month) =>
        month.GetProperty("completionRate") is { ValueKind: not JsonValueKind.Null } rate ? rate.GetDecimal() : null;

    private static Dictionary<string, int> Kinds(int pain = 0, int redness = 0, int peeling = 0, int bruising = 0, int infection = 0) => new()
    {
        ["pain"] = pain, ["redness"] = redness, ["peeling"] = peeling, ["bruising"] = bruising,
        ["bleeding"] = 0, ["scarring"] = 0, ["infection"] = infection, ["allergicReaction"] = 0,
    };

    private static void AllZero(JsonElement month)
    {
        foreach (var count in new[]
                 {
                     "consultationsBooked", "consultationsCompleted", "consultationsDeclined", "conversions", "coursesPlanned",
                     "coursesCompleted", "coursesCancelled", "sessions", "maintenanceSessions", "reactions",
                 })
            Assert.Equal(0, month.GetProperty(count).GetInt32());
        Assert.Empty(Counts(month, "declineReasons"));
        Assert.All(Counts(month, "sessionsByDepthBand").Values, v => Assert.Equal(0, v));
        Assert.All(Counts(month, "reactionsByKind").Values, v => Assert.Equal(0, v));
        Assert.All(Counts(month, "reactionsByDepthBand").Values, v => Assert.Equal(0, v));
        Assert.Empty(Counts(month, "reactionsBySerum"));
        Assert.Empty(Counts(month, "reactionsByPractitioner"));
        Assert.Null(CompletionRate(month));
        Assert.All(Rates(month).Values, Assert.Null);
    }

    /// <summary>
    /// January: clients A, B, H planned and treated, C, D, G declined. February: nothing. March: A's second and last
    /// session, B's maintenance, E planned, treated and cancelled, F only booked. Reactions as noted where reported.
    /// </summary>
    private async Task ThreeMonthsOfClinic()
    {
        // 2026-01-05: six consultations booked and completed: three plans (A, B, H), three declines (C, D, G).
        var (a, courseA) = await ClientPlanned("Client A", PlanOf("thighs", 2.0m, sessions: 2));
        var a1 = await Treated(a, courseA, Treatment("thighs", 2.0m));               // band upTo2.0
        var (b, courseB) = await ClientPlanned("Client B", PlanOf("face", 1.0m, sessions: 1));
        var b1 = await Treated(b, courseB, Treatment("face", 1.0m));                 // band upTo1.0 (1.0 is in it); completes B's course
        var (h, courseH) = await ClientPlanned("Client H", PlanOf("face", 0.5m, sessions: 3));
        await Treated(h, courseH, Treatment("face", 0.5m));                          // band upTo1.0
        await Declined("Client C", "Price");
        await Declined("Client D", "  price ");                                     // same reason as C once trimmed, case aside
        await Declined("Client G", null);                                           // "unspecified"

        Clock.Set(Jan5.AddDays(1));
        var reactionA = await Reacted(a, "redness", "mild", a1);                     // after the 2.0 mm session
        Clock.Set(Jan5.AddDays(2));
        var reactionB = await Reacted(b, "pain", "mild", b1);                        // after the 1.0 mm session

        // 2026-03-10: February stays empty.
        Clock.Set(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        await Resolved(a, reactionA);
        await Treated(a, courseA, Treatment("thighs", 2.0m));                        // upTo2.0; the second of two: A's course completes
        await Resolved(b, reactionB);
        var maintenanceB = await Maintained(b, courseB, Treatment("face", 1.0m));    // maintenance, upTo1.0
        var (e, courseE) = await ClientPlanned("Client E", PlanOf("face", 1.5m, sessions: 3));
        var e1 = await Treated(e, courseE, Treatment("face", 1.5m, product: "PeptidePlus", lot: "P-7", practitioner: "pract-2")); // upTo1.5
        await Post(Roles.Practitioner, $"/api/clients/{e}/courses/{courseE}/cancel", new { reason = "moving away" });
        await BookedConsultation(await RegisteredClient("Client F"));

        Clock.Set(new DateTimeOffset(2026, 3, 11, 9, 0, 0, TimeSpan.Zero));
        await Reacted(b, "peeling", "moderate", maintenanceB);                      // upTo1.0, HydraBoost, pract-1
        await Reacted(e, "infection", "moderate", e1);                              // upTo1.5, PeptidePlus, pract-2
        Clock.Set(new DateTimeOffset(2026, 3, 12, 9, 0, 0, TimeSpan.Zero));
        await Reacted(b, "bruising", "moderate");                                   // no session named: unknown band, serum, practitioner

        await NonStale();
    }

    [Fact]
    public async Task A_range_answers_every_month_in_order_with_the_figures_counted_by_hand()
    {
        await ThreeMonthsOfClinic();

        var answer = await Read(Roles.Analyst, $"{Monthly}?from=2025-12&to=2026-04");
        Assert.Equal("2025-12", answer.GetProperty("from").GetString());
        Assert.Equal("2026-04", answer.GetProperty("to").GetString());
        var months = answer.GetProperty("months").EnumerateArray().ToArray();
        Assert.Equal(["2025-12", "2026-01", "2026-02", "2026-03", "2026-04"], months.Select(m => m.GetProperty("month").GetString()));

        // December, February and April saw nothing: zeros, and no rate without a denominator.
        AllZero(months[0]);
        AllZero(months[2]);
        AllZero(months[4]);

        var jan = months[1];
        Assert.Equal(6, jan.GetProperty("consultationsBooked").GetInt32());     // A B H C D G
        Assert.Equal(6, jan.GetProperty("consultationsCompleted").GetInt32());  // all six
        Assert.Equal(3, jan.GetProperty("conversions").GetInt32());             // A B H planned
        Assert.Equal(3, jan.GetProperty("consultationsDeclined").GetInt32());   // C D G
        // Two declines gave "price": fewer than three share it, so it is shown only as "other".
        Assert.Equal(new Dictionary<string, int> { ["other"] = 2, ["unspecified"] = 1 }, Counts(jan, "declineReasons"));
        Assert.Equal(3, jan.GetProperty("coursesPlanned").GetInt32());
        Assert.Equal(1, jan.GetProperty("coursesCompleted").GetInt32());        // B's one-session course
        Assert.Equal(0, jan.GetProperty("coursesCancelled").GetInt32());
        Assert.Equal(1.0m, CompletionRate(jan));                                // 1 / (1 + 0)
        Assert.Equal(3, jan.GetProperty("sessions").GetInt32());                // A1 B1 H1
        Assert.Equal(0, jan.GetProperty("maintenanceSessions").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["upTo1.0"] = 2, ["upTo1.5"] = 0, ["upTo2.0"] = 1, ["over2.0"] = 0 },
            Counts(jan, "sessionsByDepthBand"));                                // B1 1.0 + H1 0.5; A1 2.0
        Assert.Equal(2, jan.GetProperty("reactions").GetInt32());
        Assert.Equal(Kinds(pain: 1, redness: 1), Counts(jan, "reactionsByKind"));
        Assert.Equal(new Dictionary<string, int> { ["mild"] = 2, ["moderate"] = 0, ["severe"] = 0 }, Counts(jan, "reactionsBySeverity"));
        Assert.Equal(new Dictionary<string, int> { ["upTo1.0"] = 1, ["upTo1.5"] = 0, ["upTo2.0"] = 1, ["over2.0"] = 0, ["unknown"] = 0 },
            Counts(jan, "reactionsByDepthBand"));
        Assert.Equal(new Dictionary<string, int> { ["HydraBoost"] = 2 }, Counts(jan, "reactionsBySerum"));
        Assert.Equal(new Dictionary<string, int> { ["pract-1"] = 2 }, Counts(jan, "reactionsByPractitioner"));
        // upTo1.0: 1 reaction / 2 sessions; upTo2.0: 1 / 1; no sessions in the other bands.
        Assert.Equal(new Dictionary<string, decimal?> { ["upTo1.0"] = 50m, ["upTo1.5"] = null, ["upTo2.0"] = 100m, ["over2.0"] = null }, Rates(jan));

        var mar = months[3];
        Assert.Equal(2, mar.GetProperty("consultationsBooked").GetInt32());     // E F
        Assert.Equal(1, mar.GetProperty("consultationsCompleted").GetInt32());  // E
        Assert.Equal(1, mar.GetProperty("conversions").GetInt32());
        Assert.Equal(0, mar.GetProperty("consultationsDeclined").GetInt32());
        Assert.Empty(Counts(mar, "declineReasons"));
        Assert.Equal(1, mar.GetProperty("coursesPlanned").GetInt32());          // E
        Assert.Equal(1, mar.GetProperty("coursesCompleted").GetInt32());        // A, by its second session
        Assert.Equal(1, mar.GetProperty("coursesCancelled").GetInt32());        // E
        Assert.Equal(0.5m, CompletionRate(mar));                                // 1 / (1 + 1)
        Assert.Equal(2, mar.GetProperty("sessions").GetInt32());                // A2 E1
        Assert.Equal(1, mar.GetProperty("maintenanceSessions").GetInt32());     // B
        Assert.Equal(new Dictionary<string, int> { ["upTo1.0"] = 1, ["upTo1.5"] = 1, ["upTo2.0"] = 1, ["over2.0"] = 0 },
            Counts(mar, "sessionsByDepthBand"));                                // B maintenance 1.0; E1 1.5; A2 2.0
        Assert.Equal(3, mar.GetProperty("reactions").GetInt32());
        Assert.Equal(Kinds(peeling: 1, bruising: 1, infection: 1), Counts(mar, "reactionsByKind"));
        Assert.Equal(new Dictionary<string, int> { ["mild"] = 0, ["moderate"] = 3, ["severe"] = 0 }, Counts(mar, "reactionsBySeverity"));
        Assert.Equal(new Dictionary<string, int> { ["upTo1.0"] = 1, ["upTo1.5"] = 1, ["upTo2.0"] = 0, ["over2.0"] = 0, ["unknown"] = 1 },
            Counts(mar, "reactionsByDepthBand"));
        Assert.Equal(new Dictionary<string, int> { ["HydraBoost"] = 1, ["PeptidePlus"] = 1, ["unknown"] = 1 }, Counts(mar, "reactionsBySerum"));
        Assert.Equal(new Dictionary<string, int> { ["pract-1"] = 1, ["pract-2"] = 1, ["unknown"] = 1 }, Counts(mar, "reactionsByPractitioner"));
        // upTo1.0: 1 / 1; upTo1.5: 1 / 1; upTo2.0: 0 / 1; the unknown-band bruising has no denominator.
        Assert.Equal(new Dictionary<string, decimal?> { ["upTo1.0"] = 100m, ["upTo1.5"] = 100m, ["upTo2.0"] = 0m, ["over2.0"] = null }, Rates(mar));

        // Nothing that names or points at a client reaches an analyst.
        var body = answer.GetRawText();
        foreach (var name in new[] { "Client A", "Client B", "Client E", "clientId", "moving away" }) Assert.DoesNotContain(name, body);

        // Another clinic's analyst sees none of it.
        var other = await Read(Roles.Analyst, $"{Monthly}?from=2026-01&to=2026-03", clinic: Tokens.OtherClinic);
        Assert.All(other.GetProperty("months").EnumerateArray(), AllZero);

        // An admin may read analytics too.
        await Read(Roles.Admin, $"{Monthly}?from=2026-01&to=2026-01");
    }

    [Fact]
    public async Task A_month_is_the_one_the_clinic_wrote_in_its_offset_not_the_utc_month()
    {
        // 23:30 on 31 January in New York is 04:30 UTC on 1 February: the clinic's January.
        Clock.Set(new DateTimeOffset(2026, 2, 1, 4, 30, 0, TimeSpan.Zero));
        var (client, course) = await ClientPlanned("Client N", PlanOf("face", 0.5m, sessions: 3));
        await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/sessions", new
        {
            performedAt = "2026-01-31T23:30:00-05:00",
            practitionerId = Practitioner,
            areas = new[] { new { area = "face", depthMm = 0.5m } },
            serum = new { product = "HydraBoost", lot = "L-100" },
            numbingCreamApplied = false, calmingMaskApplied = true, spfApplied = true,
        }, 201);
        await NonStale();

        var months = (await Read(Roles.Analyst, $"{Monthly}?from=2026-01&to=2026-02")).GetProperty("months").EnumerateArray().ToArray();
        Assert.Equal(1, months[0].GetProperty("sessions").GetInt32());
        Assert.Equal(0, months[1].GetProperty("sessions").GetInt32());
        Assert.Equal(1, months[1].GetProperty("coursesPlanned").GetInt32()); // planned at 04:30 UTC on 1 February
    }

    [Fact]
    public async Task Only_analysts_and_admins_read_analytics_and_analysts_read_nothing_about_a_client()
    {
        var client = await RegisteredClient();
        await Read(Roles.Analyst, $"{Monthly}?from=2026-01&to=2026-01");
        await Forbidden(Roles.Reception, $"{Monthly}?from=2026-01&to=2026-01");
        await Forbidden(Roles.Practitioner, $"{Monthly}?from=2026-01&to=2026-01");
        await Forbidden(Roles.Auditor, $"{Monthly}?from=2026-01&to=2026-01");
        await Forbidden(Roles.Analyst, $"/api/clients/{client}");
        await Forbidden(Roles.Analyst, "/api/serum-lots/L-100/clients");
    }

    [Theory]
    [InlineData("2026-13", "2026-12", "from")]
    [InlineData("Jan-2026", "2026-12", "from")]
    [InlineData("2026-1", "2026-12", "from")]
    [InlineData("", "2026-12", "from")]
    [InlineData("2026-01", "2026-1-1", "to")]
    [InlineData("2026-06", "2026-05", "to")]   // from after to
    [InlineData("2023-01", "2026-01", "to")]   // 37 months
    public async Task A_bad_range_is_400_with_the_field_named(string from, string to, string field)
    {
        var problem = await Read(Roles.Analyst, $"{Monthly}?from={from}&to={to}", 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
    }

    [Fact]
    public async Task A_missing_range_is_400_and_36_months_is_the_most_one_request_answers()
    {
        var problem = await Read(Roles.Analyst, Monthly, 400);
        Assert.True(problem.GetProperty("errors").TryGetProperty("from", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("to", out _));

        var longest = await Read(Roles.Analyst, $"{Monthly}?from=2023-02&to=2026-01");
        Assert.Equal(36, longest.GetProperty("months").GetArrayLength());
    }
}
