using System.Text.Json;
using Courses.Api.Analytics;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.ReadSide;

public sealed class MonthlyStatsTests(AppFixture fixture) : ReadSideContext(fixture)
{
    private const string Monthly = "/api/analytics/monthly";

    private static readonly DateTimeOffset Jan5 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private async Task<Guid> Reacted(Guid client, string kind, string severity, Guid? sessionId = null) =>
        (await ReportedReaction(client, Reaction(Clock.GetUtcNow(), kind, severity, sessionId))).ReactionId;

    private async Task Declined(string name, string? reason)
    {
        var client = await RegisteredClient(name);
        await Screened(client);
        var consultation = await BookedConsultation(client);
        await CompletedConsultation(client, consultation, "decline", declineReason: reason);
    }

    private static Dictionary<string, int> Kinds(int pain = 0, int redness = 0, int peeling = 0, int bruising = 0, int infection = 0) => new()
    {
        ["pain"] = pain, ["redness"] = redness, ["peeling"] = peeling, ["bruising"] = bruising,
        ["bleeding"] = 0, ["scarring"] = 0, ["infection"] = infection, ["allergicReaction"] = 0,
    };

    private static Dictionary<string, int> Severities(int mild = 0, int moderate = 0) => new() { ["mild"] = mild, ["moderate"] = moderate, ["severe"] = 0 };

    private static Dictionary<string, int> Bands(int upTo1 = 0, int upTo15 = 0, int upTo2 = 0) =>
        new() { ["upTo1.0"] = upTo1, ["upTo1.5"] = upTo15, ["upTo2.0"] = upTo2, ["over2.0"] = 0 };

    /// <summary>Reactions by band: the measured bands and "unknown", for a reaction that named no session.</summary>
    private static Dictionary<string, int> ReactionBands(int upTo1 = 0, int upTo15 = 0, int upTo2 = 0, int unknown = 0) =>
        new(Bands(upTo1, upTo15, upTo2)) { ["unknown"] = unknown };

    private static Dictionary<string, decimal?> RatesPer100(decimal? upTo1 = null, decimal? upTo15 = null, decimal? upTo2 = null) =>
        new() { ["upTo1.0"] = upTo1, ["upTo1.5"] = upTo15, ["upTo2.0"] = upTo2, ["over2.0"] = null };

    private static Dictionary<string, int> Named(params (string Name, int Count)[] counts) => counts.ToDictionary(c => c.Name, c => c.Count);

    /// <summary>A month that saw nothing: every vocabulary key at zero, nothing that only occurs, no rate without a denominator.</summary>
    private static MonthlyStats Quiet(string month) => new(month,
        ConsultationsBooked: 0, ConsultationsCompleted: 0, ConsultationsDeclined: 0, Conversions: 0, DeclineReasons: Named(),
        CoursesPlanned: 0, CoursesCompleted: 0, CoursesCancelled: 0, CompletionRate: null,
        Sessions: 0, MaintenanceSessions: 0, SessionsByDepthBand: Bands(),
        Reactions: 0, ReactionsByKind: Kinds(), ReactionsBySeverity: Severities(), ReactionsByDepthBand: ReactionBands(),
        ReactionsBySerum: Named(), ReactionsByNumbingCream: Named(), ReactionsByNeedleCartridge: Named(), ReactionsByPractitioner: Named(), ReactionRatePer100SessionsByDepthBand: RatesPer100());

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
        await ResolvedReaction(a, reactionA);
        await Treated(a, courseA, Treatment("thighs", 2.0m));                        // upTo2.0; the second of two: A's course completes
        await ResolvedReaction(b, reactionB);
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

        var body = await Read(Roles.Analyst, $"{Monthly}?from=2025-12&to=2026-04");
        var jan = Quiet("2026-01") with
        {
            ConsultationsBooked = 6,                                    // A B H C D G
            ConsultationsCompleted = 6,                                 // all six
            Conversions = 3,                                            // A B H planned
            ConsultationsDeclined = 3,                                  // C D G
            // Two declines gave "price": fewer than three share it, so it is shown only as "other".
            DeclineReasons = Named(("other", 2), ("unspecified", 1)),
            CoursesPlanned = 3,
            CoursesCompleted = 1,                                       // B's one-session course
            CompletionRate = 1.0m,                                      // 1 / (1 + 0)
            Sessions = 3,                                               // A1 B1 H1
            SessionsByDepthBand = Bands(upTo1: 2, upTo2: 1),            // B1 1.0 + H1 0.5; A1 2.0
            Reactions = 2,
            ReactionsByKind = Kinds(pain: 1, redness: 1),
            ReactionsBySeverity = Severities(mild: 2),
            ReactionsByDepthBand = ReactionBands(upTo1: 1, upTo2: 1),
            ReactionsBySerum = Named(("HydraBoost", 2)),
            // After B1 (no cream) and A1 (2.0 mm: cream applied, not named); no cartridge named in either.
            ReactionsByNumbingCream = Named(("none", 1), ("unknown", 1)),
            ReactionsByNeedleCartridge = Named(("unknown", 2)),
            ReactionsByPractitioner = Named((Practitioner, 2)),
            // upTo1.0: 1 reaction / 2 sessions; upTo2.0: 1 / 1; no sessions in the other bands.
            ReactionRatePer100SessionsByDepthBand = RatesPer100(upTo1: 50m, upTo2: 100m),
        };
        var mar = Quiet("2026-03") with
        {
            ConsultationsBooked = 2,                                    // E F
            ConsultationsCompleted = 1,                                 // E
            Conversions = 1,
            CoursesPlanned = 1,                                         // E
            CoursesCompleted = 1,                                       // A, by its second session
            CoursesCancelled = 1,                                       // E
            CompletionRate = 0.5m,                                      // 1 / (1 + 1)
            Sessions = 2,                                               // A2 E1
            MaintenanceSessions = 1,                                    // B
            SessionsByDepthBand = Bands(upTo1: 1, upTo15: 1, upTo2: 1), // B maintenance 1.0; E1 1.5; A2 2.0
            Reactions = 3,
            ReactionsByKind = Kinds(peeling: 1, bruising: 1, infection: 1),
            ReactionsBySeverity = Severities(moderate: 3),
            ReactionsByDepthBand = ReactionBands(upTo1: 1, upTo15: 1, unknown: 1),
            ReactionsBySerum = Named(("HydraBoost", 1), ("PeptidePlus", 1), ("unknown", 1)),
            // B's maintenance had no cream, E1 (1.5 mm) a cream not named, the bruising no session.
            ReactionsByNumbingCream = Named(("none", 1), ("unknown", 2)),
            ReactionsByNeedleCartridge = Named(("unknown", 3)),
            ReactionsByPractitioner = Named((Practitioner, 1), ("pract-2", 1), ("unknown", 1)),
            // upTo1.0: 1 / 1; upTo1.5: 1 / 1; upTo2.0: 0 / 1; the unknown-band bruising has no denominator.
            ReactionRatePer100SessionsByDepthBand = RatesPer100(upTo1: 100m, upTo15: 100m, upTo2: 0m),
        };
        // Every month of the range in order; December, February and April saw nothing.
        ReadModel.Equal(
            new MonthlyStatsAnswer("2025-12", "2026-04", [Quiet("2025-12"), jan, Quiet("2026-02"), mar, Quiet("2026-04")]),
            body.Deserialize<MonthlyStatsAnswer>(ReadModel.Json));

        // Nothing that names or points at a client reaches an analyst.
        foreach (var name in new[] { "Client A", "Client B", "Client E", "clientId", "moving away" }) Assert.DoesNotContain(name, body.GetRawText());

        // Another clinic's analyst sees none of it.
        ReadModel.Equal(new MonthlyStatsAnswer("2026-01", "2026-03", [Quiet("2026-01"), Quiet("2026-02"), Quiet("2026-03")]),
            await MonthlyStatsOf("?from=2026-01&to=2026-03", clinic: Tokens.OtherClinic));

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

        // The session is January's; the consultation and the plan, dated 04:30 UTC on 1 February, are February's.
        var january = Quiet("2026-01") with
        {
            Sessions = 1, SessionsByDepthBand = Bands(upTo1: 1), ReactionRatePer100SessionsByDepthBand = RatesPer100(upTo1: 0m), // 0 reactions / 1 session
        };
        var february = Quiet("2026-02") with { ConsultationsBooked = 1, ConsultationsCompleted = 1, Conversions = 1, CoursesPlanned = 1 };
        ReadModel.Equal(new MonthlyStatsAnswer("2026-01", "2026-02", [january, february]), await MonthlyStatsOf("?from=2026-01&to=2026-02"));
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

        var longest = await MonthlyStatsOf("?from=2023-02&to=2026-01");
        Assert.Equal(36, longest.Months.Count);
    }
}
