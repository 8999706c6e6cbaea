using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Archive.Deletion;

/// <summary>What a deletion request found and did.</summary>
public enum DeletionOutcome
{
    /// <summary>The instances were removed from the index, then their files.</summary>
    Deleted,

    /// <summary>Nothing the caller can see matches (also for another organisation's data: not found, never "forbidden").</summary>
    NotFound,

    /// <summary>The caller sees the data (a share) or has a role that may not delete: only the owning organisation's admins may.</summary>
    Forbidden,
}

/// <summary>The result of <see cref="ArchiveDeletion.DeleteAsync"/>: the outcome and the instances removed.</summary>
public sealed record DeletionResult(DeletionOutcome Outcome, int InstancesDeleted, int FilesMissing);

/// <summary>
/// Deletes a study, a series or one instance: the index rows in one transaction (series and study counters kept right,
/// emptied series and studies removed, the patient's study count with them), and only after the commit the files.
/// </summary>
/// <remarks>
/// Index first, files second: a crash between the two leaves files without rows, which start-up recovery quarantines;
/// the reverse order could leave rows pointing at nothing. Only <see cref="ArchiveRoles.CanDelete"/> roles of the
/// organisation that owns the study may delete; a share grants reading, never deleting.
/// </remarks>
public sealed class ArchiveDeletion(IDbContextFactory<ArchiveDbContext> contexts, InstanceFileStore store)
{
    public async Task<DeletionResult> DeleteAsync(ArchiveCaller caller, string studyUid, string? seriesUid, string? sopInstanceUid, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(studyUid);
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        List<string> paths;
        await using (db.ConfigureAwait(false))
        {
            var study = await db.VisibleStudies(caller).FirstOrDefaultAsync(s => s.StudyInstanceUid == studyUid, ct).ConfigureAwait(false);
            if (study is null) return new DeletionResult(DeletionOutcome.NotFound, 0, 0);
            if (!ArchiveRoles.CanDelete(caller.Role) || study.OrganizationId != caller.OrganizationId) return new DeletionResult(DeletionOutcome.Forbidden, 0, 0);

            var tx = await db.Database.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (tx.ConfigureAwait(false))
            {
                var instances = db.Instances.Where(i => i.StudyId == study.Id);
                if (seriesUid is not null) instances = instances.Where(i => i.Series!.SeriesInstanceUid == seriesUid);
                if (sopInstanceUid is not null) instances = instances.Where(i => i.SopInstanceUid == sopInstanceUid);
                var doomed = await instances.Select(i => new { i.Id, i.SeriesId, i.StoragePath }).ToListAsync(ct).ConfigureAwait(false);
                if (doomed.Count == 0) return new DeletionResult(DeletionOutcome.NotFound, 0, 0);

                var ids = doomed.Select(d => d.Id).ToList();
                await db.Instances.Where(i => ids.Contains(i.Id)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                foreach (var perSeries in doomed.GroupBy(d => d.SeriesId))
                {
                    var removed = perSeries.Count();
                    await db.Series.Where(s => s.Id == perSeries.Key)
                        .ExecuteUpdateAsync(u => u.SetProperty(s => s.NumberOfInstances, s => s.NumberOfInstances - removed), ct).ConfigureAwait(false);
                    // The cached /metadata of the series no longer matches it.
                    await db.SeriesMetadata.Where(m => m.SeriesId == perSeries.Key).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                }
                var emptiedSeries = await db.Series.Where(s => s.StudyId == study.Id && !db.Instances.Any(i => i.SeriesId == s.Id)).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                var remaining = await db.Instances.CountAsync(i => i.StudyId == study.Id, ct).ConfigureAwait(false);
                if (remaining == 0)
                {
                    await db.StudyShares.Where(s => s.StudyId == study.Id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                    await db.Series.Where(s => s.StudyId == study.Id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                    await db.Studies.Where(s => s.Id == study.Id).ExecuteDeleteAsync(ct).ConfigureAwait(false);
                    await db.Patients.Where(p => p.Id == study.PatientRecordId)
                        .ExecuteUpdateAsync(u => u.SetProperty(p => p.NumberOfStudies, p => p.NumberOfStudies - 1), ct).ConfigureAwait(false);
                }
                else
                {
                    await db.Studies.Where(s => s.Id == study.Id).ExecuteUpdateAsync(u => u
                        .SetProperty(s => s.NumberOfInstances, remaining)
                        .SetProperty(s => s.NumberOfSeries, s => s.NumberOfSeries - emptiedSeries)
                        .SetProperty(s => s.UpdatedAt, DateTimeOffset.UtcNow), ct).ConfigureAwait(false);
                }
                await tx.CommitAsync(ct).ConfigureAwait(false);
                paths = doomed.Select(d => d.StoragePath).ToList();
            }
        }

        var missing = 0;
        foreach (var relative in paths)
        {
            var full = store.FullPath(relative);
            if (!File.Exists(full))
            {
                missing++;
                continue;
            }
            File.Delete(full);
            RemoveEmptyDirectories(Path.GetDirectoryName(full));
        }
        return new DeletionResult(DeletionOutcome.Deleted, paths.Count, missing);
    }

    // The series and study folders go with their last file; the fan-out folders stay (they are shared).
    private static void RemoveEmptyDirectories(string? directory)
    {
        for (var level = 0; level < 2 && directory is not null; level++)
        {
            if (!Directory.Exists(directory) || Directory.EnumerateFileSystemEntries(directory).Any()) return;
            try
            {
                Directory.Delete(directory);
            }
            catch (IOException)
            {
                return; // A store into the same folder raced us: it stays, harmlessly.
            }
            directory = Path.GetDirectoryName(directory);
        }
    }
}
