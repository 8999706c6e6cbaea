using System.Text;
using RadBridge.Archive.Audit;

namespace RadBridge.Archive.Tests.Audit;

public sealed class HashChainedAuditLogTests
{
    [Fact]
    public async Task Records_chain_from_the_genesis_hash_each_to_the_one_before()
    {
        using var dir = new AuditTestLog();
        await dir.WriteAsync(3);

        var records = AuditTestLog.Lines(dir.OnlyFile).Select(l => AuditLogLine.Parse(Encoding.UTF8.GetBytes(l))).ToList();
        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Sequence));
        Assert.Equal(AuditRecord.GenesisHash, records[0].Previous);
        Assert.Equal(records[0].Hash, records[1].Previous);
        Assert.Equal(records[1].Hash, records[2].Previous);
        Assert.All(records, r => Assert.Equal(r.ComputeHash(), r.Hash));
        Assert.Equal("2026-11-23T10:00:01.0000000Z", records[0].Time);
        Assert.Equal(("alice", 1, "Clinic 1", "1.2.3.1", "event 1"), (records[0].Actor, records[0].OrganizationId, records[0].OrganizationName, records[0].StudyInstanceUid, records[0].Detail));

        var verification = AuditLogVerifier.Verify(dir.Directory);
        Assert.True(verification.Intact, verification.Break?.ToString());
        Assert.Equal(3, verification.Count);
        Assert.Equal(records[2].Hash, verification.LastHash);
    }

    [Fact]
    public void Every_field_is_covered_by_the_hash_and_survives_the_line_format()
    {
        var e = AuditTestLog.Event(1) with { Detail = "PatientName=*张*\n\"quoted\" \u0001", OrganizationName = "Hôpital Central" };
        var record = AuditRecord.Create(7, new string('a', 64), e);
        var again = AuditLogLine.Parse(AuditLogLine.Format(record).AsSpan(..^1));
        Assert.Equal(record, again);
        Assert.Single(AuditLogLine.Format(record), b => b == (byte)'\n');

        AuditRecord[] altered =
        [
            record with { Sequence = 8 }, record with { Time = "2026-11-23T10:00:02.0000000Z" }, record with { Actor = "bob" },
            record with { OrganizationId = 2 }, record with { OrganizationId = null }, record with { OrganizationName = "Other" },
            record with { Action = AuditActions.Delete }, record with { Channel = "DIMSE" }, record with { RemoteAddress = null },
            record with { StudyInstanceUid = "9" }, record with { SeriesInstanceUid = "9" }, record with { SopInstanceUid = "9" },
            record with { Outcome = "failure" }, record with { Detail = null }, record with { Previous = new string('b', 64) },
            record with { Detail = "" },
        ];
        Assert.All(altered, a => Assert.NotEqual(record.Hash, a.ComputeHash()));
        Assert.Equal(altered.Length, altered.Select(a => a.ComputeHash()).Distinct().Count());
    }

    [Fact]
    public async Task Many_parallel_callers_each_get_one_durable_record_in_one_unbroken_chain()
    {
        using var dir = new AuditTestLog();
        var log = new HashChainedAuditLog(dir.Directory);
        await using (log)
        {
            await Parallel.ForEachAsync(Enumerable.Range(1, 400), new ParallelOptions { MaxDegreeOfParallelism = 32 },
                async (i, ct) => await log.RecordAsync(AuditTestLog.Event(i), ct));

            // Completed means written: the file holds all of them before the log is closed.
            Assert.Equal(400, AuditTestLog.Lines(dir.OnlyFile).Count);
        }
        var verification = AuditLogVerifier.Verify(dir.Directory);
        Assert.True(verification.Intact, verification.Break?.ToString());
        Assert.Equal(400, verification.Count);
        var page = await new AuditLogReader(dir.Directory).ReadAsync(1, 1000);
        Assert.Equal(Enumerable.Range(1, 400).Select(i => $"event {i}").Order(), page.Records.Select(r => r.Detail!).Order());
    }

    [Fact]
    public async Task Two_writers_on_one_directory_like_two_processes_interleave_without_breaking_the_chain()
    {
        using var dir = new AuditTestLog();
        var server = new HashChainedAuditLog(dir.Directory);
        var admin = new HashChainedAuditLog(dir.Directory);
        await using (server)
        await using (admin)
        {
            var fromServer = Parallel.ForEachAsync(Enumerable.Range(1, 200), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (i, ct) => await server.RecordAsync(AuditTestLog.Event(i, actor: "server"), ct));
            // The admin CLI writes one event at a time, each in its own batch: many interleavings with the server's batches.
            var fromAdmin = Task.Run(async () =>
            {
                for (var i = 1; i <= 60; i++) await admin.RecordAsync(AuditTestLog.Event(i, action: AuditActions.Administer, actor: "admin"));
            });
            await Task.WhenAll(fromServer, fromAdmin);
        }
        var verification = AuditLogVerifier.Verify(dir.Directory);
        Assert.True(verification.Intact, verification.Break?.ToString());
        Assert.Equal(260, verification.Count);
        var records = (await new AuditLogReader(dir.Directory).ReadAsync(1, 1000)).Records;
        Assert.Equal(200, records.Count(r => r.Actor == "server"));
        Assert.Equal(60, records.Count(r => r.Actor == "admin"));
    }

    [Fact]
    public async Task A_writer_waits_for_the_lock_held_by_another_process()
    {
        using var dir = new AuditTestLog();
        await dir.WriteAsync(1);
        var log = new HashChainedAuditLog(dir.Directory);
        await using (log)
        {
            Task pending;
            using (AuditLogFiles.AcquireLock(dir.Directory, TimeSpan.FromSeconds(5)))
            {
                pending = log.RecordAsync(AuditTestLog.Event(2)).AsTask();
                await Task.Delay(200);
                Assert.False(pending.IsCompleted);
            }
            await pending.WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Equal(2, AuditLogVerifier.Verify(dir.Directory).Count);
    }

    [Fact]
    public async Task A_lock_never_released_fails_the_callers_instead_of_hanging_them()
    {
        using var dir = new AuditTestLog();
        var log = new HashChainedAuditLog(dir.Directory, lockTimeout: TimeSpan.FromMilliseconds(200));
        await using (log)
        {
            using (AuditLogFiles.AcquireLock(dir.Directory, TimeSpan.FromSeconds(5)))
            {
                var ex = await Assert.ThrowsAsync<AuditLogException>(() => log.RecordAsync(AuditTestLog.Event(1)).AsTask().WaitAsync(TimeSpan.FromSeconds(30)));
                Assert.Contains("lock", ex.Message, StringComparison.Ordinal);
            }
            // Once released, the log works again.
            await log.RecordAsync(AuditTestLog.Event(2));
        }
        Assert.Equal(1, AuditLogVerifier.Verify(dir.Directory).Count);
    }

    [Fact]
    public async Task A_torn_last_line_from_a_crash_is_moved_aside_and_the_repair_is_itself_recorded()
    {
        using var dir = new AuditTestLog();
        await dir.WriteAsync(3);
        var torn = "{\"seq\":4,\"time\":\"2026-11-23T1"u8.ToArray();
        await using (var file = new FileStream(dir.OnlyFile, FileMode.Append)) file.Write(torn);

        var before = AuditLogVerifier.Verify(dir.Directory);
        Assert.Equal((4L, 4L), (before.Break!.Sequence, before.Break.Line));
        Assert.Contains("cut short", before.Break.Problem, StringComparison.Ordinal);

        var log = new HashChainedAuditLog(dir.Directory);
        await using (log) await log.RecordAsync(AuditTestLog.Event(4));

        var after = AuditLogVerifier.Verify(dir.Directory);
        Assert.True(after.Intact, after.Break?.ToString());
        Assert.Equal(5, after.Count);
        var records = (await new AuditLogReader(dir.Directory).ReadAsync(4, 10)).Records;
        Assert.Equal(("radbridge", AuditActions.Administer, "failure"), (records[0].Actor, records[0].Action, records[0].Outcome));
        Assert.Contains($"{torn.Length} bytes", records[0].Detail, StringComparison.Ordinal);
        Assert.Equal("event 4", records[1].Detail);
        var kept = Assert.Single(Directory.GetFiles(Path.Combine(dir.Directory, AuditLogFiles.TornDirectoryName)));
        Assert.Equal(torn, File.ReadAllBytes(kept));
    }

    [Fact]
    public async Task The_chain_continues_across_day_files_and_verification_follows_it()
    {
        using var dir = new AuditTestLog();
        var clock = new SettableClock(new DateTimeOffset(2026, 11, 22, 23, 59, 0, TimeSpan.Zero));
        var log = new HashChainedAuditLog(dir.Directory, clock);
        await using (log)
        {
            await log.RecordAsync(AuditTestLog.Event(1));
            await log.RecordAsync(AuditTestLog.Event(2));
            clock.Now = clock.Now.AddMinutes(2);
            await log.RecordAsync(AuditTestLog.Event(3));
            // A clock set back a day does not reopen yesterday's file (file order must stay chain order).
            clock.Now = clock.Now.AddDays(-1);
            await log.RecordAsync(AuditTestLog.Event(4));
        }
        var files = AuditLogFiles.List(dir.Directory);
        Assert.Equal(["audit-20261122.jsonl", "audit-20261123.jsonl"], files.Select(Path.GetFileName));
        Assert.Equal(2, AuditTestLog.Lines(files[1]).Count);
        var verification = AuditLogVerifier.Verify(dir.Directory);
        Assert.True(verification.Intact, verification.Break?.ToString());
        Assert.Equal(4, verification.Count);

        var page = await new AuditLogReader(dir.Directory).ReadAsync(3, 10);
        Assert.Equal([3L, 4L], page.Records.Select(r => r.Sequence));
    }

    [Fact]
    public async Task Text_json_cannot_carry_and_overlong_detail_are_recorded_cleaned_not_refused()
    {
        using var dir = new AuditTestLog();
        var log = new HashChainedAuditLog(dir.Directory);
        await using (log)
        {
            await log.RecordAsync(AuditTestLog.Event(1) with { Actor = "eve\uD800", Detail = new string('x', AuditRecord.MaxDetailLength + 10) });
            await log.RecordAsync(AuditTestLog.Event(2));
        }
        Assert.True(AuditLogVerifier.Verify(dir.Directory).Intact);
        var first = (await new AuditLogReader(dir.Directory).ReadAsync(1, 1)).Records[0];
        Assert.Equal("eve\uFFFD", first.Actor);
        Assert.EndsWith("…(truncated)", first.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recording_after_close_is_refused()
    {
        using var dir = new AuditTestLog();
        var log = new HashChainedAuditLog(dir.Directory);
        await log.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await log.RecordAsync(AuditTestLog.Event(1)));
    }
}

/// <summary>Real separate processes appending to one log at once, as the server and the admin CLI do.</summary>
public sealed class AuditLogProcessTests
{
    [Fact]
    public async Task Writer_processes_and_an_in_process_writer_append_concurrently_to_one_intact_chain()
    {
        using var dir = new AuditTestLog();
        var processes = Enumerable.Range(1, 3).Select(p => AuditWriterProcess.Start(dir.Directory, 150, 8, $"process{p}")).ToList();
        var local = new HashChainedAuditLog(dir.Directory);
        await using (local)
        {
            await Parallel.ForEachAsync(Enumerable.Range(1, 150), new ParallelOptions { MaxDegreeOfParallelism = 8 },
                async (i, ct) => await local.RecordAsync(AuditTestLog.Event(i, actor: "local"), ct));
        }
        foreach (var process in processes)
        {
            using (process)
            {
                var stderr = process.StandardError.ReadToEndAsync();
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.True(process.ExitCode == 0, await stderr);
            }
        }

        var verification = AuditLogVerifier.Verify(dir.Directory);
        Assert.True(verification.Intact, verification.Break?.ToString());
        Assert.Equal(600, verification.Count);
        var records = (await new AuditLogReader(dir.Directory).ReadAsync(1, 1000)).Records;
        Assert.All(new[] { "process1", "process2", "process3", "local" }, actor => Assert.Equal(150, records.Count(r => r.Actor == actor)));
    }
}
