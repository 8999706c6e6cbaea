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
}
