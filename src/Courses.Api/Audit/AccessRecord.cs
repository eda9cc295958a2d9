using Marten.Schema.Indexing.Unique;
using NpgsqlTypes;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Functions;
using Weasel.Postgresql.Tables;
using Weasel.Postgresql.Triggers;

namespace Courses.Api.Audit;

/// <summary>
/// One read of a client's personal or clinical data: who read it, when, through which route, about which clients,
/// from which request, and what the service answered. Tenanted like every document: a clinic's log is its own.
/// Inserted once by <see cref="AccessLog"/>; nothing in the service updates or deletes it, and the database refuses to.
/// </summary>
public sealed class AccessRecord
{
    /// <summary>UUIDv7 from the injected clock: ids sort by the time they were taken.</summary>
    public required Guid Id { get; init; }
    public required DateTimeOffset At { get; init; }

    /// <summary>The token's <c>sub</c>.</summary>
    public required string UserId { get; init; }
    public required string Method { get; init; }

    /// <summary>The route template, e.g. <c>/api/clients/{clientId}/courses</c>: the kind of data read.</summary>
    public required string Route { get; init; }

    /// <summary>The client read, or every client a list disclosed; empty when the route named no valid client.</summary>
    public required Guid[] ClientIds { get; init; }
    public required int Status { get; init; }

    /// <summary>The W3C trace id: the same id problem bodies carry, and Wolverine's correlation id on events.</summary>
    public required string TraceId { get; init; }
    public required string RequestId { get; init; }
}

public static class AccessLogStorage
{
    /// <summary>
    /// The indexes behind <c>GET /api/audit/access</c> (client id, time window per clinic), and a trigger that makes
    /// PostgreSQL refuse UPDATE and DELETE on the log; <c>db-apply</c> creates both with the rest of the schema.
    /// </summary>
    public static void AddAccessLog(this StoreOptions options)
    {
        options.Schema.For<AccessRecord>()
            // A client's reads are few: the GIN index finds them, and the time window filters those. Without a client,
            // (at, tenant_id) walks the clinic's window newest first.
            .Duplicate(x => x.At, "timestamp with time zone", NpgsqlDbType.TimestampTz,
                index => index.TenancyScope = TenancyScope.PerTenant, notNull: true)
            .Duplicate(x => x.ClientIds, "uuid[]", NpgsqlDbType.Array | NpgsqlDbType.Uuid,
                index => index.Method = IndexMethod.gin, notNull: true);

        // A feature, not ExtendedSchemaObjects: Marten applies features after the document tables the trigger needs.
        options.Storage.Add(new AccessLogAppendOnly(options.DatabaseSchemaName));
    }
}

/// <summary>The trigger, and its function, through which PostgreSQL refuses UPDATE and DELETE on the access log.</summary>
public sealed class AccessLogAppendOnly(string schema) : FeatureSchemaBase("AccessLogAppendOnly", new PostgresqlMigrator())
{
    public const string FunctionName = "courses_access_log_append_only";

    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var function = $"{schema}.{FunctionName}";
        yield return Function.ForSql($"""
            CREATE OR REPLACE FUNCTION {function}()
             RETURNS trigger
             LANGUAGE plpgsql
            AS $function$
            BEGIN
              RAISE EXCEPTION 'the access log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
                USING ERRCODE = 'insufficient_privilege';
            END;
            $function$;
            """);
        // Row-level only: TRUNCATE (a table owner's act, used by the test harness's reset) stays possible. One trigger
        // per event: PostgreSQL renders "DELETE OR UPDATE" where Weasel writes "UPDATE OR DELETE", and Weasel would
        // then see a change to apply on every db-apply.
        foreach (var (name, refused) in new[] { ("access_log_no_update", TriggerEvents.Update), ("access_log_no_delete", TriggerEvents.Delete) })
            yield return new Trigger($"{schema}.{name}", $"{schema}.mt_doc_accessrecord", $"{function}()")
            {
                Timing = TriggerTiming.Before,
                Events = refused,
                ForEachRow = true,
            };
    }
}
