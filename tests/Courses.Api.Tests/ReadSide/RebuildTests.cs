using Alba;
using Courses.Api.Hosting;
using Courses.Api.Http;
using Courses.Projections;
using Courses.Api.Tests.Harness;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
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

        // The one-pass rebuild of `projections rebuild`: every read model a member of one composite, each page read once.
        // A stray row proves it clears the tables before it replays.
        var stray = Guid.NewGuid();
        await using (var connection = new NpgsqlConnection(Fixture.ConnectionString))
        {
            await connection.OpenAsync();
            var courses = tables.Single(t => t.EndsWith(".mt_doc_courseprogress"));
            await using var insert = new NpgsqlCommand(
                $"insert into {courses} (tenant_id, id, data, mt_dotnet_type) select tenant_id, '{stray}', data, mt_dotnet_type from {courses} limit 1",
                connection);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
        }
        await using (var onePass = OnePassRebuildHost())
        {
            var store = onePass.Services.GetRequiredService<IDocumentStore>();
            Assert.Contains(((StoreOptions)store.Options).Projections.All, p => p.Name == ReadModels.OnePass && p.Lifecycle == ProjectionLifecycle.Async);
            using var composite = await store.BuildProjectionDaemonAsync();
            await composite.RebuildProjectionAsync(ReadModels.OnePass, TimeSpan.FromSeconds(60), CancellationToken.None);
        }
        Assert.Equal(live, await ReadModelRowsAsync(tables));
    }

    /// <summary>The service's own store configuration as `projections rebuild` builds it (not started: no daemon runs).</summary>
    private WebApplication OnePassRebuildHost()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        var schema = Fixture.Store.Options.DatabaseSchemaName;
        builder.Configuration[$"ConnectionStrings:{Persistence.ConnectionStringName}"] = Fixture.ConnectionString;
        builder.Configuration["Marten:DocumentSchema"] = schema;
        builder.Configuration["Marten:EventSchema"] = Fixture.EventSchema;
        builder.Configuration["Marten:MessageSchema"] = $"{schema}_messages";
        builder.Configuration["Marten:BiSchema"] = $"{schema}_bi";
        ProjectionRebuild.Configure(builder, ["projections", "rebuild"]);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddCoursesPersistence();
        return builder.Build();
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
