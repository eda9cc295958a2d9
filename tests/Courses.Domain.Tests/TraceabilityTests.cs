using Courses.Domain.Consents;
using Courses.Domain.Courses;
using Courses.Domain.Protocol;
using Courses.Domain.Reactions;
using Courses.Domain.Sessions;
using Courses.Domain.Tests.Support;
using static Courses.Domain.Tests.Support.Make;
using static Courses.Domain.Tests.Support.Scenario;

namespace Courses.Domain.Tests;

/// <summary>DESIGN.md §9: every product and lot of a session, allergies to any of them, and consent that can be withdrawn.</summary>
public class TraceabilityTests
{
    private static readonly DateTimeOffset Day1 = Day0.AddDays(1);
    private static readonly ProductLot Cream = new("LidoCalm 5%", "NC-77");
    private static readonly ProductLot Cartridge = new("NanoTip 36", "C-2207");
    private static readonly Device Pen = new("DermaPen 4", "DP4-001234");

    private static RecordSession Traced(Guid course, DateTimeOffset at) =>
        Session(course, at) with { NumbingCreamApplied = true, NumbingCream = Cream, NeedleCartridge = Cartridge, Device = Pen };

    private static Scenario LotsRequired(out Guid course)
    {
        var s = WithCourse(out course);
        s.Protocol = ClinicProtocol.Default with { RequireProductLots = true };
        return s;
    }

    [Fact]
    public void A_session_keeps_its_cream_cartridge_and_pen_trimmed_as_typed()
    {
        var s = WithCourse(out var course);

        var decision = s.TrySession(Traced(course, Day1) with
        {
            NumbingCream = new ProductLot(" LidoCalm 5% ", " NC-77 "), NeedleCartridge = new ProductLot("NanoTip 36", "  "),
            Device = new Device("DermaPen 4 ", null),
        });

        Canonical.Accepted(decision);
        var recorded = Assert.IsType<SessionRecorded>(Assert.Single(decision.Events));
        Assert.Equal((Cream, new ProductLot("NanoTip 36", null), new Device("DermaPen 4", null)),
            (recorded.NumbingCream, recorded.NeedleCartridge, recorded.Device));
    }

    [Fact]
    public void Without_require_product_lots_a_session_needs_no_lot_but_the_serums()
    {
        var s = WithCourse(out var course);

        Canonical.Accepted(s.TrySession(Session(course, Day1)));
        Canonical.Accepted(s.TrySession(Traced(course, Day1) with { NumbingCream = Cream with { Lot = null }, NeedleCartridge = null }));
    }

    [Fact]
    public void With_require_product_lots_every_product_used_names_its_lot()
    {
        var s = LotsRequired(out var course);

        Canonical.Accepted(s.TrySession(Traced(course, Day1)));
        // No cream applied: no cream lot to name.
        Canonical.Accepted(s.TrySession(Traced(course, Day1) with { NumbingCreamApplied = false, NumbingCream = null }));

        Canonical.Refused(RuleCodes.LotRequired, s.TrySession(Traced(course, Day1) with { NeedleCartridge = Cartridge with { Lot = " " } }));
        Canonical.Refused(RuleCodes.LotRequired, s.TrySession(Traced(course, Day1) with { NeedleCartridge = null }));
        Canonical.Refused(RuleCodes.LotRequired, s.TrySession(Traced(course, Day1) with { NumbingCream = Cream with { Lot = null } }));
        // The cream applied, as part one's flag says, but not named: its lot is unknown.
        Canonical.Refused(RuleCodes.LotRequired, s.TrySession(Traced(course, Day1) with { NumbingCream = null }));
        Canonical.Refused(RuleCodes.LotRequired, s.TrySession(Traced(course, Day1) with { Serum = SerumA with { Lot = null } }));
    }

    [Fact]
    public void Require_product_lots_applies_to_maintenance_sessions_too()
    {
        var s = LotsRequired(out var course);
        s.Session(Traced(course, Day1));
        s.Session(Traced(course, Day1.AddDays(30)));
        s.Session(Traced(course, Day1.AddDays(60)));

        var maintenance = Maintenance(course, Day1.AddDays(240)) with { NeedleCartridge = Cartridge };
        Canonical.Accepted(s.TryMaintenance(maintenance));
        Canonical.Refused(RuleCodes.LotRequired, s.TryMaintenance(maintenance with { NeedleCartridge = null }));
    }

    [Fact]
    public void An_allergic_reaction_naming_the_sessions_numbing_cream_records_an_allergy_to_that_cream()
    {
        var s = WithCourse(out var course);
        var session = s.Session(Traced(course, Day1));
        var command = Reaction(Day1.AddHours(2), ReactionKind.AllergicReaction, Severity.Mild, session, " lidocalm 5% ");

        var decision = s.TryReaction(command);

        Assert.Contains(new ProductAllergyRecorded(s.Record.Id, "lidocalm 5%", ProductKind.NumbingCream, command.ReactionId,
            command.OccurredAt, By), decision.Events);
        Assert.DoesNotContain(decision.Events, e => e is SerumAllergyRecorded);
        s.Given(decision);
        Assert.Equal(ProductKind.NumbingCream, Assert.Single(s.Record.Allergies).Kind);
        Assert.Empty(s.Record.SerumAllergies);
    }

    [Fact]
    public void An_allergic_reaction_naming_a_cartridge_used_before_records_an_allergy_to_it_even_without_its_session()
    {
        var s = WithCourse(out var course);
        s.Session(Traced(course, Day1));

        var decision = s.TryReaction(Reaction(Day1.AddHours(2), ReactionKind.AllergicReaction, Severity.Mild, product: "NanoTip 36"));

        Assert.Equal(ProductKind.NeedleCartridge, Assert.Single(decision.Events.OfType<ProductAllergyRecorded>()).Kind);
    }

    [Fact]
    public void A_session_with_a_numbing_cream_the_client_is_allergic_to_is_refused_product_allergy()
    {
        var s = WithCourse(out var course);
        var session = s.Session(Traced(course, Day1));
        var reaction = s.Reaction(Day1.AddHours(2), ReactionKind.AllergicReaction, Severity.Mild, session, "LidoCalm 5%");
        s.Resolved(reaction, Day1.AddDays(2));
        s.Resumed(course, Day1.AddDays(2));
        var next = Traced(course, Day1.AddDays(28));

        Canonical.Refused(RuleCodes.ProductAllergy, s.TrySession(next with { NumbingCream = new ProductLot("LIDOCALM 5%", "NC-99") }));
        Canonical.Accepted(s.TrySession(next with { NumbingCream = new ProductLot("EMLA", "E-1") }));
        // The serum keeps its own code.
        Canonical.Accepted(s.TrySession(next with { NumbingCream = null, NumbingCreamApplied = false }));
    }

    [Fact]
    public void A_cartridge_named_among_the_screenings_known_allergies_is_refused_product_allergy()
    {
        var s = WithCourse(out var course);
        s.ScreenedWithAllergies(Day0.AddHours(1), "nanotip 36");

        Canonical.Refused(RuleCodes.ProductAllergy, s.TrySession(Traced(course, Day1)));
        Canonical.Accepted(s.TrySession(Traced(course, Day1) with { NeedleCartridge = new ProductLot("NanoTip 12", "C-1") }));
    }

    [Fact]
    public void A_serum_allergy_is_still_recorded_and_refused_as_a_serum_allergy()
    {
        var s = WithCourse(out var course);
        var session = s.Session(Traced(course, Day1));
        var decision = s.TryReaction(Reaction(Day1.AddHours(2), ReactionKind.AllergicReaction, Severity.Mild, session, SerumA.Product));

        Assert.Single(decision.Events.OfType<SerumAllergyRecorded>());
        Assert.Empty(decision.Events.OfType<ProductAllergyRecorded>());
    }

    private static readonly ConsentEvidence Evidence = new(new string('a', 64), "pract-1",
        [ReactionKind.Pain, ReactionKind.Infection, ReactionKind.AllergicReaction], ConsentMethod.Paper);

    [Fact]
    public void Consent_evidence_is_recorded_with_the_consent()
    {
        var s = Registered();
        var decision = RecordConsentDecision.Decide(s.Record, new RecordConsent(Day0, "Microneedling", "v4", By,
            Evidence with { DocumentSha256 = new string('A', 64), RisksExplained = [ReactionKind.Infection, ReactionKind.Pain, ReactionKind.Pain] }),
            s.Protocol, Day0);

        Canonical.EventsEqual([new ConsentRecorded(s.Record.Id, "microneedling", "v4", Day0, By, new string('a', 64), "pract-1",
            [ReactionKind.Pain, ReactionKind.Infection], ConsentMethod.Paper)], decision);
        s.Given(decision);
        Assert.Equal(Evidence with { RisksExplained = [ReactionKind.Pain, ReactionKind.Infection] }, s.Record.Consents.Single().Evidence,
            new EvidenceComparer());
    }

    private sealed class EvidenceComparer : IEqualityComparer<ConsentEvidence?>
    {
        public bool Equals(ConsentEvidence? x, ConsentEvidence? y) => Canonical.Json(x) == Canonical.Json(y);
        public int GetHashCode(ConsentEvidence? obj) => 0;
    }

    private static Decision Withdraw(Scenario s, DateTimeOffset at, DateTimeOffset? now = null) =>
        WithdrawConsentDecision.Decide(s.Record, new WithdrawConsent(at, "Changed her mind.", By), s.Protocol, now ?? at);

    [Fact]
    public void After_a_withdrawal_no_session_until_a_new_consent()
    {
        var s = WithCourse(out var course);
        var withdrawnAt = Day1.AddHours(1);
        s.Given(Withdraw(s, withdrawnAt));

        Canonical.Accepted(s.TrySession(Session(course, withdrawnAt.AddSeconds(-1)), now: withdrawnAt));
        Canonical.Refused(RuleCodes.ConsentRequired, s.TrySession(Session(course, withdrawnAt)));
        Canonical.Refused(RuleCodes.ConsentRequired, s.TrySession(Session(course, Day1.AddDays(40))));

        s.Consented(Day1.AddDays(40));
        Canonical.Refused(RuleCodes.ConsentRequired, s.TrySession(Session(course, Day1.AddDays(40).AddSeconds(-1)), now: Day1.AddDays(40)));
        Canonical.Accepted(s.TrySession(Session(course, Day1.AddDays(40))));
    }

    [Fact]
    public void A_withdrawal_needs_a_consent_in_force_and_comes_after_the_latest_session()
    {
        var s = Registered();
        Canonical.Refused(RuleCodes.NoConsentInForce, Withdraw(s, Day0));

        s = WithCourse(out var course);
        Canonical.Refused(RuleCodes.NoConsentInForce, Withdraw(s, Day0.AddSeconds(-1)));
        Canonical.Accepted(Withdraw(s, Day0));
        s.Session(course, Day1);
        Canonical.Refused(RuleCodes.OutOfOrder, Withdraw(s, Day1.AddSeconds(-1), now: Day1));
        Canonical.Accepted(Withdraw(s, Day1));
        s.Given(Withdraw(s, Day1));
        Canonical.Refused(RuleCodes.NoConsentInForce, Withdraw(s, Day1.AddHours(1)));
    }

    [Fact]
    public void A_withdrawal_dated_more_than_five_minutes_ahead_is_refused()
    {
        var s = WithCourse(out _);
        Canonical.Accepted(Withdraw(s, Day1.AddMinutes(5), now: Day1));
        Canonical.Refused(RuleCodes.FutureTime, Withdraw(s, Day1.AddMinutes(5).AddSeconds(1), now: Day1));
    }
}
