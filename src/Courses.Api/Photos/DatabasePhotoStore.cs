using System.Data;
using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;
using Weasel.Core;
using Weasel.Core.Migrations;
using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Courses.Api.Photos;

/// <summary>
/// Images in PostgreSQL, in the clinic's own database when each clinic has one: a row per clinic and hash, the image and
/// its thumbnail. Needs nothing installed beyond the database the service already uses.
/// </summary>
public sealed class DatabasePhotoStore(IDocumentStore store) : IPhotoStore
{
    public const string TableName = "courses_photo_images";

    private string Table => $"{store.Options.DatabaseSchemaName}.{TableName}";

    public async Task PutAsync(string clinic, string sha256, string contentType, ReadOnlyMemory<byte> image, ReadOnlyMemory<byte> thumbnail,
        DateTimeOffset storedAt, CancellationToken cancellation)
    {
        await Run(clinic, async connection =>
        {
            await using var command = new NpgsqlCommand(
                $"insert into {Table} (tenant_id, sha256, content_type, content, thumbnail, stored_at) values (@clinic, @sha, @type, @content, @thumbnail, @at) " +
                "on conflict (tenant_id, sha256) do nothing", connection);
            command.Parameters.AddWithValue("clinic", clinic);
            command.Parameters.AddWithValue("sha", sha256);
            command.Parameters.AddWithValue("type", contentType);
            command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("content", NpgsqlDbType.Bytea) { TypedValue = image });
            command.Parameters.Add(new NpgsqlParameter<ReadOnlyMemory<byte>>("thumbnail", NpgsqlDbType.Bytea) { TypedValue = thumbnail });
            command.Parameters.AddWithValue("at", storedAt.ToUniversalTime());
            await command.ExecuteNonQueryAsync(cancellation);
            return 0;
        }, cancellation);
    }

    public async Task<OpenImage?> OpenAsync(string clinic, string sha256, ImageSize size, CancellationToken cancellation)
    {
        var connection = await Connect(clinic, cancellation);
        try
        {
            var column = size == ImageSize.Thumbnail ? "thumbnail" : "content";
            var command = new NpgsqlCommand($"select length({column}), {column} from {Table} where tenant_id = @clinic and sha256 = @sha", connection);
            command.Parameters.AddWithValue("clinic", clinic);
            command.Parameters.AddWithValue("sha", sha256);
            // Streamed from the row as it arrives: an image is never held whole in memory here.
            var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellation);
            if (!await reader.ReadAsync(cancellation))
            {
                await reader.DisposeAsync();
                await connection.DisposeAsync();
                return null;
            }
            var length = reader.GetInt32(0);
            return new OpenImage(await reader.GetStreamAsync(1, cancellation), length, new Owned(reader, command, connection));
        }
        catch (Exception e) when (Unavailable(e))
        {
            await connection.DisposeAsync();
            throw new PhotoStoreUnavailable("The photo store (database) could not be read.", e);
        }
    }

    public Task DeleteAsync(string clinic, string sha256, CancellationToken cancellation) =>
        Run(clinic, async connection =>
        {
            await using var command = new NpgsqlCommand($"delete from {Table} where tenant_id = @clinic and sha256 = @sha", connection);
            command.Parameters.AddWithValue("clinic", clinic);
            command.Parameters.AddWithValue("sha", sha256);
            return await command.ExecuteNonQueryAsync(cancellation);
        }, cancellation);

    public async IAsyncEnumerable<StoredKey> ListAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        foreach (var database in await store.Storage.AllDatabases())
        {
            await using var connection = database.CreateConnection();
            await connection.OpenAsync(cancellation);
            await using var command = new NpgsqlCommand($"select tenant_id, sha256 from {Table}", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation)) yield return new StoredKey(reader.GetString(0), reader.GetString(1));
        }
    }

    public Task<DateTimeOffset?> StoredAtAsync(string clinic, string sha256, CancellationToken cancellation) =>
        Run(clinic, async connection =>
        {
            await using var command = new NpgsqlCommand($"select stored_at from {Table} where tenant_id = @clinic and sha256 = @sha", connection);
            command.Parameters.AddWithValue("clinic", clinic);
            command.Parameters.AddWithValue("sha", sha256);
            return await command.ExecuteScalarAsync(cancellation) is DateTime at ? new DateTimeOffset(at, TimeSpan.Zero) : (DateTimeOffset?)null;
        }, cancellation);

    private async Task<NpgsqlConnection> Connect(string clinic, CancellationToken cancellation)
    {
        try
        {
            var database = await store.Storage.FindOrCreateDatabase(clinic);
            var connection = database.CreateConnection();
            await connection.OpenAsync(cancellation);
            return connection;
        }
        catch (Exception e) when (Unavailable(e))
        {
            throw new PhotoStoreUnavailable("The photo store (database) cannot be reached.", e);
        }
    }

    private async Task<T> Run<T>(string clinic, Func<NpgsqlConnection, Task<T>> work, CancellationToken cancellation)
    {
        await using var connection = await Connect(clinic, cancellation);
        try
        {
            return await work(connection);
        }
        catch (Exception e) when (Unavailable(e))
        {
            throw new PhotoStoreUnavailable("The photo store (database) refused the request.", e);
        }
    }

    private static bool Unavailable(Exception e) => e is NpgsqlException or TimeoutException or IOException;

    private sealed class Owned(NpgsqlDataReader reader, NpgsqlCommand command, NpgsqlConnection connection) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await reader.DisposeAsync();
            await command.DisposeAsync();
            await connection.DisposeAsync();
        }
    }
}

/// <summary>The images table; <c>db-apply</c> creates it with the rest of the schema.</summary>
public sealed class PhotoImagesTable(string schema) : FeatureSchemaBase("PhotoImages", new PostgresqlMigrator())
{
    protected override IEnumerable<ISchemaObject> schemaObjects()
    {
        var table = new Table($"{schema}.{DatabasePhotoStore.TableName}");
        table.AddColumn<string>("tenant_id").AsPrimaryKey();
        table.AddColumn<string>("sha256").AsPrimaryKey();
        table.AddColumn<string>("content_type").NotNull();
        table.AddColumn("content", "bytea").NotNull();
        table.AddColumn("thumbnail", "bytea").NotNull();
        table.AddColumn("stored_at", "timestamp with time zone").NotNull();
        yield return table;
    }
}
