using RadBridge.Archive.Audit;

namespace RadBridge.Archive.Tests.Audit;

public sealed class AuditLogReaderTests
{
    private static async Task<AuditTestLog> MixedLogAsync()
    {
        var dir = new AuditTestLog();
        var log = new HashChainedAuditLog(dir.Directory);
        await using (log)
        {
            for (var i = 1; i <= 30; i++)
            {
                await log.RecordAsync(AuditTestLog.Event(i, study: i % 3 == 0 ? "1.2.840.99" : null, actor: i % 2 == 0 ? "bob" : "alice", org: i % 5 == 0 ? 2 : 1));
            }
        }
        return dir;
    }

    [Fact]
    public async Task Pages_follow_the_sequence_and_say_where_to_continue()
    {
        using var dir = await MixedLogAsync();
        var reader = new AuditLogReader(dir.Directory);
        var first = await reader.ReadAsync(1, 12);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), first.Records.Select(r => r.Sequence));
        Assert.Equal(13, first.NextSequence);
        var last = await reader.ReadAsync(first.NextSequence!.Value, 100);
        Assert.Equal(18, last.Records.Count);
        Assert.Null(last.NextSequence);
        Assert.Empty((await reader.ReadAsync(31, 10)).Records);
    }

    [Fact]
    public async Task Filters_by_study_actor_organisation_and_time_combine()
    {
        using var dir = await MixedLogAsync();
        var reader = new AuditLogReader(dir.Directory);

        var study = await reader.ReadAsync(1, 100, new AuditLogFilter { StudyInstanceUid = "1.2.840.99" });
        Assert.Equal([3L, 6L, 9L, 12L, 15L, 18L, 21L, 24L, 27L, 30L], study.Records.Select(r => r.Sequence));

        var bobInStudy = await reader.ReadAsync(1, 100, new AuditLogFilter { StudyInstanceUid = "1.2.840.99", Actor = "bob" });
        Assert.Equal([6L, 12L, 18L, 24L, 30L], bobInStudy.Records.Select(r => r.Sequence));

        var org2 = await reader.ReadAsync(1, 100, new AuditLogFilter { OrganizationId = 2 });
        Assert.Equal([5L, 10L, 15L, 20L, 25L, 30L], org2.Records.Select(r => r.Sequence));

        var start = new DateTimeOffset(2026, 11, 23, 10, 0, 10, TimeSpan.Zero);
        var window = await reader.ReadAsync(1, 100, new AuditLogFilter { From = start, To = start.AddSeconds(3) });
        Assert.Equal([10L, 11L, 12L], window.Records.Select(r => r.Sequence));

        // A filtered page continues after the last record it looked at, not the last it returned.
        var paged = await reader.ReadAsync(1, 2, new AuditLogFilter { OrganizationId = 2 });
        Assert.Equal([5L, 10L], paged.Records.Select(r => r.Sequence));
        Assert.Equal(11, paged.NextSequence);
    }

    [Fact]
    public async Task A_page_deep_in_a_big_day_file_is_found_without_reading_the_file_from_its_start()
    {
        using var dir = new AuditTestLog();
        var log = new HashChainedAuditLog(dir.Directory);
        await using (log)
        {
            await Parallel.ForEachAsync(Enumerable.Range(1, 3000), new ParallelOptions { MaxDegreeOfParallelism = 32 },
                async (i, ct) => await log.RecordAsync(AuditTestLog.Event(i), ct));
        }
        var reader = new AuditLogReader(dir.Directory);
        foreach (var from in new long[] { 1, 2, 100, 1234, 2500, 2999, 3000 })
        {
            var page = await reader.ReadAsync(from, 5);
            Assert.Equal(Enumerable.Range(0, (int)Math.Min(5, 3001 - from)).Select(k => from + k), page.Records.Select(r => r.Sequence));
        }
        Assert.Empty((await reader.ReadAsync(3001, 5)).Records);

        // Damage near the start is not read on the way to a late page (it still is from the start).
        var file = dir.OnlyFile;
        var lines = AuditTestLog.Lines(file);
        lines[3] = "damaged";
        AuditTestLog.WriteLines(file, lines);
        Assert.Equal(2800, (await reader.ReadAsync(2800, 1)).Records[0].Sequence);
        await Assert.ThrowsAsync<AuditLogException>(() => reader.ReadAsync(1, 10));
    }

    [Fact]
    public async Task A_line_still_being_written_is_not_returned()
    {
        using var dir = new AuditTestLog();
        await dir.WriteAsync(2);
        await using (var file = new FileStream(dir.OnlyFile, FileMode.Append)) file.Write("{\"seq\":3,"u8);
        var page = await new AuditLogReader(dir.Directory).ReadAsync(1, 10);
        Assert.Equal(2, page.Records.Count);
    }

    [Fact]
    public async Task An_unreadable_line_is_reported_with_its_place()
    {
        using var dir = new AuditTestLog();
        await dir.WriteAsync(2);
        File.AppendAllText(dir.OnlyFile, "not json\n");
        var ex = await Assert.ThrowsAsync<AuditLogException>(() => new AuditLogReader(dir.Directory).ReadAsync(1, 10));
        Assert.Contains("line 3", ex.Message, StringComparison.Ordinal);
    }
}
