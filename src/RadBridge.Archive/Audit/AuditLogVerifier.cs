namespace RadBridge.Archive.Audit;

/// <summary>
/// Walks the whole chain, oldest file first, and reports the first record that breaks it: altered (its hash does not
/// match its content), removed, inserted or moved (its sequence number or its link to the record before does not
/// match), unreadable, or a last line cut short.
/// </summary>
/// <remarks>
/// What a hash chain cannot show on its own: records cut off the end as whole lines, or a chain rewritten from the
/// altered record onwards by someone who recomputes every hash. Keeping <see cref="AuditVerification.LastHash"/>
/// somewhere else (a ticket, a printout, another system) and comparing later closes both.
/// </remarks>
public static class AuditLogVerifier
{
    /// <summary>
    /// Verifies the log as it is at the start of the call: the file lengths are taken under the writers' lock (so no
    /// append is half done), then the records up to them are checked while writers carry on appending after them.
    /// </summary>
    public static AuditVerification Verify(string directory, CancellationToken ct = default)
    {
        var expected = 1L;
        var previous = AuditRecord.GenesisHash;
        foreach (var (path, length) in Snapshot(directory, ct))
        {
            var name = Path.GetFileName(path);
            using var lines = new AuditLineReader(path, 0, length);
            var lineNumber = 0L;
            while (lines.TryReadLine(out var bytes, out var terminated))
            {
                ct.ThrowIfCancellationRequested();
                lineNumber++;
                AuditChainBreak Break(long sequence, string problem) => new(sequence, name, lineNumber, problem);
                if (!terminated)
                {
                    return Broken(expected, previous, Break(expected,
                        "the last line is cut short (no line end): a truncated file, or a crash during an append not yet repaired by a writer"));
                }
                AuditRecord record;
                try
                {
                    record = AuditLogLine.Parse(bytes.Span);
                }
                catch (AuditLogException ex)
                {
                    return Broken(expected, previous, Break(expected, $"unreadable record: {ex.Message}"));
                }
                if (record.Sequence != expected)
                {
                    return Broken(expected, previous, Break(record.Sequence,
                        $"sequence number {record.Sequence} where {expected} was expected (a record was removed, inserted or moved)"));
                }
                if (!string.Equals(record.Previous, previous, StringComparison.Ordinal))
                {
                    return Broken(expected, previous, Break(record.Sequence,
                        "previous-record hash mismatch (the record before it was removed, replaced or moved)"));
                }
                if (!string.Equals(record.ComputeHash(), record.Hash, StringComparison.Ordinal))
                {
                    return Broken(expected, previous, Break(record.Sequence, "hash mismatch (the record was altered after it was written)"));
                }
                previous = record.Hash;
                expected++;
            }
        }
        return new AuditVerification(expected - 1, previous, null);
    }

    private static List<(string Path, long Length)> Snapshot(string directory, CancellationToken ct)
    {
        if (!Directory.Exists(directory)) return [];
        FileStream? held = null;
        try
        {
            held = AuditLogFiles.AcquireLock(directory, TimeSpan.FromSeconds(30), ct);
        }
        catch (UnauthorizedAccessException)
        {
            // A read-only copy of the log (an auditor's archive): nothing appends to it, no lock needed.
        }
        using (held)
        {
            return [.. AuditLogFiles.List(directory).Select(f => (f, new FileInfo(f).Length))];
        }
    }

    private static AuditVerification Broken(long expected, string previous, AuditChainBreak at) => new(expected - 1, previous, at);
}

/// <summary>
/// The outcome of <see cref="AuditLogVerifier.Verify"/>: how many records chain correctly from the start, the hash of the
/// last of them, and the first break (null when the whole log is intact).
/// </summary>
public sealed record AuditVerification(long Count, string LastHash, AuditChainBreak? Break)
{
    public bool Intact => Break is null;
}

/// <summary>Where the chain breaks: the record's sequence number, its file and 1-based line, and what is wrong.</summary>
public sealed record AuditChainBreak(long Sequence, string File, long Line, string Problem)
{
    public override string ToString() => $"audit record {Sequence} (file {File} line {Line}): {Problem}";
}
