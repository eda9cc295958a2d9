using System.Text.Json;
using Courses.Api.Http;
using Courses.Api.Reactions;
using Courses.Api.Recall;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Courses.Domain.Consents;
using Courses.Projections.Clients;
using Courses.Api.Tests.ReadSide;

namespace Courses.Api.Tests.Treatment;

/// <summary>DESIGN.md §9 over HTTP: products and lots, lot-required, product-allergy, consent evidence and withdrawal, recall by any lot.</summary>
public sealed class TraceabilityTests(AppFixture fixture) : ReadSideContext(fixture)
{
    private static string Sessions(Guid client, Guid course) => $"/api/clients/{client}/courses/{course}/sessions";

    private object Traced(decimal depth = 0.5m, string? cartridgeLot = "C-2207", string? creamLot = "NC-77", string cream = "LidoCalm 5%") =>
        ClinicRequests.TracedSession(Clock.GetUtcNow(), Practitioner, depth, cream: cream, creamLot: creamLot, cartridgeLot: cartridgeLot);

    private static JsonElement Without(object body, string member)
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(body))!.AsObject();
        json.Remove(member);
        return JsonSerializer.SerializeToElement(json);
    }

    [Fact]
    public async Task With_require_product_lots_a_session_missing_a_lot_is_refused_and_one_naming_all_is_recorded()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await ProtocolAdjusted(p => p["requireProductLots"] = true);

        await Refused(Sessions(client, course), Traced(cartridgeLot: null), RuleCodes.LotRequired);
        await Refused(Sessions(client, course), Without(Traced(), "needleCartridge"), RuleCodes.LotRequired);
        await Refused(Sessions(client, course), Traced(creamLot: null), RuleCodes.LotRequired);
        // Part one's body: the cream applied, but neither it nor its lot named.
        await Refused(Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m, numbing: true), RuleCodes.LotRequired);
        await Post(Roles.Practitioner, Sessions(client, course), Traced(), 201);
    }

    [Fact]
    public async Task Without_require_product_lots_part_ones_body_is_still_recorded()
    {
        var (client, course) = await ClientWithPlannedCourse();
        await Post(Roles.Practitioner, Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), 201);
    }

    [Fact]
    public async Task Naming_the_cream_stands_for_numbing_cream_applied_and_contradicting_it_is_a_400()
    {
        var (client, course) = await ClientWithPlannedCourse();

        var contradicted = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(Traced()))!.AsObject();
        contradicted["numbingCreamApplied"] = false;
        await Invalid(Sessions(client, course), contradicted, "numbingCreamApplied");
        await Invalid(Sessions(client, course), Without(Session(Clock.GetUtcNow(), 0.5m), "numbingCreamApplied"), "numbingCreamApplied");
        var blankProduct = System.Text.Json.Nodes.JsonNode.Parse(JsonSerializer.Serialize(Traced()))!.AsObject();
        blankProduct["needleCartridge"] = new System.Text.Json.Nodes.JsonObject { ["product"] = " ", ["lot"] = "C-1" };
        await Invalid(Sessions(client, course), blankProduct, "needleCartridge.product");
        await Post(Roles.Practitioner, Sessions(client, course), Traced(), 201);
    }

    [Fact]
    public async Task An_allergic_reaction_to_the_numbing_cream_records_the_allergy_and_a_later_session_with_it_is_refused()
    {
        var (client, course) = await ClientWithPlannedCourse();
        var session = (await Post(Roles.Practitioner, Sessions(client, course), Traced(), 201)).GetProperty("sessionId").GetGuid();
        Clock.Advance(TimeSpan.FromHours(2));

        var reaction = await ReportedReaction(client, Reaction(Clock.GetUtcNow(), "allergicReaction", "mild", session, "LIDOCALM 5%"));

        ReadModel.Equal(new ReactionReportedAnswer(reaction.ReactionId, [course], SerumAllergyRecorded: null, client, 0,
            new RecordedAllergy("LIDOCALM 5%", ProductKind.NumbingCream)), reaction with { NewVersion = 0 });
        Assert.Equal([new ProductAllergySummary("LIDOCALM 5%", ProductKind.NumbingCream, Clock.GetUtcNow())], (await ProfileOf(client)).Allergies);
        Assert.Empty((await ProfileOf(client)).SerumAllergies);

        Clock.Advance(TimeSpan.FromDays(30));
        await ResolvedReaction(client, reaction.ReactionId);
        await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/resume", new { reason = "Another cream from now on." });
        await Refused(Sessions(client, course), Traced(), RuleCodes.ProductAllergy);
        await Post(Roles.Practitioner, Sessions(client, course), Traced(cream: "EMLA 5%"), 201);
    }

    [Fact]
    public async Task Consent_evidence_is_kept_a_withdrawal_stops_sessions_and_a_new_consent_restarts_them()
    {
        var client = await RegisteredClient();
        await Screened(client);
        var signedAt = Clock.GetUtcNow();
        await Post(Roles.Practitioner, $"/api/clients/{client}/consents", new
        {
            signedAt = At(signedAt), procedure = "microneedling", formVersion = "v4", documentSha256 = new string('A', 64),
            explainedBy = "pract-2", risksExplained = new[] { "infection", "pain", "pain" }, method = "electronic",
        });
        await Invalid($"/api/clients/{client}/consents",
            new { signedAt = At(signedAt), procedure = "microneedling", formVersion = "v4", documentSha256 = "abc", method = "fax", risksExplained = new[] { "boredom" } },
            "documentSha256", "method", "risksExplained[0]");
        var course = await PlannedCourse(client, await BookedConsultation(client));
        await Post(Roles.Practitioner, Sessions(client, course), Traced(), 201);

        Clock.Advance(TimeSpan.FromDays(3));
        var withdrawnAt = Clock.GetUtcNow();
        await Post(Roles.Practitioner, $"/api/clients/{client}/consents/withdraw", new { withdrawnAt = At(withdrawnAt), reason = "Moving abroad." });

        ReadModel.Equal(new ConsentSummary("microneedling", "v4", signedAt,
                new ConsentEvidence(new string('a', 64), "pract-2", [ReactionKind.Pain, ReactionKind.Infection], ConsentMethod.Electronic),
                withdrawnAt, "Moving abroad."),
            (await ProfileOf(client)).Consent);
        Clock.Advance(TimeSpan.FromDays(30));
        await Refused(Sessions(client, course), Traced(), RuleCodes.ConsentRequired);
        await Refused($"/api/clients/{client}/consents/withdraw", new { withdrawnAt = At(Clock.GetUtcNow()), reason = "Again." },
            RuleCodes.NoConsentInForce);

        await Consented(client);
        await Post(Roles.Practitioner, Sessions(client, course), Traced(), 201);
        await Refused($"/api/clients/{client}/consents/withdraw", new { withdrawnAt = At(Clock.GetUtcNow().AddSeconds(-1)), reason = "Before it." },
            RuleCodes.OutOfOrder);
        await Refused($"/api/clients/{client}/consents/withdraw", new { withdrawnAt = At(Clock.GetUtcNow().AddMinutes(5).AddSeconds(1)), reason = "Later." },
            RuleCodes.FutureTime);
    }

    [Fact]
    public async Task A_recall_by_any_lot_reaches_everyone_it_was_used_on_with_their_phone_email_and_which_product_it_was()
    {
        var ann = await ClientWithContact("Ann Lee", "1990-04-01", "ann@example.com", "+44 20 7946 0000");
        await Screened(ann);
        await Consented(ann);
        var annCourse = await PlannedCourse(ann, await BookedConsultation(ann));
        var bea = await ClientWithContact("Bea Kim", "1985-02-02");
        await Screened(bea);
        await Consented(bea);
        var beaCourse = await PlannedCourse(bea, await BookedConsultation(bea));
        var at = Clock.GetUtcNow();
        // The same code on Ann's cartridge and Bea's cream: a recall names both and says which product each was.
        var annSession = (await Post(Roles.Practitioner, Sessions(ann, annCourse), Traced(cartridgeLot: "X-1"), 201)).GetProperty("sessionId").GetGuid();
        // Later the same day, typed another way: the recall keeps the spelling first used.
        Clock.Advance(TimeSpan.FromHours(1));
        var later = Clock.GetUtcNow();
        var beaSession = (await Post(Roles.Practitioner, Sessions(bea, beaCourse), Traced(creamLot: " x-1 "), 201)).GetProperty("sessionId").GetGuid();
        await NonStale();

        ReadModel.Equal(new LotClients("X-1",
            [
                new LotRecallClient(ann, "Ann Lee", "+44 20 7946 0000", "ann@example.com",
                    [new LotRecallSession(annSession, at, "NanoTip 36", ProductKind.NeedleCartridge)]),
                new LotRecallClient(bea, "Bea Kim", null, null, [new LotRecallSession(beaSession, later, "LidoCalm 5%", ProductKind.NumbingCream)]),
            ]),
            await Read<LotClients>("/api/lots/x-1/clients"));
        // A serum lot is found both ways; the serum route stays serum-only.
        Assert.Equal(2, (await Read<LotClients>("/api/lots/L-100/clients", Roles.Admin)).Items.Count);
        await Read(Roles.Practitioner, "/api/serum-lots/X-1/clients", 404);
        Assert.Equal(2, (await Read<SerumLotClients>("/api/serum-lots/L-100/clients")).Clients.Count);

        await Read(Roles.Practitioner, "/api/lots/X-1/clients", 404, Tokens.OtherClinic);
        await Read(Roles.Practitioner, "/api/lots/X-2/clients", 404);
        await Forbidden(Roles.Reception, "/api/lots/X-1/clients");
        await Forbidden(Roles.Analyst, "/api/lots/X-1/clients");
    }

    [Fact]
    public async Task Monthly_analytics_count_reactions_by_numbing_cream_and_by_cartridge_beside_serum()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 3));
        var first = (await Post(Roles.Practitioner, Sessions(client, course), Traced(), 201)).GetProperty("sessionId").GetGuid();
        Clock.Advance(TimeSpan.FromHours(1));
        var redness = await ReportedReaction(client, Reaction(Clock.GetUtcNow(), "redness", "mild", first));
        Clock.Advance(TimeSpan.FromDays(30));
        await ResolvedReaction(client, redness.ReactionId);
        var second = (await Post(Roles.Practitioner, Sessions(client, course), Session(Clock.GetUtcNow(), 0.5m), 201)).GetProperty("sessionId").GetGuid();
        Clock.Advance(TimeSpan.FromHours(1));
        await ReportedReaction(client, Reaction(Clock.GetUtcNow(), "pain", "mild", second));
        await ReportedReaction(client, Reaction(Clock.GetUtcNow(), "pain", "mild"));
        await NonStale();

        var months = (await MonthlyStatsOf("?from=2026-01&to=2026-02")).Months;
        static string Counts(IReadOnlyDictionary<string, int> counts) => string.Join(", ", counts.Select(c => $"{c.Key}={c.Value}"));
        Assert.Equal(["HydraBoost=1", "LidoCalm 5%=1", "NanoTip 36=1"],
            [Counts(months[0].ReactionsBySerum), Counts(months[0].ReactionsByNumbingCream), Counts(months[0].ReactionsByNeedleCartridge)]);
        // February: one after a session with no cream and no cartridge named, one tied to no session.
        Assert.Equal(["none=1, unknown=1", "unknown=2"], [Counts(months[1].ReactionsByNumbingCream), Counts(months[1].ReactionsByNeedleCartridge)]);
    }
}
