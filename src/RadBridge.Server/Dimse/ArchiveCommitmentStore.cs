using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;

namespace RadBridge.Server.Dimse;

/// <summary>
/// Storage commitment answered from the index: the archive takes responsibility for an instance when its row is
/// committed, the calling AE's organisation may see it, and its file is on disk with the size the index recorded.
/// </summary>
public sealed class ArchiveCommitmentStore(IDbContextFactory<ArchiveDbContext> contexts, InstanceFileStore files) : ICommitmentStore
{
    /// <summary>Without an association there is no caller, and so nothing visible.</summary>
    public ValueTask<string?> StoredSopClassAsync(string sopInstanceUid, CancellationToken ct) => ValueTask.FromResult<string?>(null);

    public async ValueTask<string?> StoredSopClassAsync(DicomAssociation association, string sopInstanceUid, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(association);
        if (association.Principal is not ArchiveAssociation caller) return null;
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var row = await db.VisibleInstances(caller.Caller)
                .Where(i => i.SopInstanceUid == sopInstanceUid)
                .Select(i => new { i.SopClassUid, i.StoragePath, i.FileSize })
                .FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (row is null) return null;
            var file = new FileInfo(files.FullPath(row.StoragePath));
            return file.Exists && file.Length == row.FileSize ? row.SopClassUid : null;
        }
    }
}
