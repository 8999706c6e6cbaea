using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.DicomWeb;

/// <summary>An instance a request resolved to: its UIDs, how it is stored and where.</summary>
internal sealed record InstanceLocation(
    long Id, long SeriesId, string StudyUid, string SeriesUid, string SopInstanceUid, string SopClassUid,
    string TransferSyntaxUid, string StoragePath, int? NumberOfFrames, int? SeriesNumber, int? InstanceNumber, bool IsImage);

/// <summary>
/// Resolves WADO-RS resources (study, series, instance) to the caller's visible instances. Every lookup starts from
/// <see cref="AccessScope"/>, so another organisation's data is filtered out by the database query itself and is simply
/// not found.
/// </summary>
internal static class WadoLookup
{
    /// <summary>The visible instances of the resource, in series then instance number order; empty when none is visible.</summary>
    public static async Task<IReadOnlyList<InstanceLocation>> FindAsync(ArchiveDbContext db, ArchiveCaller caller, string studyUid, string? seriesUid, string? instanceUid, CancellationToken ct)
    {
        var query = db.VisibleInstances(caller).AsNoTracking();
        // The most selective unique key first: an instance lookup is one index probe.
        if (instanceUid is not null) query = query.Where(i => i.SopInstanceUid == instanceUid);
        if (seriesUid is not null) query = query.Where(i => i.Series!.SeriesInstanceUid == seriesUid);
        query = query.Where(i => i.Study!.StudyInstanceUid == studyUid);
        return await query
            .OrderBy(i => i.Series!.SeriesNumber).ThenBy(i => i.SeriesId).ThenBy(i => i.InstanceNumber).ThenBy(i => i.Id)
            .Select(i => new InstanceLocation(i.Id, i.SeriesId, studyUid, i.Series!.SeriesInstanceUid, i.SopInstanceUid, i.SopClassUid,
                i.TransferSyntaxUid, i.StoragePath, i.NumberOfFrames, i.Series.SeriesNumber, i.InstanceNumber, i.Rows != null))
            .ToListAsync(ct).ConfigureAwait(false);
    }

    /// <summary>The visible instances, or a 404 naming what was not found.</summary>
    public static async Task<IReadOnlyList<InstanceLocation>> RequireAsync(ArchiveDbContext db, ArchiveCaller caller, string studyUid, string? seriesUid, string? instanceUid, CancellationToken ct)
    {
        var found = await FindAsync(db, caller, studyUid, seriesUid, instanceUid, ct).ConfigureAwait(false);
        if (found.Count == 0) throw new DicomWebException(404, NotFoundMessage(studyUid, seriesUid, instanceUid));
        return found;
    }

    public static string NotFoundMessage(string studyUid, string? seriesUid, string? instanceUid) =>
        instanceUid is not null ? $"instance {instanceUid} of series {seriesUid} in study {studyUid} was not found"
        : seriesUid is not null ? $"series {seriesUid} in study {studyUid} was not found"
        : $"study {studyUid} was not found";
}
