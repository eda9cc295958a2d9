using System.Collections.Immutable;
using Courses.Api.Analytics;
using Courses.Api.Hosting;
using Courses.Api.Tests.Harness;
using Courses.Domain;
using Courses.Projections.Analytics;
using Courses.Projections.Recall;
using Marten;
using Npgsql;

namespace Courses.Api.Tests.Connecting;

/// <summary>BI access: a per-clinic PostgreSQL login reads its clinic's analytics views, and nothing else.</summary>
public sealed class AnalystViewsTests(AppFixture fixture) : IntegrationContext(fixture)
{
    private static readonly StoreSettings Settings = new()
    {
        DocumentSchema = "courses_test", EventSchema = "courses_test_events", MessageSchema = "courses_test_messages", BiSchema = "courses_test_bi",
    };

    private async Task Stored(string clinic, int sessions, string reactionKind, string lot, params Guid[] clients)
    {
        await using var session = Fixture.Store.LightweightSession(clinic);
        session.Store(new ClinicMonthlyStats
        {
            Id = "2026-01",
            Sessions = sessions,
            Reactions = 1,
            ReactionsByKind = ImmutableDictionary<string, int>.Empty.Add(reactionKind, 1),
            DeclineReasons = ImmutableDictionary<string, int>.Empty.Add("moving away, says Jane", 1),
        });
        var sessionsOfLot = clients.Select((client, i) => new LotSession(client, Guid.NewGuid(), Guid.NewGuid(),
            new DateTimeOffset(2026, 1, 5 + i, 10, 0, 0, TimeSpan.Zero), "HydraBoost", false))
            .Append(new LotSession(clients[0], Guid.NewGuid(), Guid.NewGuid(), new DateTimeOffset(2026, 1, 20, 10, 0, 0, TimeSpan.Zero),
                "NanoTip 36", false, ProductKind.NeedleCartridge));
        foreach (var ofClient in sessionsOfLot.GroupBy(s => s.ClientId))
            session.Store(new LotUsage
            {
                Id = LotUsage.IdFor(LotUsage.Key(lot), ofClient.Key),
                LotKey = LotUsage.Key(lot),
                Lot = lot,
                ClientId = ofClient.Key,
                Sessions = [.. ofClient],
            });
        await session.SaveChangesAsync();
    }

    private static async Task<List<object?[]>> Rows(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            reader.GetValues(row!);
            rows.Add(row);
        }
        return rows;
    }

    private static async Task Denied(NpgsqlConnection connection, string sql)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => Rows(connection, sql));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
    }

    [Fact]
    public async Task A_clinic_login_reads_its_clinics_analytics_views_and_nothing_else()
    {
        var ann = Guid.NewGuid();
        await Stored(Tokens.Clinic, sessions: 4, reactionKind: "redness", lot: "L-A", ann, ann);
        await Stored(Tokens.OtherClinic, sessions: 9, reactionKind: "bruising", lot: "L-B", Guid.NewGuid());

        var login = $"bi_test_{Guid.NewGuid():N}"[..24];
        const string password = "analyst-password-1";
        await BiLogins.GrantAsync(Fixture.ConnectionString, Settings.AnalystSchemas, Tokens.Clinic, login, password, CancellationToken.None);
        try
        {
            var asLogin = new NpgsqlConnectionStringBuilder(Fixture.ConnectionString) { Username = login, Password = password, Pooling = false };
            await using var connection = new NpgsqlConnection(asLogin.ConnectionString);
            await connection.OpenAsync();

            var months = await Rows(connection, "select clinic, month, sessions, reactions from courses_test_bi.clinic_monthly_stats");
            Assert.Equal([Tokens.Clinic, "2026-01", 4, 1], Assert.Single(months));

            var breakdown = await Rows(connection, "select clinic, dimension, key, count from courses_test_bi.clinic_monthly_breakdown");
            Assert.All(breakdown, row => Assert.Equal(Tokens.Clinic, row[0]));
            Assert.Contains(breakdown, row => row[1] is "reactions_by_kind" && row[2] is "redness" && (int)row[3]! == 1);
            Assert.DoesNotContain(breakdown, row => row[2] is "bruising" || (row[2] as string)!.Contains("Jane"));

            var lots = await Rows(connection, "select clinic, lot, product, sessions, clients from courses_test_bi.serum_lot_usage");
            Assert.Equal([Tokens.Clinic, "L-A", "HydraBoost", 2L, 1L], Assert.Single(lots));
            var anyLots = await Rows(connection, "select clinic, lot, kind, product, sessions from courses_test_bi.lot_usage order by kind");
            Assert.Equal([[Tokens.Clinic, "L-A", "needleCartridge", "NanoTip 36", 1L], [Tokens.Clinic, "L-A", "serum", "HydraBoost", 2L]], anyLots);

            // Nothing but the views: not the read models, not the login map, not the events; and no writing.
            await Denied(connection, "select * from courses_test.mt_doc_clinicmonthlystats");
            await Denied(connection, $"select * from courses_test.{AnalystViews.LoginsTable}");
            await Denied(connection, "select * from courses_test_events.mt_events");
            await Denied(connection, "delete from courses_test_bi.clinic_monthly_stats");

            // A schema migration recreates the views; the login still reads them.
            await Fixture.Store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
            Assert.Single(await Rows(connection, "select month from courses_test_bi.clinic_monthly_stats"));
        }
        finally
        {
            await using var admin = new NpgsqlConnection(Fixture.ConnectionString);
            await admin.OpenAsync();
            await using var drop = new NpgsqlCommand(
                $"delete from courses_test.{AnalystViews.LoginsTable} where role_name = '{login}'; drop role if exists {login};", admin);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Theory]
    [InlineData("analyst_a", true)]
    [InlineData("_bi", true)]
    [InlineData("Analyst", false)]
    [InlineData("1analyst", false)]
    [InlineData("x; drop role postgres", false)]
    [InlineData("", false)]
    public void A_login_name_is_a_plain_lower_case_identifier(string login, bool valid) =>
        Assert.Equal(valid, BiLogins.IsValidLogin(login));
}
