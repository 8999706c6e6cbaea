using RadBridge.Dicom.Network.Association;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>A stored instance a retrieve (C-MOVE, C-GET) sends: a Part 10 file and its identity.</summary>
public sealed record StoredInstance(string Path, string SopClassUid, string SopInstanceUid, string StudyInstanceUid, string SeriesInstanceUid);

/// <summary>
/// What the Query/Retrieve SCPs search: the folder index of <c>radbridge scp</c> today, the archive's database later.
/// Implementations apply the matching rules of PS3.4 C.2.2.2 (see <see cref="QueryMatcher"/>).
/// </summary>
public interface IQueryRetrieveSource
{
    /// <summary>The C-FIND responses (identifiers) of the entities at <paramref name="level"/> that match.</summary>
    IAsyncEnumerable<DicomDataset> FindAsync(QueryLevel level, DicomDataset identifier, MatchingOptions options, CancellationToken ct);

    /// <summary>Every instance at or below the entities at <paramref name="level"/> that match (what a retrieve sends).</summary>
    IAsyncEnumerable<StoredInstance> ResolveAsync(QueryLevel level, DicomDataset identifier, MatchingOptions options, CancellationToken ct);

    /// <summary>
    /// <see cref="FindAsync(QueryLevel, DicomDataset, MatchingOptions, CancellationToken)"/> for a request that arrived on
    /// <paramref name="association"/>: the SCPs call this one, so that a source which answers per caller (a tenant
    /// archive: what the calling AE's organisation may see) can tell who asks. The default ignores the association.
    /// A source may throw a <see cref="DicomException"/> for a query it cannot answer; the SCP answers C000 naming it.
    /// </summary>
    IAsyncEnumerable<DicomDataset> FindAsync(DicomAssociation association, QueryLevel level, DicomDataset identifier, MatchingOptions options, CancellationToken ct) =>
        FindAsync(level, identifier, options, ct);

    /// <summary><see cref="ResolveAsync(QueryLevel, DicomDataset, MatchingOptions, CancellationToken)"/> for a request that arrived on <paramref name="association"/> (see the FindAsync overload).</summary>
    IAsyncEnumerable<StoredInstance> ResolveAsync(DicomAssociation association, QueryLevel level, DicomDataset identifier, MatchingOptions options, CancellationToken ct) =>
        ResolveAsync(level, identifier, options, ct);
}
