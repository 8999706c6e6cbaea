using System.Diagnostics;
using System.Globalization;

namespace RadBridge.Archive.Audit;

/// <summary>
/// The audit directory's layout: one JSON Lines file per UTC day of writing (<c>audit-YYYYMMDD.jsonl</c>; the names sort
/// in chain order), the lock file writers take, and the folder where torn tails left by a crash are kept.
/// </summary>
public static class AuditLogFiles
{
    public const string LockFileName = "audit.lock";
    public const string TornDirectoryName = "torn";
    private const string Prefix = "audit-";
    private const string Extension = ".jsonl";

    public static string FileNameFor(DateTime utc) => Prefix + utc.ToString("yyyyMMdd", CultureInfo.InvariantCulture) + Extension;

    /// <summary>The log files in chain order (oldest first).</summary>
    public static IReadOnlyList<string> List(string directory)
    {
        if (!Directory.Exists(directory)) return [];
        var files = Directory.GetFiles(directory, Prefix + "*" + Extension)
            .Where(f => IsLogFileName(Path.GetFileName(f)))
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private static bool IsLogFileName(string name) =>
        name.Length == Prefix.Length + 8 + Extension.Length && name.AsSpan(Prefix.Length, 8).ContainsOnlyDigits();

    private static bool ContainsOnlyDigits(this ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is < '0' or > '9') return false;
        }
        return true;
    }

    /// <summary>
    /// Takes the lock that makes "read the tail, append, flush" atomic across processes: the lock file opened with
    /// <see cref="FileShare.None"/> (an exclusive flock(2) on Unix, a sharing lock on Windows), retried with a short
    /// growing back-off until <paramref name="timeout"/>. Dispose to release.
    /// </summary>
    public static FileStream AcquireLock(string directory, TimeSpan timeout, CancellationToken ct = default)
    {
        var path = Path.Combine(directory, LockFileName);
        var clock = Stopwatch.StartNew();
        var delay = 1;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException) when (clock.Elapsed < timeout)
            {
                // Held by another writer (this process or another): its critical section is one append and one fsync.
                ct.ThrowIfCancellationRequested();
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 50);
            }
            catch (IOException ex)
            {
                throw new AuditLogException($"the audit log lock {path} was not released within {timeout.TotalSeconds:0} s", ex);
            }
        }
    }

    /// <summary>
    /// The end of a log file, read from the last few kilobytes only: the last complete record, where complete lines end,
    /// and whether bytes follow the last newline (a torn append).
    /// </summary>
    public static AuditFileTail ReadTail(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);
        var length = file.Length;
        if (length == 0) return new AuditFileTail(null, 0, 0);
        var window = 8 * 1024L; // a few records; doubled when one is longer
        while (true)
        {
            var start = Math.Max(0, length - window);
            var buffer = new byte[length - start];
            file.Position = start;
            file.ReadExactly(buffer);

            // Where complete lines end: just after the last '\n'.
            var lastNewline = buffer.AsSpan().LastIndexOf((byte)'\n');
            if (lastNewline < 0 && start > 0)
            {
                window = Grow(window, path: file.Name);
                continue;
            }
            var completeLength = lastNewline < 0 ? 0 : start + lastNewline + 1;
            var tornBytes = length - completeLength;
            if (completeLength == 0) return new AuditFileTail(null, 0, tornBytes);

            // The last complete line runs from the '\n' before it (or the file's start) to lastNewline.
            var lineEnd = lastNewline;
            var previousNewline = buffer.AsSpan(0, lineEnd).LastIndexOf((byte)'\n');
            if (previousNewline < 0 && start > 0)
            {
                window = Grow(window, path: file.Name);
                continue;
            }
            var line = buffer.AsSpan(previousNewline + 1, lineEnd - previousNewline - 1);
            var lineStart = start + previousNewline + 1;
            AuditRecord record;
            try
            {
                record = AuditLogLine.Parse(line);
            }
            catch (AuditLogException ex)
            {
                throw new AuditLogException($"the last record of {path} (at byte {lineStart}) is unreadable: {ex.Message}", ex);
            }
            return new AuditFileTail(record, completeLength, tornBytes);
        }
    }

    private static long Grow(long window, string path) =>
        window <= 2L * AuditLineReader.MaxLineBytes ? window * 2
        : throw new AuditLogException($"the end of {path} has no record boundary in its last {window / (1024 * 1024)} MiB: not an audit log");

    /// <summary>The first record of a log file, or null when it has none complete.</summary>
    public static AuditRecord? ReadFirst(string path)
    {
        using var lines = new AuditLineReader(path);
        return lines.TryReadLine(out var line, out var terminated) && terminated ? AuditLogLine.Parse(line.Span) : null;
    }
}

/// <summary>The end of one log file: its last complete record (null if none), the length up to and including its
/// newline, and how many bytes follow it without a newline.</summary>
public sealed record AuditFileTail(AuditRecord? Last, long CompleteLength, long TornBytes);
