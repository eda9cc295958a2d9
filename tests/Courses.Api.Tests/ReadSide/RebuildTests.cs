using Alba;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Npgsql;

namespace Courses.Api.Tests.ReadSide;

/// <summary>Projections use business time and the events only, so a rebuild reproduces every read model exactly.</summary>
public sealed class RebuildTests(AppFixture fixture) : StoryContext(fixture)
{
    [Fact]
    public async Task Rebuilding_every_projection_from_the_events_gives_the_live_documents()
    {
        var (client, course) = await ClientWithPlannedCourse(Plan(sessions: 2));
        await Assessed(client, Assessment(Clock.GetUtcNow().AddMinutes(-10), "baseline", [Score("fineLines", 3, "face"), Score("fitzpatrick", 3)]));
        var session = (await Post(Roles.Practitioner, $"/api/clients/{client}/courses/{course}/sessions",
            ClinicRequests.TracedSession(Clock.GetUtcNow(), Practitioner, 0.5m), 201)).GetProperty("sessionId").GetGuid();
        Clock.Advance(TimeSpan.FromDays(2));
        await Assessed(client, Assessment(Clock.GetUtcNow(), "healingCheck", [Score("erythema", 1, "face")], sessionId: session));
        Clock.Advance(TimeSpan.FromDays(20));
        await Assessed(client, Assessment(Clock.GetUtcNow(), "outcome", [Score("gais", 2), Score("fineLines", 2, "face")], courseId: course));
        Clock.Advance(TimeSpan.FromDays(8));
        await Post(Roles.Practitioner, $"/api/clients/{client}/reactions",
            new { occurredAt = At(Clock.GetUtcNow()), kind = "infection", severity = "moderate" }, 201);
        await As(Roles.Reception, s =>
        {
            s.Post.Json(new { fullName = "Other Clinic", dateOfBirth = "1980-01-01" }).ToUrl("/api/clients");
            s.StatusCodeShouldBe(201);
        }, clinic: Tokens.OtherClinic);
        await Fixture.Store.WaitForNonStaleProjectionDataAsync(TimeSpan.FromSeconds(30));
        var options = (StoreOptions)Fixture.Store.Options;
        var projections = options.Projections.All.Where(p => p.Lifecycle != ProjectionLifecycle.Live).ToArray();
        var tables = projections.SelectMany(p => p.PublishedTypes())
            .Select(type => Fixture.Store.Options.FindOrResolveDocumentType(type).TableName.QualifiedName).Distinct().Order().ToArray();
        var live = await ReadModelRowsAsync(tables);
        Assert.Contains(live, row => row.Contains("mt_doc_courseprogress") && row.Contains("\"gais\": 2"));
        Assert.Contains(live, row => row.Contains("mt_doc_skinevolution"));
        Assert.Contains(live, row => row.Contains("mt_doc_clinicoutcomestats"));
        Assert.Contains(live, row => row.Contains("mt_doc_lotusage") && row.Contains("C-2207") && row.Contains("NeedleCartridge"));

        using var daemon = await Fixture.Store.BuildProjectionDaemonAsync();
        foreach (var projection in projections)
            await daemon.RebuildProjectionAsync(projection.Name, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(live, await ReadModelRowsAsync(tables));
    }

    /// <summary>Every row of the given read-model tables, every clinic, as table, tenant, id and the JSON stored.</summary>
    private async Task<List<string>> ReadModelRowsAsync(IEnumerable<string> tables)
    {
        await using var connection = new NpgsqlConnection(Fixture.ConnectionString);
        await connection.OpenAsync();
        var rows = new List<string>();
        foreach (var table in tables)
        {
            await using var select = new NpgsqlCommand($"select tenant_id, id::text, data::text from {table} order by tenant_id, id", connection);
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) rows.Add($"{table} {reader.GetString(0)} {reader.GetString(1)} {reader.GetString(2)}");
        }
        return rows;
    }
}
