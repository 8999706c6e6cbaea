using RadBridge.Archive.Audit;

namespace RadBridge.Archive.Tests.Audit;

/// <summary>Each way of tampering with the log file is caught at the right record, file and line.</summary>
public sealed class AuditLogVerifierTests
{
    private static async Task<(AuditTestLog Dir, string File, List<string> Lines)> SixRecordsAsync()
    {
        var dir = new AuditTestLog();
        await dir.WriteAsync(6);
        var file = dir.OnlyFile;
        return (dir, file, AuditTestLog.Lines(file));
    }

    private static AuditChainBreak BreakOf(AuditTestLog dir)
    {
        var result = AuditLogVerifier.Verify(dir.Directory);
        Assert.False(result.Intact, "the tampering was not detected");
        return result.Break!;
    }

    [Fact]
    public async Task An_altered_field_is_a_hash_mismatch_at_that_record()
    {
        var (dir, file, lines) = await SixRecordsAsync();
        using var _ = dir;
        lines[2] = lines[2].Replace("\"actor\":\"alice\"", "\"actor\":\"mallory\"", StringComparison.Ordinal);
        AuditTestLog.WriteLines(file, lines);

        var broken = BreakOf(dir);
        Assert.Equal((3L, 3L), (broken.Sequence, broken.Line));
        Assert.Equal(Path.GetFileName(file), broken.File);
        Assert.StartsWith("hash mismatch", broken.Problem, StringComparison.Ordinal);
        Assert.StartsWith($"audit record 3 (file {Path.GetFileName(file)} line 3): hash mismatch", broken.ToString(), StringComparison.Ordinal);
        Assert.Equal(2, AuditLogVerifier.Verify(dir.Directory).Count);
    }

    [Fact]
    public async Task An_altered_record_with_its_own_hash_recomputed_breaks_the_link_of_the_next()
    {
        var (dir, file, lines) = await SixRecordsAsync();
        using var _ = dir;
        var forged = AuditLogLine.Parse(System.Text.Encoding.UTF8.GetBytes(lines[2])) with { Outcome = "failure" };
        forged = forged with { Hash = forged.ComputeHash() };
        lines[2] = System.Text.Encoding.UTF8.GetString(AuditLogLine.Format(forged)).TrimEnd('\n');
        AuditTestLog.WriteLines(file, lines);

        var broken = BreakOf(dir);
        Assert.Equal((4L, 4L), (broken.Sequence, broken.Line));
        Assert.StartsWith("previous-record hash mismatch", broken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_record_is_a_gap_in_the_sequence()
    {
        var (dir, file, lines) = await SixRecordsAsync();
        using var _ = dir;
        lines.RemoveAt(3);
        AuditTestLog.WriteLines(file, lines);

        var broken = BreakOf(dir);
        Assert.Equal((5L, 4L), (broken.Sequence, broken.Line));
        Assert.Contains("sequence number 5 where 4 was expected", broken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inserted_record_is_caught_even_when_its_sequence_and_link_are_right()
    {
        var (dir, file, lines) = await SixRecordsAsync();
        using var _ = dir;
        // A forger copies record 3's link and number into a new record and inserts it after record 2.
        var third = AuditLogLine.Parse(System.Text.Encoding.UTF8.GetBytes(lines[2]));
        var inserted = AuditRecord.Create(3, third.Previous, AuditTestLog.Event(99));
        lines.Insert(2, System.Text.Encoding.UTF8.GetString(AuditLogLine.Format(inserted)).TrimEnd('\n'));
        AuditTestLog.WriteLines(file, lines);

        var broken = BreakOf(dir);
        Assert.Equal((3L, 4L), (broken.Sequence, broken.Line));
        Assert.Contains("sequence number 3 where 4 was expected", broken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicated_line_is_caught()
    {
        var (dir, file, lines) = await SixRecordsAsync();
        using var _ = dir;
        lines.Insert(4, lines[4]);
        AuditTestLog.WriteLines(file, lines);

        var broken = BreakOf(dir);
        Assert.Equal((5L, 6L), (broken.Sequence, broken.Line));
    }

    [Fact]
    public async Task Reordered_records_are_caught()
    {
        var (dir, file, lines) = await SixRecordsAsync();
        using var _ = dir;
        (lines[1], lines[2]) = (lines[2], lines[1]);
        AuditTestLog.WriteLines(file, lines);

        var broken = BreakOf(dir);
        Assert.Equal((3L, 2L), (broken.Sequence, broken.Line));
    }

    [Fact]
    public async Task A_truncated_last_line_is_caught()
    {
        var (dir, file, lines) = await SixRecordsAsync();
        using var _ = dir;
        File.WriteAllText(file, string.Concat(lines.Take(5).Select(l => l + "\n")) + lines[5][..40]);

        var broken = BreakOf(dir);
        Assert.Equal((6L, 6L), (broken.Sequence, broken.Line));
        Assert.Contains("cut short", broken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_edited_hash_or_link_field_is_caught()
    {
        var (dir, file, lines) = await SixRecordsAsync();
        using var _ = dir;
        var record = AuditLogLine.Parse(System.Text.Encoding.UTF8.GetBytes(lines[0]));
        lines[0] = lines[0].Replace(record.Hash, new string('f', 64), StringComparison.Ordinal);
        AuditTestLog.WriteLines(file, lines);

        var broken = BreakOf(dir);
        Assert.Equal((1L, 1L), (broken.Sequence, broken.Line));
        Assert.StartsWith("hash mismatch", broken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_field_added_outside_the_hash_or_an_unreadable_line_is_caught()
    {
        var (dir, file, lines) = await SixRecordsAsync();
        using var _ = dir;
        lines[1] = lines[1].Replace("{\"seq\"", "{\"note\":\"hi\",\"seq\"", StringComparison.Ordinal);
        lines[3] = "garbage";
        AuditTestLog.WriteLines(file, lines);

        var broken = BreakOf(dir);
        Assert.Equal((2L, 2L), (broken.Sequence, broken.Line));
        Assert.Contains("unexpected field \"note\"", broken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_day_file_is_caught_at_the_first_record_after_it()
    {
        using var dir = new AuditTestLog();
        var clock = new SettableClock(new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero));
        var log = new HashChainedAuditLog(dir.Directory, clock);
        await using (log)
        {
            for (var day = 0; day < 3; day++)
            {
                await log.RecordAsync(AuditTestLog.Event(2 * day));
                await log.RecordAsync(AuditTestLog.Event(2 * day + 1));
                clock.Now = clock.Now.AddDays(1);
            }
        }
        var files = AuditLogFiles.List(dir.Directory);
        Assert.Equal(3, files.Count);
        File.Delete(files[1]);

        var broken = BreakOf(dir);
        Assert.Equal((5L, 1L, "audit-20261122.jsonl"), (broken.Sequence, broken.Line, broken.File));
    }

    [Fact]
    public async Task Verifying_beside_a_busy_writer_never_mistakes_an_append_in_progress_for_damage()
    {
        using var dir = new AuditTestLog();
        var log = new HashChainedAuditLog(dir.Directory);
        await using (log)
        {
            var writing = Parallel.ForEachAsync(Enumerable.Range(1, 1500), new ParallelOptions { MaxDegreeOfParallelism = 16 },
                async (i, ct) => await log.RecordAsync(AuditTestLog.Event(i), ct));
            var counts = new List<long>();
            while (!writing.IsCompleted)
            {
                var result = AuditLogVerifier.Verify(dir.Directory);
                Assert.True(result.Intact, result.Break?.ToString());
                counts.Add(result.Count);
            }
            await writing;
            Assert.True(counts.SequenceEqual(counts.Order()), "a later verification saw fewer records");
        }
        Assert.Equal(1500, AuditLogVerifier.Verify(dir.Directory).Count);
    }

    [Fact]
    public async Task Verification_waits_for_an_append_in_progress_instead_of_calling_it_cut_short()
    {
        using var dir = new AuditTestLog();
        await dir.WriteAsync(3);
        var file = dir.OnlyFile;
        var next = AuditLogLine.Format(AuditRecord.Create(4, AuditLogVerifier.Verify(dir.Directory).LastHash, AuditTestLog.Event(4)));

        Task<AuditVerification> verifying;
        using (AuditLogFiles.AcquireLock(dir.Directory, TimeSpan.FromSeconds(5)))
        {
            // A writer holding the lock has written half of its record.
            await using (var stream = new FileStream(file, FileMode.Append)) stream.Write(next.AsSpan(0, next.Length / 2));
            verifying = Task.Run(() => AuditLogVerifier.Verify(dir.Directory));
            await Task.Delay(300);
            Assert.False(verifying.IsCompleted);
            await using (var stream = new FileStream(file, FileMode.Append)) stream.Write(next.AsSpan(next.Length / 2));
        }
        var result = await verifying.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(result.Intact, result.Break?.ToString());
        Assert.Equal(4, result.Count);
    }

    [Fact]
    public async Task An_unparseable_time_is_caught()
    {
        var (dir, file, lines) = await SixRecordsAsync();
        using var _ = dir;
        lines[4] = lines[4].Replace("2026-11-23T10:00:05", "yesterday at 10", StringComparison.Ordinal);
        AuditTestLog.WriteLines(file, lines);

        var broken = BreakOf(dir);
        Assert.Equal((5L, 5L), (broken.Sequence, broken.Line));
        Assert.Contains("time", broken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_or_missing_log_is_intact_with_no_records()
    {
        using var dir = new AuditTestLog();
        Assert.Equal((true, 0L), (AuditLogVerifier.Verify(dir.Directory).Intact, AuditLogVerifier.Verify(dir.Directory).Count));
        Assert.True(AuditLogVerifier.Verify(Path.Combine(dir.Directory, "absent")).Intact);
    }
}
