using System.Text;
using System.Threading.Channels;
using RadBridge.Archive.Storage;

namespace RadBridge.Archive.Audit;

/// <summary>
/// The archive's audit log: an <see cref="IAuditSink"/> appending each event as a hash-chained record (see
/// <see cref="AuditRecord"/>) to append-only JSON Lines files in the audit directory, one file per UTC day.
/// </summary>
/// <remarks>
/// <para>Group commit: concurrent <see cref="RecordAsync"/> callers hand their events to one writer loop, which appends
/// every event waiting at that moment with one write and one fsync, then completes them all. A call completes only after
/// its record is on disk.</para>
/// <para>Several processes may append to the same log (the server and <c>radbridge admin</c> beside it). Each batch takes
/// the directory's exclusive lock file, re-reads the last record from the end of the newest file (never an in-memory
/// copy: another process may have appended since), appends, flushes, and releases the lock.</para>
/// <para>A crash in the middle of an append can leave a torn last line (never acknowledged: acknowledgement follows the
/// flush). The next writer moves those bytes to <c>torn/</c> and appends a record saying so, so the repair is itself
/// in the chain rather than silent.</para>
/// </remarks>
public sealed class HashChainedAuditLog : IAuditSink, IAsyncDisposable
{
    private const int MaxBatch = 1024;
    private readonly string _directory;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _lockTimeout;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public HashChainedAuditLog(ArchiveLocation location, TimeProvider? clock = null)
        : this((location ?? throw new ArgumentNullException(nameof(location))).AuditDirectory, clock)
    {
    }

    /// <param name="directory">The audit directory (created when missing).</param>
    /// <param name="clock">Names the day file records are written to; the events' own times are in the records.</param>
    /// <param name="lockTimeout">How long a batch waits for another process's lock before failing (default 30 s).</param>
    public HashChainedAuditLog(string directory, TimeProvider? clock = null, TimeSpan? lockTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
        _clock = clock ?? TimeProvider.System;
        _lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(30);
        Directory.CreateDirectory(_directory);
        _loop = Task.Run(RunAsync);
    }

    public string AuditDirectory => _directory;

    /// <summary>
    /// Appends <paramref name="auditEvent"/> and completes once it is durable. Cancelling stops the wait, not the append:
    /// the event may still be recorded.
    /// </summary>
    public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken ct = default) => Enqueue(auditEvent, flush: true, ct);

    /// <summary>
    /// Appends <paramref name="auditEvent"/> and completes once it is written to the file, before any fsync: the caller
    /// flushes the file system itself (one barrier for its data and this record).
    /// </summary>
    public ValueTask RecordBeforeBarrierAsync(AuditEvent auditEvent, CancellationToken ct = default) => Enqueue(auditEvent, flush: false, ct);

    private ValueTask Enqueue(AuditEvent auditEvent, bool flush, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(auditEvent);
        if (auditEvent.Actor is null || auditEvent.Action is null || auditEvent.Channel is null || auditEvent.Outcome is null)
        {
            throw new ArgumentException("an audit event needs an actor, an action, a channel and an outcome", nameof(auditEvent));
        }
        var pending = new Pending(auditEvent, flush, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending)) throw new ObjectDisposedException(nameof(HashChainedAuditLog), "the audit log is closed");
        return new ValueTask(pending.Done.Task.WaitAsync(ct));
    }

    /// <summary>Stops accepting events, writes the ones already queued, and waits for the writer loop to end.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                // One fsync for the batch unless every caller in it flushes the file system itself.
                Append(batch.Select(p => p.Event).ToList(), flush: batch.Exists(p => p.Flush));
                foreach (var p in batch) p.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                // Not durable: every caller of this batch learns it (and must not report its action as audited). Any
                // exception, not only I/O ones: one escaping would end the loop and leave every later caller waiting.
                foreach (var p in batch) p.Done.TrySetException(ex);
            }
        }
    }

    /// <summary>One batch under the cross-process lock: find the chain's end, append the records, flush.</summary>
    private void Append(List<AuditEvent> events, bool flush)
    {
        Directory.CreateDirectory(_directory);
        using var held = AuditLogFiles.AcquireLock(_directory, _lockTimeout);
        var (sequence, previous, newest, repairs) = FindChainEnd();

        var today = Path.Combine(_directory, AuditLogFiles.FileNameFor(_clock.GetUtcNow().UtcDateTime));
        // If the clock went back past the newest file's day, keep writing to that file so file-name order stays chain order.
        var target = newest is not null && string.CompareOrdinal(newest, today) > 0 ? newest : today;

        var bytes = new MemoryStream(events.Count * 512);
        foreach (var e in repairs.Concat(events))
        {
            var record = AuditRecord.Create(++sequence, previous, e);
            bytes.Write(AuditLogLine.Format(record));
            previous = record.Hash;
        }

        var created = !File.Exists(target);
        using (var file = new FileStream(target, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None))
        {
            var before = file.Length;
            file.Position = before;
            try
            {
                file.Write(bytes.GetBuffer(), 0, (int)bytes.Length);
                file.Flush(flushToDisk: flush);
            }
            catch (IOException)
            {
                // Leave no unacknowledged records behind when possible (a disk-full write may have landed partly).
                TryTruncate(file, before);
                throw;
            }
        }
        if (created && flush) DurableFiles.SyncDirectory(_directory);
    }

    private static void TryTruncate(FileStream file, long length)
    {
        try
        {
            file.SetLength(length);
            file.Flush(flushToDisk: true);
        }
        catch (IOException)
        {
            // The next writer repairs a torn tail; complete records left behind are valid chain links.
        }
    }

    /// <summary>
    /// The last record's sequence and hash, read from the end of the newest file that has one, repairing torn tails on
    /// the way (each repair becomes an event to record first).
    /// </summary>
    private (long Sequence, string Hash, string? NewestFile, List<AuditEvent> Repairs) FindChainEnd()
    {
        var files = AuditLogFiles.List(_directory);
        var repairs = new List<AuditEvent>();
        for (var i = files.Count - 1; i >= 0; i--)
        {
            var tail = AuditLogFiles.ReadTail(files[i]);
            if (tail.TornBytes > 0) repairs.Add(RepairTornTail(files[i], tail));
            if (tail.Last is { } last) return (last.Sequence, last.Hash, files[^1], repairs);
        }
        return (0, AuditRecord.GenesisHash, files.Count > 0 ? files[^1] : null, repairs);
    }

    private AuditEvent RepairTornTail(string path, AuditFileTail tail)
    {
        var tornDirectory = Path.Combine(_directory, AuditLogFiles.TornDirectoryName);
        Directory.CreateDirectory(tornDirectory);
        var kept = Path.Combine(tornDirectory, $"{Path.GetFileName(path)}.{tail.CompleteLength}.{_clock.GetUtcNow().UtcDateTime:yyyyMMddHHmmssfff}.partial");
        using (var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None))
        {
            using (var copy = new FileStream(kept, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                file.Position = tail.CompleteLength;
                file.CopyTo(copy);
                copy.Flush(flushToDisk: true);
            }
            DurableFiles.SyncDirectory(tornDirectory);
            file.SetLength(tail.CompleteLength);
            file.Flush(flushToDisk: true);
        }
        var after = tail.Last is { } last ? $"record {last.Sequence}" : "the start of the file";
        return new AuditEvent
        {
            Time = _clock.GetUtcNow(),
            Actor = "radbridge",
            Action = AuditActions.Administer,
            Channel = "system",
            Outcome = "failure",
            Detail = new StringBuilder()
                .Append("audit log repaired: ").Append(tail.TornBytes).Append(" bytes of an unfinished append after ").Append(after)
                .Append(" in ").Append(Path.GetFileName(path)).Append(" (a crash during a write, never acknowledged) moved to ")
                .Append(AuditLogFiles.TornDirectoryName).Append('/').Append(Path.GetFileName(kept))
                .ToString(),
        };
    }

    private sealed record Pending(AuditEvent Event, bool Flush, TaskCompletionSource Done);
}
