using System.Data.Common;
using Courses.Domain.Clients;
using JasperFx.Events;
using Marten;
using Marten.Schema.Indexing.Unique;
using Marten.Events.Aggregation;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;

namespace Courses.Projections.Clients;

/// <summary>
/// What the front desk can find a client by, kept apart from the profile so that an erased client has no entry at
/// all: nothing left to match, not even the date of birth.
/// </summary>
public sealed record ClientSearchEntry
{
    public Guid Id { get; init; }
    public required string Name { get; init; }
    public DateOnly DateOfBirth { get; init; }
    /// <summary>Lower-cased, as searched.</summary>
    public string? Email { get; init; }
    public string? PhoneDigits { get; init; }
}

public partial class ClientSearchProjection : SingleStreamProjection<ClientSearchEntry, Guid>
{
    // Only what changes the entry: without this every command on a client loaded the entry and wrote it back, through
    // the fold trigger and the trigram index (0.3 ms of PostgreSQL each time, a sixth of a command's SQL).
    public ClientSearchProjection()
    {
        IncludeType<ClientRegistered>();
        IncludeType<ContactDetailsChanged>();
        IncludeType<ContactDetailsErased>();
    }

    public override ClientSearchEntry? Evolve(ClientSearchEntry? entry, Guid id, IEvent e) => (entry, e.Data) switch
    {
        (_, ClientRegistered r) => new ClientSearchEntry
        {
            Id = r.ClientId, Name = r.FullName, DateOfBirth = r.DateOfBirth, Email = ClientQuery.Email(r.Email),
            PhoneDigits = ClientQuery.PhoneDigits(r.Phone),
        },
        (null, _) => null,
        (var x, ContactDetailsChanged c) => x with { Email = ClientQuery.Email(c.Email), PhoneDigits = ClientQuery.PhoneDigits(c.Phone) },
        (_, ContactDetailsErased) => null,
        (var x, _) => x,
    };
}

/// <summary>
/// PostgreSQL's own fuzzy matching for names: pg_trgm's trigram similarity over names folded by unaccent and lower,
/// with a GIN trigram index on the folded name. db-apply creates all of it; the service only reads.
/// </summary>
public static class ClientSearch
{
    public const string FoldFunction = "courses_fold";
    public const string FoldTrigger = "courses_client_search_fold";
    public const string NameIndex = "courses_client_search_name_trgm";

    /// <summary>
    /// The folded name of a search entry as its row stores it, exactly as the index holds it. Folded once, when the row is
    /// written: unaccent on every candidate of every search cost a search at 100 000 clients ten times its budget.
    /// </summary>
    public static string FoldedName(string alias) => $"({alias}.data ->> 'foldedName')";

    public static string Fold(string schema, string value) => $"{schema}.{FoldFunction}({value})";

    public static void AddClientSearch(this StoreOptions options)
    {
        options.Schema.For<ClientSearchEntry>()
            .Duplicate(x => x.PhoneDigits!, configure: index => index.TenancyScope = TenancyScope.PerTenant)
            .Duplicate(x => x.Email!, configure: index => index.TenancyScope = TenancyScope.PerTenant)
            .Duplicate(x => x.DateOfBirth, configure: index => index.TenancyScope = TenancyScope.PerTenant)
            // The trigram index is the feature's: an expression Weasel would not read back the way it wrote it.
            .IgnoreIndex(NameIndex);
        // A feature, so Marten creates it after the document table it indexes.
        options.Storage.Add(new ClientSearchFeature(options.DatabaseSchemaName));
    }
}

public sealed class ClientSearchFeature(string schema) : FeatureSchemaBase("ClientSearch", new PostgresqlMigrator())
{
    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        yield return new Extension("unaccent");
        yield return new Extension("pg_trgm");
        // unaccent() is only STABLE (its dictionary could change); an index needs IMMUTABLE, hence this wrapper, which
        // names the dictionary and the schema so that no search_path can change what it does. A new body needs a new name:
        // the index is built on this one.
        yield return new CreatedOnce(Name(ClientSearch.FoldFunction), $"""
            CREATE OR REPLACE FUNCTION {schema}.{ClientSearch.FoldFunction}(value text) RETURNS text
            LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
            AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
            """, $"DROP FUNCTION IF EXISTS {schema}.{ClientSearch.FoldFunction}(text) CASCADE;",
            "select 1 from pg_proc f join pg_namespace n on n.oid = f.pronamespace where n.nspname = ", " and f.proname = ");
        var table = $"{schema}.mt_doc_clientsearchentry";
        yield return new CreatedOnce(Name(ClientSearch.FoldTrigger), $"""
            CREATE OR REPLACE FUNCTION {schema}.{ClientSearch.FoldTrigger}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              NEW.data := jsonb_set(NEW.data, '{"{foldedName}"}', to_jsonb({schema}.{ClientSearch.FoldFunction}(NEW.data ->> 'name')));
              RETURN NEW;
            END $$;
            """, $"DROP FUNCTION IF EXISTS {schema}.{ClientSearch.FoldTrigger}() CASCADE;",
            "select 1 from pg_proc f join pg_namespace n on n.oid = f.pronamespace where n.nspname = ", " and f.proname = ");
        // Marten writes the row (upsert, rebuild, bulk copy alike); PostgreSQL adds the folded name to it on the way in.
        yield return new CreatedOnce(new PostgresqlObjectName(schema, $"{ClientSearch.FoldTrigger}_on_write", SchemaUtils.IdentifierUsage.General), $"""
            CREATE TRIGGER {ClientSearch.FoldTrigger}_on_write BEFORE INSERT OR UPDATE ON {table}
              FOR EACH ROW EXECUTE FUNCTION {schema}.{ClientSearch.FoldTrigger}();
            UPDATE {table} SET data = data;
            """, $"DROP TRIGGER IF EXISTS {ClientSearch.FoldTrigger}_on_write ON {table};",
            "select 1 from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace where n.nspname = ",
            " and t.tgname = ");
        yield return new CreatedOnce(Name(ClientSearch.NameIndex), $"""
            CREATE INDEX IF NOT EXISTS {ClientSearch.NameIndex} ON {table} USING gin ({ClientSearch.FoldedName("mt_doc_clientsearchentry")} public.gin_trgm_ops);
            """, $"DROP INDEX IF EXISTS {schema}.{ClientSearch.NameIndex};",
            "select 1 from pg_indexes where schemaname = ", " and indexname = ");
    }

    private PostgresqlObjectName Name(string name) => new(schema, name, SchemaUtils.IdentifierUsage.General);

    /// <summary>
    /// An object db-apply creates when it is missing and otherwise leaves be: PostgreSQL keeps a function body and an index
    /// expression in its own rewritten form, which Weasel would read as a difference on every check.
    /// </summary>
    private sealed class CreatedOnce(PostgresqlObjectName name, string create, string drop, string schemaIs, string nameIs) : ISchemaObject
    {
        public DbObjectName Identifier => name;

        public void WriteCreateStatement(Migrator migrator, TextWriter writer) => writer.WriteLine(create);

        public void WriteDropStatement(Migrator rules, TextWriter writer) => writer.WriteLine(drop);

        public void ConfigureQueryCommand(Weasel.Core.DbCommandBuilder builder)
        {
            builder.Append(schemaIs);
            builder.AppendParameter(name.Schema);
            builder.Append(nameIs);
            builder.AppendParameter(name.Name);
            builder.Append(";");
        }

        public async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct) =>
            new SchemaObjectDelta(this, await reader.ReadAsync(ct) ? SchemaPatchDifference.None : SchemaPatchDifference.Create);

        public IEnumerable<DbObjectName> AllNames()
        {
            yield return Identifier;
        }
    }
}
