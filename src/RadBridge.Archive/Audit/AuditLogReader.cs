using System.Runtime.CompilerServices;

namespace RadBridge.Archive.Audit;

/// <summary>Which records an auditor asks for; every given criterion must match (null: any).</summary>
public sealed record AuditLogFilter
{
    public string? StudyInstanceUid { get; init; }
    public string? Actor { get; init; }
    public int? OrganizationId { get; init; }

    /// <summary>Events at or after this time.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Events before this time.</summary>
    public DateTimeOffset? To { get; init; }

    public static AuditLogFilter None { get; } = new();

    public bool Matches(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (StudyInstanceUid is not null && !string.Equals(record.StudyInstanceUid, StudyInstanceUid, StringComparison.Ordinal)) return false;
        if (Actor is not null && !string.Equals(record.Actor, Actor, StringComparison.Ordinal)) return false;
        if (OrganizationId is not null && record.OrganizationId != OrganizationId) return false;
        if (From is null && To is null) return true;
        var time = record.TimeValue;
        return (From is not { } from || time >= from) && (To is not { } to || time < to);
    }
}

/// <summary>One page of records and the sequence number to ask for next (null when the log has nothing after it).</summary>
public sealed record AuditLogPage(IReadOnlyList<AuditRecord> Records, long? NextSequence);

/// <summary>
/// Reads the audit log for an auditor, in chain order, with filters; pages by sequence number. It reads, it does not
/// verify (that is <see cref="AuditLogVerifier"/>), and it stops before a last line still being written.
/// </summary>
public sealed class AuditLogReader
{
    private readonly string _directory;

    public AuditLogReader(ArchiveLocation location)
        : this((location ?? throw new ArgumentNullException(nameof(location))).AuditDirectory)
    {
    }

    public AuditLogReader(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _directory = Path.GetFullPath(directory);
    }

    /// <summary>
    /// Up to <paramref name="count"/> records matching <paramref name="filter"/>, starting at sequence number
    /// <paramref name="fromSequence"/>. Pass the page's <see cref="AuditLogPage.NextSequence"/> to continue.
    /// </summary>
    public async Task<AuditLogPage> ReadAsync(long fromSequence, int count, AuditLogFilter? filter = null, CancellationToken ct = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fromSequence, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        filter ??= AuditLogFilter.None;
        var page = new List<AuditRecord>(Math.Min(count, 1024));
        await foreach (var record in ReadFromAsync(fromSequence, ct).ConfigureAwait(false))
        {
            if (page.Count == count) return new AuditLogPage(page, record.Sequence);
            if (filter.Matches(record)) page.Add(record);
        }
        return new AuditLogPage(page, null);
    }

    /// <summary>Every record matching <paramref name="filter"/>, oldest first, streamed.</summary>
    public async IAsyncEnumerable<AuditRecord> ReadAllAsync(AuditLogFilter? filter = null, [EnumeratorCancellation] CancellationToken ct = default)
    {
        filter ??= AuditLogFilter.None;
        await foreach (var record in ReadFromAsync(1, ct).ConfigureAwait(false))
        {
            if (filter.Matches(record)) yield return record;
        }
    }

    private async IAsyncEnumerable<AuditRecord> ReadFromAsync(long fromSequence, [EnumeratorCancellation] CancellationToken ct)
    {
        var files = AuditLogFiles.List(_directory);
        // Files hold consecutive runs of the chain: start in the last one whose first record is not after fromSequence.
        var first = 0;
        for (var i = files.Count - 1; i > 0; i--)
        {
            if (AuditLogFiles.ReadFirst(files[i]) is { } head && head.Sequence <= fromSequence)
            {
                first = i;
                break;
            }
        }
        for (var i = first; i < files.Count; i++)
        {
            var offset = i == first ? SeekBefore(files[i], fromSequence) : 0;
            using var lines = new AuditLineReader(files[i], offset);
            var lineNumber = 0L;
            while (await lines.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
            {
                lineNumber++;
                // A line without its end is an append in progress (or a torn one): not a record yet.
                if (!line.Terminated) break;
                AuditRecord record;
                try
                {
                    record = AuditLogLine.Parse(line.Bytes.Span);
                }
                catch (AuditLogException ex)
                {
                    var place = offset == 0 ? $"line {lineNumber}" : $"byte {lines.Offset - line.Bytes.Length - 1}";
                    throw new AuditLogException($"{Path.GetFileName(files[i])} {place}: {ex.Message} (run `radbridge audit verify`)", ex);
                }
                if (record.Sequence >= fromSequence) yield return record;
            }
        }
    }

    /// <summary>
    /// Where to start reading a day file for <paramref name="fromSequence"/> without scanning it from the start: a
    /// binary search over byte offsets for the last line start whose record comes before it. Sequence numbers rise
    /// through a file; anything unreadable on the way only makes the search stop earlier (the scan then skips more).
    /// </summary>
    private static long SeekBefore(string path, long fromSequence)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        long lo = 0, hi = RandomAccess.GetLength(file);
        var buffer = new byte[16 * 1024];
        while (hi - lo > 4 * buffer.Length)
        {
            var mid = lo + ((hi - lo) / 2);
            if (RecordAfter(file, mid, hi, ref buffer) is { } found && found.Record.Sequence < fromSequence) lo = found.LineStart;
            else hi = mid;
        }
        return lo;
    }

    // The first complete record whose line starts after `from` (and before `limit`), or null.
    private static (long LineStart, AuditRecord Record)? RecordAfter(Microsoft.Win32.SafeHandles.SafeFileHandle file, long from, long limit, ref byte[] buffer)
    {
        while (true)
        {
            var read = RandomAccess.Read(file, buffer, from);
            var span = buffer.AsSpan(0, read);
            var end = span.IndexOf((byte)'\n');
            var next = end < 0 ? -1 : span[(end + 1)..].IndexOf((byte)'\n');
            if (next >= 0)
            {
                var lineStart = from + end + 1;
                if (lineStart >= limit) return null;
                try
                {
                    return (lineStart, AuditLogLine.Parse(span.Slice(end + 1, next)));
                }
                catch (AuditLogException)
                {
                    return null;
                }
            }
            if (read < buffer.Length || buffer.Length >= AuditLineReader.MaxLineBytes) return null;
            Array.Resize(ref buffer, buffer.Length * 2);
        }
    }
}
