using System.Threading.Channels;

namespace Courses.Api.Audit;

/// <summary>
/// Group commit for the access log: every read still waits until its record is committed, but the reads that arrive
/// while one commit is under way share the next one — a single transaction for all of them, instead of one
/// transaction (and one WAL flush) per read.
/// </summary>
public sealed class AccessLogWriter(IDocumentStore store, ILogger<AccessLogWriter> logger) : BackgroundService
{
    private const int MostPerCommit = 256;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    private sealed record Pending(string Clinic, AccessRecord Record, TaskCompletionSource Committed);

    /// <summary>Completes once the record is committed; faults if it could not be.</summary>
    public Task RecordAsync(string clinic, AccessRecord record)
    {
        var pending = new Pending(clinic, record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        return _queue.Writer.TryWrite(pending)
            ? pending.Committed.Task
            : Task.FromException(new InvalidOperationException("The access log is shutting down."));
    }

    protected override async Task ExecuteAsync(CancellationToken stopping)
    {
        var batch = new List<Pending>(MostPerCommit);
        // Not stopped by the host's token: reads already answered by the time it stops must still be recorded.
        using var _ = stopping.Register(() => _queue.Writer.TryComplete());
        while (await _queue.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (batch.Count < MostPerCommit && _queue.Reader.TryRead(out var next)) batch.Add(next);
            // A clinic's records go to its own database when each clinic has one.
            foreach (var clinic in batch.GroupBy(p => p.Clinic)) await CommitAsync([.. clinic]);
            batch.Clear();
        }
    }

    /// <summary>Records of one clinic, in one transaction.</summary>
    private async Task CommitAsync(List<Pending> batch)
    {
        try
        {
            await using var session = store.LightweightSession(batch[0].Clinic);
            foreach (var pending in batch) session.Insert(pending.Record);
            await session.SaveChangesAsync(CancellationToken.None);
            foreach (var pending in batch) pending.Committed.TrySetResult();
        }
        catch (Exception e) when (batch.Count > 1)
        {
            // One record must not take the others down with it: each is tried on its own.
            logger.LogWarning(e, "Access log group commit of {Count} records failed; committing them one by one", batch.Count);
            foreach (var pending in batch) await CommitAsync([pending]);
        }
        catch (Exception e)
        {
            batch[0].Committed.TrySetException(e);
        }
    }
}
