using System.Text.Json;
using Alba;
using Courses.Api.Hosting;
using Courses.Api.Http;
using Courses.Api.Tests.Harness;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Courses.Api.Tests.Skeleton;

/// <summary>A host with Tenancy:Mode = DatabasePerClinic: each clinic's events, read models and messages in its own database.</summary>
public sealed class DatabasePerClinicFixture : IAsyncLifetime
{
    public string Main { get; } = Database("courses_tests_main");
    public string ClinicA { get; } = Database("courses_tests_clinic_a");
    public string ClinicB { get; } = Database("courses_tests_clinic_b");
    public string ClinicC { get; } = Database("courses_tests_clinic_c");
    public IAlbaHost Host { get; private set; } = null!;

    private static string Database(string name) =>
        new NpgsqlConnectionStringBuilder(TestDatabase.ConnectionString()) { Database = name, Pooling = false }.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        foreach (var database in new[] { Main, ClinicA, ClinicB }) await RecreateAsync(database);
        await DropAsync(ClinicC);
        Host = await AlbaHost.For<Program>(web =>
        {
            web.UseEnvironment("Development");
            web.UseSetting($"ConnectionStrings:{Persistence.ConnectionStringName}", Main);
            web.UseSetting("Tenancy:Mode", "DatabasePerClinic");
            web.UseSetting($"Tenancy:Clinics:{Tokens.Clinic}", ClinicA);
            web.UseSetting($"Tenancy:Clinics:{Tokens.OtherClinic}", ClinicB);
            web.UseSetting("Auth:SigningKey", AppFixture.SigningKey);
            web.UseSetting("Marten:DocumentSchema", "courses_test");
            web.UseSetting("Marten:EventSchema", "courses_test_events");
            web.UseSetting("Marten:MessageSchema", "courses_test_messages");
        });
    }

    private static async Task RecreateAsync(string connectionString)
    {
        await using var admin = await DropAsync(connectionString);
        await using var create = new NpgsqlCommand($"create database \"{new NpgsqlConnectionStringBuilder(connectionString).Database}\"", admin);
        await create.ExecuteNonQueryAsync();
    }

    private static async Task<NpgsqlConnection> DropAsync(string connectionString)
    {
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database!;
        var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"drop database if exists \"{name}\" with (force)", admin);
        await drop.ExecuteNonQueryAsync();
        return admin;
    }

    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();
        await Host.DisposeAsync();
    }
}

public sealed class DatabasePerClinicTests(DatabasePerClinicFixture fixture) : IClassFixture<DatabasePerClinicFixture>
{
    private Task<IScenarioResult> As(string clinic, string role, Action<Scenario> configure) =>
        fixture.Host.Scenario(s =>
        {
            s.WithRequestHeader("Authorization", $"Bearer {Tokens.For(role, clinic)}");
            configure(s);
        });

    private async Task<Guid> Register(string clinic, string name) =>
        (await (await As(clinic, Roles.Reception, s =>
        {
            s.Post.Json(new { fullName = name, dateOfBirth = "1990-04-01" }).ToUrl("/api/clients");
            s.StatusCodeShouldBe(201);
        })).ReadAsJsonAsync<JsonElement>()).GetProperty("clientId").GetGuid();

    private static async Task<List<(Guid Stream, string Tenant, string Data)>> EventsIn(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand(
            "select stream_id, tenant_id, data::text from courses_test_events.mt_events where type <> 'tombstone' order by seq_id", connection);
        await using var reader = await query.ExecuteReaderAsync();
        var events = new List<(Guid, string, string)>();
        while (await reader.ReadAsync()) events.Add((reader.GetGuid(0), reader.GetString(1), reader.GetString(2)));
        return events;
    }

    private static async Task<bool> Exists(string connectionString, string table)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var query = new NpgsqlCommand("select to_regclass(@table) is not null", connection);
        query.Parameters.AddWithValue("table", table);
        return (bool)(await query.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Each_clinics_events_land_in_its_own_database_and_each_clinic_reads_only_its_own()
    {
        var ann = await Register(Tokens.Clinic, "Ann Lee");
        var bea = await Register(Tokens.OtherClinic, "Bea Cole");

        var inA = await EventsIn(fixture.ClinicA);
        var inB = await EventsIn(fixture.ClinicB);
        Assert.Contains(inA, e => e.Stream == ann);
        Assert.DoesNotContain(inA, e => e.Stream == bea);
        Assert.All(inA, e => Assert.Equal(Tokens.Clinic, e.Tenant));
        Assert.Contains(inB, e => e.Stream == bea);
        Assert.DoesNotContain(inB, e => e.Stream == ann);
        Assert.All(inB, e => Assert.Equal(Tokens.OtherClinic, e.Tenant));
        // The main database holds no clinic's data, only the clinic directory (and Wolverine's node records).
        Assert.False(await Exists(fixture.Main, "courses_test_events.mt_events"));
        Assert.True(await Exists(fixture.Main, $"{TenancySettings.DirectorySchema}.mt_tenant_databases"));

        await As(Tokens.Clinic, Roles.Reception, s => { s.Get.Url($"/api/clients/{ann}"); s.StatusCodeShouldBe(200); });
        await As(Tokens.OtherClinic, Roles.Reception, s => { s.Get.Url($"/api/clients/{bea}"); s.StatusCodeShouldBe(200); });
        await As(Tokens.OtherClinic, Roles.Reception, s => { s.Get.Url($"/api/clients/{ann}"); s.StatusCodeShouldBe(404); });
        await As(Tokens.Clinic, Roles.Reception, s => { s.Get.Url($"/api/clients/{bea}"); s.StatusCodeShouldBe(404); });
        // A valid token for a clinic with no database here: refused, never a 500.
        var unknown = await As("clinic-not-configured", Roles.Reception, s =>
        {
            s.Post.Json(new { fullName = "Cai Dunn", dateOfBirth = "1990-04-01" }).ToUrl("/api/clients");
            s.StatusCodeShouldBe(403);
        });
        Assert.Equal("Clinic not served here", (await unknown.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
        await As("clinic-not-configured", Roles.Reception, s => { s.Get.Url($"/api/clients/{ann}"); s.StatusCodeShouldBe(403); });

        // Read models too, and Wolverine's inbox/outbox in every clinic database, its node records in the main one.
        foreach (var clinic in new[] { fixture.ClinicA, fixture.ClinicB })
        {
            Assert.True(await Exists(clinic, "courses_test_messages.wolverine_incoming_envelopes"));
            Assert.True(await Exists(clinic, "courses_test_messages.wolverine_outgoing_envelopes"));
        }
        Assert.True(await Exists(fixture.Main, "courses_test_messages.wolverine_nodes"));
    }

    [Fact]
    public async Task An_erasure_masks_the_stored_events_in_its_clinics_database_only()
    {
        var ann = await Register(Tokens.Clinic, "Ann Erase");
        var twin = await Register(Tokens.OtherClinic, "Ann Erase");

        await As(Tokens.Clinic, Roles.Admin, s =>
        {
            s.Post.Json(new { reason = "client asked to be forgotten" }).ToUrl($"/api/clients/{ann}/erase-contact");
            s.StatusCodeShouldBeOk();
        });

        Assert.DoesNotContain(await EventsIn(fixture.ClinicA), e => e.Stream == ann && e.Data.Contains("Ann Erase", StringComparison.Ordinal));
        Assert.Contains(await EventsIn(fixture.ClinicB), e => e.Stream == twin && e.Data.Contains("Ann Erase", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_clinic_added_while_running_is_served_in_a_database_created_for_it_and_a_retired_one_is_refused()
    {
        const string clinic = "clinic-added-at-run-time";
        await As(clinic, Roles.Reception, s => { s.Get.Url("/api/protocol"); s.StatusCodeShouldBe(403); });

        var directory = fixture.Host.Services.GetRequiredService<ClinicDirectory>();
        await directory.AddAsync(clinic, fixture.ClinicC, CancellationToken.None);
        var cai = await Register(clinic, "Cai Dunn");
        Assert.Contains(await EventsIn(fixture.ClinicC), e => e.Stream == cai && e.Tenant == clinic);
        Assert.DoesNotContain(await EventsIn(fixture.ClinicA), e => e.Stream == cai);
        Assert.True(await Exists(fixture.ClinicC, "courses_test_messages.wolverine_incoming_envelopes"));
        await As(clinic, Roles.Reception, s => { s.Get.Url($"/api/clients/{cai}"); s.StatusCodeShouldBe(200); });

        await directory.RetireAsync(clinic);
        var refused = await As(clinic, Roles.Reception, s => { s.Get.Url($"/api/clients/{cai}"); s.StatusCodeShouldBe(403); });
        Assert.Equal("Clinic not served here", (await refused.ReadAsJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Contains(await EventsIn(fixture.ClinicC), e => e.Stream == cai);
    }
}
