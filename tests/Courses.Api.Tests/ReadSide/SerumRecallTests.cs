using System.Text.Json;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;

namespace Courses.Api.Tests.ReadSide;

public sealed class SerumRecallTests(AppFixture fixture) : ReadSideContext(fixture)
{
    private static string Recall(string lot) => $"/api/serum-lots/{Uri.EscapeDataString(lot)}/clients";

    private static readonly DateTimeOffset Jan5 = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb5 = new(2026, 2, 5, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Feb8 = new(2026, 2, 8, 9, 0, 0, TimeSpan.Zero);

    private static (string? Name, (Guid Session, DateTimeOffset PerformedAt, bool Maintenance)[] Sessions)[] Clients(JsonElement answer) =>
        answer.GetProperty("clients").EnumerateArray()
            .Select(c => (c.GetProperty("fullName").GetString(), c.GetProperty("sessions").EnumerateArray()
                .Select(s => (s.GetProperty("sessionId").GetGuid(), s.GetProperty("performedAt").GetDateTimeOffset(), s.GetProperty("maintenance").GetBoolean()))
                .ToArray()))
            .ToArray();

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

        var l100 = await Read(Roles.Practitioner, Recall("L-100"));
        Assert.Equal("L-100", l100.GetProperty("lot").GetString());
        var clients = Clients(l100);
        Assert.Equal(["Ann Lee", "Bea Kim"], clients.Select(c => c.Name));
        Assert.Equal([(ann1, Jan5, false), (ann2, Feb5, false)], clients[0].Sessions);
        Assert.Equal([(bea1, Jan5, false)], clients[1].Sessions);
        var first = l100.GetProperty("clients")[0];
        Assert.Equal(ann, first.GetProperty("clientId").GetGuid());
        Assert.Equal(annCourse, first.GetProperty("sessions")[0].GetProperty("courseId").GetGuid());
        Assert.Equal("PeptidePlus", l100.GetProperty("clients")[1].GetProperty("sessions")[0].GetProperty("product").GetString());

        // The lot in the URL is matched the same way: trimmed, any case.
        var l200 = Clients(await Read(Roles.Admin, Recall(" l-200")));
        Assert.Equal(["Ann Lee", "Cy Dunn"], l200.Select(c => c.Name));
        Assert.Equal([(annMaintenance, Feb8, true)], l200[0].Sessions);
        Assert.Equal([(cy1, Jan5, false)], l200[1].Sessions);

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
