using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using RadBridge.Archive.Storage;

namespace RadBridge.Archive.Tests;

public sealed class RecoveryTests
{
    [Fact]
    public async Task After_an_unclean_stop_orphans_and_partial_uploads_are_quarantined_and_indexed_files_stay()
    {
        await using var archive = await TestArchive.CreateAsync();
        await archive.StoreAsync(TestPaths.Sample("CT_small.dcm"), archive.ClinicA);
        var orphan = archive.Ingest.Store.FullPath(InstanceFileStore.RelativePathFor("1.2.3", "1.2.3.4", "1.2.3.4.5"));
        Directory.CreateDirectory(Path.GetDirectoryName(orphan)!);
        File.Copy(TestPaths.Sample("CT_small.dcm"), orphan);
        var partial = archive.Ingest.NewTempPath();
        await File.WriteAllBytesAsync(partial, new byte[100]);

        var report = await ArchiveRecovery.RunAsync(archive.Location, NullLogger.Instance);

        Assert.False(report.WasCleanShutdown);
        Assert.Equal(1, report.OrphansQuarantined);
        Assert.Equal(1, report.IncompleteMoved);
        Assert.Empty(report.MissingFiles);
        Assert.False(File.Exists(orphan));
        Assert.False(File.Exists(partial));
        Assert.Single(Directory.GetFiles(Path.Combine(archive.Location.QuarantineDirectory, "orphans"), "*.dcm", SearchOption.AllDirectories));
        Assert.Single(Directory.GetFiles(Path.Combine(archive.Location.QuarantineDirectory, "incomplete")));
        await using var db = archive.Open();
        var row = await db.Instances.SingleAsync();
        Assert.True(File.Exists(archive.Ingest.Store.FullPath(row.StoragePath)));
    }

    [Fact]
    public async Task A_row_whose_file_vanished_is_reported_and_a_clean_stop_skips_the_walk()
    {
        await using var archive = await TestArchive.CreateAsync();
        await archive.StoreAsync(TestPaths.Sample("CT_small.dcm"), archive.ClinicA);
        await using (var db = archive.Open())
        {
            File.Delete(archive.Ingest.Store.FullPath((await db.Instances.SingleAsync()).StoragePath));
        }
        var report = await ArchiveRecovery.RunAsync(archive.Location, NullLogger.Instance);
        Assert.Single(report.MissingFiles);
        Assert.Single(Directory.GetFiles(archive.Location.QuarantineDirectory, "missing-*.txt"));

        ArchiveRecovery.MarkCleanShutdown(archive.Location);
        var clean = await ArchiveRecovery.RunAsync(archive.Location, NullLogger.Instance);
        Assert.True(clean.WasCleanShutdown);
        Assert.True(clean.NothingToDo);
        Assert.Equal(0, clean.FilesChecked);
    }

    // An OS crash between a batch's commit and its barrier: the row reached the disk, the file's bytes did not, and the
    // mark on disk is below the row (it is only ever raised after a barrier). Simulated by truncating the file and
    // lowering the mark.
    [Fact]
    public async Task A_row_above_the_mark_whose_file_is_not_intact_was_never_acknowledged_and_is_removed()
    {
        await using var archive = await TestArchive.CreateAsync();
        await archive.StoreAsync(TestPaths.Sample("CT_small.dcm"), archive.ClinicA);
        await archive.StoreAsync(TestPaths.Sample("MR_small.dcm"), archive.ClinicA);
        string torn;
        await using (var db = archive.Open())
        {
            var rows = await db.Instances.OrderBy(i => i.Id).ToListAsync();
            torn = rows[1].StoragePath;
            await File.WriteAllBytesAsync(Path.Combine(archive.Location.DataDirectory, "ingest.mark"), BitConverter.GetBytes(rows[0].Id));
        }
        await using (var stream = new FileStream(archive.Ingest.Store.FullPath(torn), FileMode.Open))
        {
            stream.SetLength(stream.Length / 2);
        }

        var report = await ArchiveRecovery.RunAsync(archive.Location, NullLogger.Instance);

        Assert.Equal(1, report.UnacknowledgedRemoved);
        Assert.Equal(0, report.OrphansQuarantined);
        Assert.Empty(report.MissingFiles);
        Assert.Single(Directory.GetFiles(Path.Combine(archive.Location.QuarantineDirectory, "unacknowledged"), "*.dcm", SearchOption.AllDirectories));
        await using var after = archive.Open();
        var kept = await after.Instances.SingleAsync();
        Assert.NotEqual(torn, kept.StoragePath);
        // The removed instance was the only one of its study: no study row is left counting it.
        Assert.Equal(1, await after.Studies.CountAsync());
        Assert.Equal(1, (await after.Studies.SingleAsync()).NumberOfInstances);
    }

    [Fact]
    public async Task Rows_above_the_mark_with_intact_files_stay()
    {
        await using var archive = await TestArchive.CreateAsync();
        await archive.StoreAsync(TestPaths.Sample("CT_small.dcm"), archive.ClinicA);
        await File.WriteAllBytesAsync(Path.Combine(archive.Location.DataDirectory, "ingest.mark"), BitConverter.GetBytes(0L));

        var report = await ArchiveRecovery.RunAsync(archive.Location, NullLogger.Instance);

        Assert.Equal(0, report.UnacknowledgedRemoved);
        Assert.True(report.NothingToDo);
        await using var db = archive.Open();
        Assert.Equal(1, await db.Instances.CountAsync());
    }
}
