using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>
/// An in-memory index of the instances in a folder (the <c>radbridge scp --out DIR</c> store,
/// DIR/&lt;Study&gt;/&lt;Series&gt;/&lt;SOP&gt;.dcm): each file's header (read up to pixel data, bulk values dropped),
/// kept up to date as instances are stored. Answers queries by grouping instances into patients, studies and series.
/// </summary>
public sealed class FolderInstanceIndex : IQueryRetrieveSource, ICommitmentStore
{
    // Values longer than this are never query keys (icons, overlays, private blobs): not worth holding per instance.
    private const int MaxKeptValueLength = 1024;

    private static readonly DicomTag SopClassUid = new(0x0008, 0x0016);
    private static readonly DicomTag Modality = new(0x0008, 0x0060);
    private static readonly DicomTag ModalitiesInStudy = new(0x0008, 0x0061);
    private static readonly DicomTag SopClassesInStudy = new(0x0008, 0x0062);
    private static readonly DicomTag NumberOfPatientRelatedStudies = new(0x0020, 0x1200);
    private static readonly DicomTag NumberOfPatientRelatedSeries = new(0x0020, 0x1202);
    private static readonly DicomTag NumberOfPatientRelatedInstances = new(0x0020, 0x1204);
    private static readonly DicomTag NumberOfStudyRelatedSeries = new(0x0020, 0x1206);
    private static readonly DicomTag NumberOfStudyRelatedInstances = new(0x0020, 0x1208);
    private static readonly DicomTag NumberOfSeriesRelatedInstances = new(0x0020, 0x1209);

    private readonly ConcurrentDictionary<string, Entry> _instances = new(StringComparer.Ordinal);

    private sealed record Entry(StoredInstance Instance, DicomDataset Header);

    public FolderInstanceIndex(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public int Count => _instances.Count;

    /// <summary>Indexes every *.dcm file under the root (files that are not DICOM are skipped); returns how many were indexed.</summary>
    public int Scan()
    {
        if (!Directory.Exists(Root)) return 0;
        var added = 0;
        foreach (var file in Directory.EnumerateFiles(Root, "*.dcm", SearchOption.AllDirectories))
        {
            if (Path.GetFileName(file).StartsWith('.')) continue; // an instance still arriving
            if (TryAdd(file)) added++;
        }
        return added;
    }

    /// <summary>Indexes (or re-indexes) one file; false when it is not a readable DICOM instance.</summary>
    public bool TryAdd(string path)
    {
        DicomDataset header;
        try
        {
            header = DicomFile.Open(path, new DicomReadOptions { StopBeforePixelData = true }).Dataset;
        }
        catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
        header.RemoveAll(e => e is DicomValueElement { Length: > MaxKeptValueLength } || e is DicomFragmentSequence);
        var sop = header.GetString(QueryLevels.SopInstanceUid);
        if (string.IsNullOrEmpty(sop)) return false;
        var instance = new StoredInstance(Path.GetFullPath(path), header.GetString(SopClassUid) ?? "", sop,
            header.GetString(QueryLevels.StudyInstanceUid) ?? "", header.GetString(QueryLevels.SeriesInstanceUid) ?? "");
        _instances[sop] = new Entry(instance, header);
        return true;
    }

    /// <summary>Kept means indexed and its file still on disk (stored files are flushed to disk before they are indexed).</summary>
    public ValueTask<string?> StoredSopClassAsync(string sopInstanceUid, CancellationToken ct) =>
        ValueTask.FromResult(_instances.TryGetValue(sopInstanceUid, out var entry) && File.Exists(entry.Instance.Path) ? entry.Instance.SopClassUid : null);

    public async IAsyncEnumerable<DicomDataset> FindAsync(QueryLevel level, DicomDataset identifier, MatchingOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var matcher = new QueryMatcher(identifier, level, options);
        foreach (var (entity, _) in Entities(level))
        {
            ct.ThrowIfCancellationRequested();
            if (matcher.IsMatch(entity)) yield return matcher.BuildResponse(entity);
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async IAsyncEnumerable<StoredInstance> ResolveAsync(QueryLevel level, DicomDataset identifier, MatchingOptions options, [EnumeratorCancellation] CancellationToken ct)
    {
        var matcher = new QueryMatcher(identifier, level, options);
        foreach (var (entity, members) in Entities(level))
        {
            ct.ThrowIfCancellationRequested();
            if (!matcher.IsMatch(entity)) continue;
            foreach (var m in members) yield return m.Instance;
        }
        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// The entities at a level, each as one data set: the attributes of its first instance (higher-level attributes are
    /// the same in every instance) plus the computed ones the standard defines for the level (counts, modalities).
    /// </summary>
    private IEnumerable<(DicomDataset Entity, List<Entry> Members)> Entities(QueryLevel level)
    {
        var key = level.UniqueKey();
        var snapshot = _instances.Values.OrderBy(e => e.Instance.Path, StringComparer.Ordinal).ToList();
        foreach (var group in snapshot.GroupBy(e => e.Header.GetString(key) ?? "", StringComparer.Ordinal))
        {
            var members = group.ToList();
            var entity = members[0].Header.Clone();
            var studies = members.Select(m => m.Instance.StudyInstanceUid).Distinct(StringComparer.Ordinal).Count();
            var series = members.Select(m => m.Instance.SeriesInstanceUid).Distinct(StringComparer.Ordinal).Count();
            var count = Is(members.Count);
            switch (level)
            {
                case QueryLevel.Patient:
                    entity.AddOrUpdate(NumberOfPatientRelatedStudies, DicomVR.IS, Is(studies));
                    entity.AddOrUpdate(NumberOfPatientRelatedSeries, DicomVR.IS, Is(series));
                    entity.AddOrUpdate(NumberOfPatientRelatedInstances, DicomVR.IS, count);
                    break;
                case QueryLevel.Study:
                    entity.AddOrUpdate(ModalitiesInStudy, DicomVR.CS, Distinct(members, Modality));
                    entity.AddOrUpdate(SopClassesInStudy, DicomVR.UI, Distinct(members, SopClassUid));
                    entity.AddOrUpdate(NumberOfStudyRelatedSeries, DicomVR.IS, Is(series));
                    entity.AddOrUpdate(NumberOfStudyRelatedInstances, DicomVR.IS, count);
                    break;
                case QueryLevel.Series:
                    entity.AddOrUpdate(NumberOfSeriesRelatedInstances, DicomVR.IS, count);
                    break;
            }
            yield return (entity, members);
        }
    }

    private static string Is(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string[] Distinct(List<Entry> members, DicomTag tag) =>
        [.. members.SelectMany(m => m.Header.GetStrings(tag)).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
}
