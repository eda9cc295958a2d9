using System.Text.Json;
using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Marten.Events;

namespace Courses.Api.Tests.ReadSide;

/// <summary>Stories for the async read side: sessions on any area, lot and practitioner, and a wait for the daemon.</summary>
public abstract class ReadSideContext(AppFixture fixture) : StoryContext(fixture)
{
    protected static object PlanOf(string area, decimal startingDepthMm, int sessions) => new
    {
        areas = new[] { new { area, startingDepthMm } },
        serum = new { product = "HydraBoost", lot = "L-100" },
        plannedSessions = sessions,
    };

    /// <summary>A session body at the clock's now; numbing whenever the protocol asks for it (above 1.0 mm).</summary>
    protected object Treatment(string area, decimal depthMm, string product = "HydraBoost", string lot = "L-100",
        string practitioner = Practitioner) =>
        ClinicRequests.Session(Clock.GetUtcNow(), practitioner, depthMm, area, product, lot, numbing: depthMm > 1.0m);

    protected async Task<Guid> Treated(Guid client, Guid course, object treatment) =>
        (await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/sessions", treatment, 201)).GetProperty("sessionId").GetGuid();

    protected async Task<Guid> Maintained(Guid client, Guid course, object treatment) =>
        (await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/maintenance-sessions", treatment, 201)).GetProperty("sessionId").GetGuid();

    /// <summary>A client with a course planned under <paramref name="plan"/>, everything dated at the clock's now.</summary>
    protected async Task<(Guid Client, Guid Course)> ClientPlanned(string name, object plan)
    {
        var client = await RegisteredClient(name);
        await Screened(client);
        await Consented(client);
        return (client, await PlannedCourse(client, await BookedConsultation(client), plan));
    }

    protected async Task<JsonElement> Read(string role, string url, int status = 200, string clinic = Tokens.Clinic)
    {
        var result = await As(role, s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(status);
        }, clinic);
        return await result.ReadAsJsonAsync<JsonElement>();
    }

    protected Task Forbidden(string role, string url, string clinic = Tokens.Clinic) =>
        As(role, s =>
        {
            s.Get.Url(url);
            s.StatusCodeShouldBe(403);
        }, clinic);

    protected Task NonStale() => Fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
}
