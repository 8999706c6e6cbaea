using RadBridge.Archive.Index;

namespace RadBridge.Archive.Tenancy;

/// <summary>
/// Who is asking, as every query path sees it: an authenticated user (HTTP) or a registered AE (DIMSE), with the
/// organisation whose data they may see and their role.
/// </summary>
/// <param name="Name">User name, or <c>AE:&lt;title&gt;</c> for a DICOM peer.</param>
/// <param name="OrganizationId">The caller's organisation.</param>
/// <param name="Role">One of <see cref="ArchiveRoles"/> (an AE acts as a technologist of its organisation).</param>
/// <param name="Channel">"DICOMweb", "DIMSE", "API", "CLI".</param>
/// <param name="RemoteAddress">Where the request came from, for the audit log.</param>
public sealed record ArchiveCaller(string Name, int OrganizationId, string Role, string Channel, string? RemoteAddress)
{
    public bool CanReadPatientData => ArchiveRoles.CanReadPatientData(Role);
}

/// <summary>
/// The tenant filter. Every query path (QIDO, WADO, C-FIND, C-MOVE, C-GET, metadata, bulk data, thumbnails) starts from
/// <c>VisibleStudies</c>, so the database only ever returns rows the caller may see: a study is visible to the
/// organisation that owns it and to organisations it is shared with.
/// </summary>
public static class AccessScope
{
    public static IQueryable<StudyRecord> VisibleStudies(this ArchiveDbContext db, int organizationId)
    {
        ArgumentNullException.ThrowIfNull(db);
        // "IN (SELECT …)" rather than "OR EXISTS (…)": SQLite then keeps using the (OrganizationId, …) indexes.
        var shared = db.StudyShares.Where(sh => sh.OrganizationId == organizationId).Select(sh => sh.StudyId);
        return db.Studies.Where(s => s.OrganizationId == organizationId || shared.Contains(s.Id));
    }

    public static IQueryable<StudyRecord> VisibleStudies(this ArchiveDbContext db, ArchiveCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        // A role without access to patient data (auditor) sees no study at all, whatever its organisation holds.
        return caller.CanReadPatientData ? db.VisibleStudies(caller.OrganizationId) : db.Studies.Where(_ => false);
    }

    public static IQueryable<SeriesRecord> VisibleSeries(this ArchiveDbContext db, ArchiveCaller caller)
    {
        var studies = db.VisibleStudies(caller).Select(s => s.Id);
        return db.Series.Where(se => studies.Contains(se.StudyId));
    }

    public static IQueryable<InstanceRecord> VisibleInstances(this ArchiveDbContext db, ArchiveCaller caller)
    {
        var studies = db.VisibleStudies(caller).Select(s => s.Id);
        return db.Instances.Where(i => studies.Contains(i.StudyId));
    }
}
