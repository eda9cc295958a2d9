using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;
using Weasel.Postgresql.Views;

namespace Courses.Api.Analytics;

/// <summary>
/// The analytics read models as SQL views in their own schema (<c>Marten:BiSchema</c>, default <c>courses_bi</c>), for
/// BI tools. Each view shows only the rows of the clinic its login was granted (<see cref="BiLogins"/>): a per-clinic
/// login reads these views and nothing else. Counts only: no names, no client ids, no free text.
/// </summary>
public static class AnalystViews
{
    public const string MonthlyStats = "clinic_monthly_stats";
    public const string MonthlyBreakdown = "clinic_monthly_breakdown";
    public const string SerumLots = "serum_lot_usage";
    public const string Lots = "lot_usage";

    /// <summary>Which login reads which clinic; kept beside the read models, where BI logins cannot read it.</summary>
    public const string LoginsTable = "bi_logins";

    public static void AddAnalystViews(this StoreOptions options, AnalystSchemas settings) =>
        // A feature, so Marten creates it after the document tables the views read.
        options.Storage.Add(new AnalystViewsFeature(settings.DocumentSchema, settings.BiSchema));

    /// <summary>The group role every BI login of this schema belongs to; it holds the SELECT grants.</summary>
    public static string ReaderRole(AnalystSchemas settings) => $"{settings.BiSchema}_reader";
}

/// <summary>
/// Views with <c>security_barrier</c>, filtering on the login's clinic: row-level security for views, since PostgreSQL's
/// own policies apply to tables, and the tables here belong to the service. The views run with their owner's rights,
/// so a login needs no right on the tables, nor on the login map.
/// </summary>
public sealed class AnalystViewsFeature(string documents, string bi) : FeatureSchemaBase("AnalystViews", new PostgresqlMigrator())
{
    private string ClinicOfLogin => $"(SELECT l.clinic FROM {documents}.{AnalystViews.LoginsTable} l WHERE l.role_name = current_user)";

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var logins = new Table($"{documents}.{AnalystViews.LoginsTable}");
        logins.AddColumn<string>("role_name").AsPrimaryKey();
        logins.AddColumn<string>("clinic").NotNull();
        yield return logins;

        var stats = $"{documents}.mt_doc_clinicmonthlystats";
        string Count(string member, string column) => $"(d.data->>'{member}')::int AS {column}";

        yield return new BarrierView($"{bi}.{AnalystViews.MonthlyStats}", $"""
            SELECT d.tenant_id AS clinic, d.id AS month,
              {Count("consultationsBooked", "consultations_booked")}, {Count("consultationsCompleted", "consultations_completed")},
              {Count("consultationsDeclined", "consultations_declined")}, {Count("conversions", "conversions")},
              {Count("coursesPlanned", "courses_planned")}, {Count("coursesCompleted", "courses_completed")},
              {Count("coursesCancelled", "courses_cancelled")}, {Count("sessions", "sessions")},
              {Count("maintenanceSessions", "maintenance_sessions")}, {Count("reactions", "reactions")}
            FROM {stats} d
            WHERE d.tenant_id IN {ClinicOfLogin}
            """);

        // Decline reasons are typed by staff and may name someone: the API shows only reasons shared by several
        // declines, and this view leaves them out altogether.
        var breakdowns = new[]
        {
            ("sessions_by_depth_band", "sessionsByDepthBand"), ("reactions_by_kind", "reactionsByKind"),
            ("reactions_by_severity", "reactionsBySeverity"), ("reactions_by_depth_band", "reactionsByDepthBand"),
            ("reactions_by_serum", "reactionsBySerum"), ("reactions_by_practitioner", "reactionsByPractitioner"),
            ("reactions_by_numbing_cream", "reactionsByNumbingCream"), ("reactions_by_needle_cartridge", "reactionsByNeedleCartridge"),
        };
        yield return new BarrierView($"{bi}.{AnalystViews.MonthlyBreakdown}", $"""
            SELECT d.tenant_id AS clinic, d.id AS month, b.dimension, e.key, e.value::int AS count
            FROM {stats} d
            CROSS JOIN LATERAL (VALUES {string.Join(", ", breakdowns.Select(x => $"('{x.Item1}', d.data->'{x.Item2}')"))}) AS b(dimension, counts)
            CROSS JOIN LATERAL jsonb_each_text(coalesce(b.counts, '{"{}"}'::jsonb)) AS e(key, value)
            WHERE d.tenant_id IN {ClinicOfLogin}
            """);

        // Per lot, how much it was used; which clients it reached stays behind the recall route. Serum lots keep their own view.
        // Documents store a product's kind by its .NET name; the view speaks the API's camelCase.
        const string kind = "lower(left(s->>'kind', 1)) || substr(s->>'kind', 2)";
        string LotView(string kindColumn, string kindFilter) => $"""
            SELECT d.tenant_id AS clinic, d.lot_key AS lot,{kindColumn} min(s->>'product') AS product,
              count(*) AS sessions, count(*) FILTER (WHERE (s->>'maintenance')::boolean) AS maintenance_sessions,
              count(DISTINCT d.id) AS clients,
              min((s->>'performedAt')::timestamptz) AS first_used_at, max((s->>'performedAt')::timestamptz) AS last_used_at
            FROM {documents}.mt_doc_lotusage d
            CROSS JOIN LATERAL jsonb_array_elements(d.data->'sessions') s
            WHERE d.tenant_id IN {ClinicOfLogin}{kindFilter}
            GROUP BY d.tenant_id, d.lot_key{(kindColumn.Length > 0 ? $", {kind}" : "")}
            """;
        yield return new BarrierView($"{bi}.{AnalystViews.SerumLots}", LotView("", $" AND s->>'kind' = '{nameof(ProductKind.Serum)}'"));
        yield return new BarrierView($"{bi}.{AnalystViews.Lots}", LotView($" {kind} AS kind,", ""));
    }

    /// <summary>
    /// A view that PostgreSQL keeps from leaking filtered-out rows through functions in a caller's query. Weasel
    /// recreates views on every apply; the grants survive through the schema's default privileges (<see cref="BiLogins"/>).
    /// </summary>
    private sealed class BarrierView(string name, string sql) : View(name, sql)
    {
        protected override string GetCreationOptions() => "WITH (security_barrier = true)";
    }
}

/// <summary>Creates, or updates, a login that reads the analyst views of one clinic, and nothing else.</summary>
/// <summary>Where the analysts' views live, and the schema of the read models they read.</summary>
public sealed record AnalystSchemas(string DocumentSchema, string BiSchema);

public static class BiLogins
{
    public static bool IsValidLogin(string login) =>
        login.Length is > 0 and <= 63 && (char.IsAsciiLetterLower(login[0]) || login[0] == '_') &&
        login.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_');

    /// <summary>The SQL that grants <paramref name="login"/> its clinic's views; README documents the same statements.</summary>
    public static string Sql(AnalystSchemas settings, string clinic, string login, string password)
    {
        var reader = AnalystViews.ReaderRole(settings);
        string Literal(string value) => "'" + value.Replace("'", "''") + "'";
        return $"""
            DO $$ BEGIN
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {Literal(reader)}) THEN CREATE ROLE {reader} NOLOGIN; END IF;
              IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {Literal(login)}) THEN CREATE ROLE {login} LOGIN; END IF;
            END $$;
            ALTER ROLE {login} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT PASSWORD {Literal(password)};
            GRANT {reader} TO {login};
            GRANT USAGE ON SCHEMA {settings.BiSchema} TO {reader};
            GRANT SELECT ON ALL TABLES IN SCHEMA {settings.BiSchema} TO {reader};
            ALTER DEFAULT PRIVILEGES IN SCHEMA {settings.BiSchema} GRANT SELECT ON TABLES TO {reader};
            INSERT INTO {settings.DocumentSchema}.{AnalystViews.LoginsTable} (role_name, clinic) VALUES ({Literal(login)}, {Literal(clinic)})
              ON CONFLICT (role_name) DO UPDATE SET clinic = excluded.clinic;
            """;
    }

    public static async Task GrantAsync(string connectionString, AnalystSchemas settings, string clinic, string login, string password,
        CancellationToken cancellation)
    {
        if (!IsValidLogin(login)) throw new ArgumentException("A login is 1–63 lower-case letters, digits or _, not starting with a digit.", nameof(login));
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(cancellation);
        await using var command = new NpgsqlCommand(Sql(settings, clinic, login, password), connection, transaction);
        await command.ExecuteNonQueryAsync(cancellation);
        await transaction.CommitAsync(cancellation);
    }
}
