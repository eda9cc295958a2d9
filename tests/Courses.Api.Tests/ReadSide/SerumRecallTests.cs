using Courses.Api.Http;
using Courses.Api.Recall;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.ReadSide;

public sealed class SerumRecallTests(AppFixture fixture) : ReadSideContext(fixture)
{
    private static string Recall(string lot) => $"/api/serum-lots/{Uri.EscapeDataString(lot)}/clients";

    private static readonly DateTimeOffset Jan5 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb5 = new(2026, 2, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb8 = new(2026, 2, 8, 9, 0, 0, TimeSpan.Zero);

    private Task<SerumLotClients> Recalled(string lot, string role = Roles.Practitioner) => Read<SerumLotClients>(Recall(lot), role);

    [Fact]
    public async Task A_recall_lists_every_client_and_session_that_used_the_lot_however_it_was_typed()
    {
        // Ann: two course sessions with L-100 (the second typed " l-100 ") completing her course, then maintenance with L-200.
        var (ann, annCourse) = await ClientPlanned("Ann Lee", PlanOf("face", 0.5m, sessions: 2));
        var ann1 = await Treated(ann, annCourse, Treatment("face", 0.5m, lot: "L-100"));
        var (bea, beaCourse) = await ClientPlanned("Bea Kim", PlanOf("face", 0.5m, sessions: 3));
        var bea1 = await Treated(bea, beaCourse, Treatment("face", 0.5m, product: "PeptidePlus", lot: "L-100"));
        var (cy, cyCourse) = await ClientPlanned("Cy Dunn", PlanOf("face", 0.5m, sessions: 3));
        var cy1 = await Treated(cy, cyCourse, Treatment("face", 0.5m, lot: "L-200"));
        Clock.Set(Feb5);
        var ann2 = await Treated(ann, annCourse, Treatment("face", 0.5m, lot: " l-100 "));
        Clock.Set(Feb8);
        var annMaintenance = await Maintained(ann, annCourse, Treatment("face", 0.5m, lot: "L-200"));
        await NonStale();

        // Clients by name, each with the sessions that used the lot in the order performed.
        ReadModel.Equal(new SerumLotClients("L-100",
        [
            new RecalledClient(ann, "Ann Lee",
            [
                new RecalledSession(ann1, annCourse, Jan5, "HydraBoost", Maintenance: false),
                new RecalledSession(ann2, annCourse, Feb5, "HydraBoost", Maintenance: false),
            ]),
            new RecalledClient(bea, "Bea Kim", [new RecalledSession(bea1, beaCourse, Jan5, "PeptidePlus", Maintenance: false)]),
        ]), await Recalled("L-100"));

        // The lot in the URL is matched the same way: trimmed, any case.
        ReadModel.Equal(new SerumLotClients("L-200",
        [
            new RecalledClient(ann, "Ann Lee", [new RecalledSession(annMaintenance, annCourse, Feb8, "HydraBoost", Maintenance: true)]),
            new RecalledClient(cy, "Cy Dunn", [new RecalledSession(cy1, cyCourse, Jan5, "HydraBoost", Maintenance: false)]),
        ]), await Recalled(" l-200", Roles.Admin));

        var unknown = await Read(Roles.Practitioner, Recall("L-999"), 404);
        Assert.Equal(404, unknown.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Another_clinic_does_not_know_the_lot_and_only_practitioners_and_admins_may_recall()
    {
        var (client, course) = await ClientPlanned("Ann Lee", PlanOf("face", 0.5m, sessions: 3));
        await Treated(client, course, Treatment("face", 0.5m, lot: "L-100"));
        await NonStale();

        await Read(Roles.Practitioner, Recall("L-100"));
        await Read(Roles.Practitioner, Recall("L-100"), 404, Tokens.OtherClinic);
        await Read(Roles.Admin, Recall("L-100"), 404, Tokens.OtherClinic);
        await Forbidden(Roles.Analyst, Recall("L-100"));
        await Forbidden(Roles.Reception, Recall("L-100"));
        await Forbidden(Roles.Auditor, Recall("L-100"));
    }
}
