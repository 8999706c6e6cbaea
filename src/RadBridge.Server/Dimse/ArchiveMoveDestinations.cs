using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Server.Dimse;

/// <summary>
/// C-MOVE destinations: only AEs registered to the caller's own organisation with a host and a port, looked up in the
/// index per request (an AE added a moment ago is a destination at once). Anything else is A801, move destination unknown.
/// </summary>
public sealed class ArchiveMoveDestinations(IDbContextFactory<ArchiveDbContext> contexts)
{
    public async ValueTask<DicomPeer?> FindAsync(DicomAssociation association, string aeTitle, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(association);
        if (association.Principal is not ArchiveAssociation caller || string.IsNullOrWhiteSpace(aeTitle)) return null;
        var title = aeTitle.Trim();
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var ae = await db.RegisteredAes
                .Where(a => a.AeTitle == title && a.OrganizationId == caller.OrganizationId && a.Host != null && a.Port != null)
                .Select(a => new { a.AeTitle, a.Host, a.Port })
                .FirstOrDefaultAsync(ct).ConfigureAwait(false);
            return ae is null ? null : new DicomPeer(ae.AeTitle, ae.Host!, ae.Port!.Value);
        }
    }
}
