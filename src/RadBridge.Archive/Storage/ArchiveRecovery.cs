using RadBridge.Archive.Deletion;
using RadBridge.Archive.Ingest;
using RadBridge.Archive.Tenancy;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using RadBridge.Archive.Index;

namespace RadBridge.Archive.Storage;

/// <summary>What start-up recovery found and did.</summary>
public sealed record RecoveryReport(bool WasCleanShutdown, int IncompleteMoved, int FilesChecked, int OrphansQuarantined, IReadOnlyList<string> MissingFiles, int UnacknowledgedRemoved = 0)
{
    public bool NothingToDo => IncompleteMoved == 0 && OrphansQuarantined == 0 && MissingFiles.Count == 0 && UnacknowledgedRemoved == 0;
}

/// <summary>
/// Start-up reconciliation of files and index. A graceful stop leaves a marker; without it (a crash, kill -9, power
/// loss) the store is walked and compared with the index:
/// <list type="bullet">
/// <item>partial uploads left in the temp directory were never acknowledged: moved to <c>quarantine/incomplete/</c>;</item>
/// <item>a stored file without an index row (the crash fell between rename and commit, so it was never acknowledged
/// either) is moved to <c>quarantine/orphans/</c> under its relative path — never silently deleted;</item>
/// <item>an index row whose file is missing cannot be repaired: it is reported (log and <c>quarantine/missing-*.txt</c>).</item>
/// </list>
/// </summary>
public static class ArchiveRecovery
{
    private const string CleanMarker = ".clean-shutdown";

    public static async Task<RecoveryReport> RunAsync(ArchiveLocation location, ILogger logger, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(logger);
        location.EnsureDirectories();
        var marker = Path.Combine(location.DataDirectory, CleanMarker);
        var clean = File.Exists(marker);
        if (clean) File.Delete(marker);

        var incomplete = MoveAll(location.TempDirectory, Path.Combine(location.QuarantineDirectory, "incomplete"));
        if (clean && incomplete == 0) return new RecoveryReport(true, 0, 0, 0, []);

        var store = new InstanceFileStore(location);
        var files = Directory.Exists(store.Root)
            ? Directory.EnumerateFiles(store.Root, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(store.Root, f)).ToList()
            : [];
        var indexed = new HashSet<string>(StringComparer.Ordinal);
        await using (var db = ArchiveDatabase.Open(location))
        {
            foreach (var chunk in files.Chunk(500))
            {
                var found = await db.Instances.Where(i => chunk.Contains(i.StoragePath)).Select(i => i.StoragePath).ToListAsync(ct).ConfigureAwait(false);
                indexed.UnionWith(found);
            }
        }
        // Rows committed after the last barrier known to have completed were never acknowledged; after an OS crash their
        // files may not have reached the disk. Those not intact are removed (their files quarantined) before the
        // orphan pass below would treat the files as unindexed.
        var unacknowledged = await RemoveUnacknowledgedRowsAsync(location, store, logger, ct).ConfigureAwait(false);
        indexed.ExceptWith(unacknowledged);
        files.RemoveAll(f => unacknowledged.Contains(f) && !File.Exists(store.FullPath(f)));

        var orphans = 0;
        foreach (var relative in files.Where(f => !indexed.Contains(f)))
        {
            var target = Path.Combine(location.QuarantineDirectory, "orphans", relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(store.FullPath(relative), UniquePath(target));
            orphans++;
            logger.LogWarning("recovery: {File} was stored but never indexed (not acknowledged); quarantined", relative);
        }

        // Rows without files. Only checked after an unclean stop; rows are written after their files, so this finding
        // means the disk lost data under us.
        var missing = new List<string>();
        await using (var db = ArchiveDatabase.Open(location))
        {
            long last = 0;
            while (true)
            {
                var page = await db.Instances.Where(i => i.Id > last).OrderBy(i => i.Id).Select(i => new { i.Id, i.StoragePath, i.SopInstanceUid }).Take(5000).ToListAsync(ct).ConfigureAwait(false);
                if (page.Count == 0) break;
                last = page[^1].Id;
                missing.AddRange(page.Where(r => !File.Exists(store.FullPath(r.StoragePath))).Select(r => r.SopInstanceUid));
            }
        }
        if (missing.Count > 0)
        {
            logger.LogError("recovery: {Count} indexed instances have no file (first: {First})", missing.Count, missing[0]);
            await File.WriteAllLinesAsync(Path.Combine(location.QuarantineDirectory, $"missing-{DateTimeOffset.UtcNow:yyyyMMddHHmmss}.txt"), missing, ct).ConfigureAwait(false);
        }
        var report = new RecoveryReport(clean, incomplete, files.Count, orphans, missing, unacknowledged.Count);
        if (logger.IsEnabled(LogLevel.Information))
        {
            logger.LogInformation("recovery after {Kind}: {Checked} files checked, {Incomplete} incomplete uploads and {Orphans} orphans quarantined, {Missing} missing",
                clean ? "a clean stop" : "an unclean stop", files.Count, incomplete, orphans, missing.Count);
        }
        return report;
    }

    private static async Task<HashSet<string>> RemoveUnacknowledgedRowsAsync(ArchiveLocation location, InstanceFileStore store, ILogger logger, CancellationToken ct)
    {
        var removed = new HashSet<string>(StringComparer.Ordinal);
        var mark = IngestBarrierMark.Read(location) ?? 0;
        List<(string Study, string Series, string Sop, int Organization, string Path, long Size, string Hash)> suspects;
        await using (var db = ArchiveDatabase.Open(location))
        {
            suspects = (await db.Instances.Where(i => i.Id > mark)
                    .Select(i => new { i.Study!.StudyInstanceUid, i.Series!.SeriesInstanceUid, i.SopInstanceUid, i.Study.OrganizationId, i.StoragePath, i.FileSize, i.DataSetSha256 })
                    .ToListAsync(ct).ConfigureAwait(false))
                .Select(r => (r.StudyInstanceUid, r.SeriesInstanceUid, r.SopInstanceUid, r.OrganizationId, r.StoragePath, r.FileSize, r.DataSetSha256))
                .ToList();
        }
        var deletion = new ArchiveDeletion(new ArchiveContextFactory(location), store);
        foreach (var row in suspects)
        {
            var full = store.FullPath(row.Path);
            if (await IsIntactAsync(full, row.Size, row.Hash, ct).ConfigureAwait(false)) continue;
            if (File.Exists(full))
            {
                var target = UniquePath(Path.Combine(location.QuarantineDirectory, "unacknowledged", row.Path));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(full, target);
            }
            var recovery = new ArchiveCaller("system:recovery", row.Organization, ArchiveRoles.Admin, "CLI", null);
            await deletion.DeleteAsync(recovery, row.Study, row.Series, row.Sop, ct).ConfigureAwait(false);
            removed.Add(row.Path);
            logger.LogWarning("recovery: instance {Sop} was committed but its file did not reach the disk before the stop (never acknowledged); row removed", row.Sop);
        }
        return removed;
    }

    private static async Task<bool> IsIntactAsync(string path, long size, string hash, CancellationToken ct)
    {
        if (!File.Exists(path) || new FileInfo(path).Length != size) return false;
        try
        {
            return string.Equals(await DataSetHash.ComputeAsync(path, ct).ConfigureAwait(false), hash, StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is IOException or Dicom.DicomException)
        {
            return false;
        }
    }

    /// <summary>Records that the archive stopped cleanly (every acknowledged instance indexed, nothing half-written).</summary>
    public static void MarkCleanShutdown(ArchiveLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        DurableFiles.WriteAllBytes(Path.Combine(location.DataDirectory, CleanMarker), "clean\n"u8);
    }

    private static int MoveAll(string from, string to)
    {
        if (!Directory.Exists(from)) return 0;
        var moved = 0;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories).ToList())
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(file, UniquePath(target));
            moved++;
        }
        return moved;
    }

    private static string UniquePath(string path)
    {
        if (!File.Exists(path)) return path;
        return $"{path}.{DateTimeOffset.UtcNow:yyyyMMddHHmmssfff}.{Guid.NewGuid():N}";
    }
}
