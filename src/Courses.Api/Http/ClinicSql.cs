using Npgsql;

namespace Courses.Api.Http;

/// <summary>
/// Reads that Marten's LINQ cannot say, on a pooled connection of the clinic's own database (per clinic or shared), or of
/// the standby the read's session reads.
/// Statements are prepared: Npgsql keeps them on each physical connection, so a busy route plans its SQL once per
/// connection instead of on every request.
/// </summary>
public static class ClinicSql
{
    public static async Task<NpgsqlConnection> OpenAsync(IQuerySession session, CancellationToken cancellation)
    {
        var connection = ReadReplica.Connection(session);
        await connection.OpenAsync(cancellation);
        return connection;
    }

    /// <summary>One statement of a batch, its values as positional parameters ($1, $2, ...).</summary>
    public static NpgsqlBatchCommand Statement(string sql, params object[] values)
    {
        var statement = new NpgsqlBatchCommand(sql);
        foreach (var value in values) statement.Parameters.Add(new NpgsqlParameter { Value = value });
        return statement;
    }

    /// <summary>A prepared batch of the statements given, run in one round trip; the reader starts on the first one's rows.</summary>
    public static async Task<NpgsqlDataReader> ReadAsync(NpgsqlConnection connection, CancellationToken cancellation,
        params NpgsqlBatchCommand[] statements)
    {
        var batch = connection.CreateBatch();
        foreach (var statement in statements) batch.BatchCommands.Add(statement);
        await batch.PrepareAsync(cancellation);
        return await batch.ExecuteReaderAsync(System.Data.CommandBehavior.Default, cancellation);
    }
}
