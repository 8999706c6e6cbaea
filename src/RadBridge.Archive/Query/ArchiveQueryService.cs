using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Query;

/// <summary>The answer to a search: the result data sets in order, whether more matched beyond the limit, and warnings.</summary>
/// <param name="Matches">One data set per matching entity.</param>
/// <param name="HasMore">More entities matched than <see cref="IndexQuery.Limit"/> let through (QIDO warns "additional results").</param>
/// <param name="Warnings">Things the caller should be told (QIDO: one <c>Warning: 299</c> header each): keys ignored for matching, attributes read from stored instances instead of the index, stored files that could not be read.</param>
public sealed record QueryResult(IReadOnlyList<DicomDataset> Matches, bool HasMore, IReadOnlyList<string> Warnings);

/// <summary>An instance a retrieve sends: its identity and its file's full path.</summary>
public sealed record IndexedInstance(string Path, string SopClassUid, string SopInstanceUid, string StudyInstanceUid, string SeriesInstanceUid, string TransferSyntaxUid);

/// <summary>Builds the Retrieve URL (0008,1190) of a result: the study, series or instance resource; null to leave it out.</summary>
public delegate string? RetrieveUrlBuilder(string studyInstanceUid, string? seriesInstanceUid, string? sopInstanceUid);

/// <summary>
/// The archive's query engine, shared by QIDO-RS and the C-FIND/C-MOVE/C-GET SCPs: evaluates an <see cref="IndexQuery"/>
/// in the database — always from <see cref="AccessScope.VisibleStudies(ArchiveDbContext, ArchiveCaller)"/>, so the
/// tenant filter is part of the SQL — with paging in SQL and a stable order, and builds the result data sets.
/// </summary>
/// <remarks>
/// Attributes the index does not hold are answered from a stored instance's header when asked for (QIDO includefield,
/// C-FIND return keys): the first instance of each matched study/series (their attributes are the same in every
/// instance), the instance itself at instance level. That is one header read per result, so it only happens when asked.
/// Order: studies newest first (Study Date, Study Time, then arrival), series by number, instances by number; patients
/// by arrival.
/// </remarks>
public sealed class ArchiveQueryService(InstanceFileStore files, RetrieveUrlBuilder? retrieveUrl = null)
{
    private const string Utf8 = "ISO_IR 192";

    /// <summary>Runs a search for <paramref name="caller"/>.</summary>
    /// <exception cref="IndexQueryException">A matching value the index cannot use (malformed date, UID…).</exception>
    public async Task<QueryResult> FindAsync(ArchiveDbContext db, ArchiveCaller caller, IndexQuery query, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(query);
        var rows = Page(Rows(db, caller, query), query, extra: 1);
        var list = await rows.ToListAsync(ct).ConfigureAwait(false);
        var hasMore = query.Limit is { } limit && list.Count > limit;
        if (hasMore) list.RemoveAt(list.Count - 1);

        var warnings = new List<string>();
        foreach (var tag in query.IgnoredMatchingKeys) warnings.Add($"{Keyword(tag)}: the archive does not match on this key; it was treated as a return key");
        var fromFiles = FileAttributes(query);
        Dictionary<long, DicomDataset?> headers = [];
        if (fromFiles.Count > 0 && list.Count > 0)
        {
            headers = await ReadHeadersAsync(db, caller, query.Level, list, warnings, ct).ConfigureAwait(false);
            // Correct values, but not from the index: the caller should know these cost a file read per result.
            warnings.Add($"{string.Join(", ", fromFiles.Select(Keyword))}: not held by the index; the values were read from the stored instances");
        }
        var results = new List<DicomDataset>(list.Count);
        foreach (var row in list)
        {
            results.Add(query.Style == ResponseStyle.Dimse
                ? DimseResponse(query, row, headers.GetValueOrDefault(row.KeyAt(query.Level)))
                : QidoResponse(query, row, fromFiles, headers.GetValueOrDefault(row.KeyAt(query.Level))));
        }
        return new QueryResult(results, hasMore, warnings);
    }

    /// <summary>
    /// Every instance at or below the entities that match (what a C-MOVE/C-GET sends), ordered by study, series and
    /// instance number. Paging does not apply.
    /// </summary>
    public async IAsyncEnumerable<IndexedInstance> ResolveAsync(ArchiveDbContext db, ArchiveCaller caller, IndexQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var instances = InstancesBelow(db, caller, query)
            .OrderBy(x => x.Instance.StudyId).ThenBy(x => x.Instance.SeriesId).ThenBy(x => x.Instance.InstanceNumber).ThenBy(x => x.Instance.Id)
            .Select(x => new { x.Instance.StoragePath, x.Instance.SopClassUid, x.Instance.SopInstanceUid, x.StudyUid, x.SeriesUid, x.Instance.TransferSyntaxUid });
        await foreach (var i in instances.AsAsyncEnumerable().WithCancellation(ct).ConfigureAwait(false))
        {
            yield return new IndexedInstance(files.FullPath(i.StoragePath), i.SopClassUid, i.SopInstanceUid, i.StudyUid, i.SeriesUid, i.TransferSyntaxUid);
        }
    }

    /// <summary>The SQL a search runs (for tests and diagnostics: the tenant predicate must be in it).</summary>
    public static string ToQueryString(ArchiveDbContext db, ArchiveCaller caller, IndexQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Page(Rows(db, caller, query), query, extra: 1).ToQueryString();
    }

    private sealed class InstanceBelow
    {
        public InstanceRecord Instance { get; init; } = null!;
        public string StudyUid { get; init; } = "";
        public string SeriesUid { get; init; } = "";
    }

    private static IQueryable<InstanceBelow> InstancesBelow(ArchiveDbContext db, ArchiveCaller caller, IndexQuery query)
    {
        var matched = Filtered(db, caller, query);
        switch (query.Level)
        {
            case QueryLevel.Patient:
            {
                var patients = matched.Select(r => r.Patient.Id);
                return from st in db.VisibleStudies(caller)
                       where patients.Contains(st.PatientRecordId)
                       join se in db.Series on st.Id equals se.StudyId
                       join i in db.Instances on se.Id equals i.SeriesId
                       select new InstanceBelow { Instance = i, StudyUid = st.StudyInstanceUid, SeriesUid = se.SeriesInstanceUid };
            }
            case QueryLevel.Study:
                return from r in matched
                       join se in db.Series on r.Study.Id equals se.StudyId
                       join i in db.Instances on se.Id equals i.SeriesId
                       select new InstanceBelow { Instance = i, StudyUid = r.Study.StudyInstanceUid, SeriesUid = se.SeriesInstanceUid };
            case QueryLevel.Series:
                return from r in matched
                       join i in db.Instances on r.Series.Id equals i.SeriesId
                       select new InstanceBelow { Instance = i, StudyUid = r.Study.StudyInstanceUid, SeriesUid = r.Series.SeriesInstanceUid };
            default:
                return matched.Select(r => new InstanceBelow { Instance = r.Instance, StudyUid = r.Study.StudyInstanceUid, SeriesUid = r.Series.SeriesInstanceUid });
        }
    }

    /// <summary>The rows of the level, from the caller's visible studies down, with every matching key applied.</summary>
    private static IQueryable<QueryRow> Filtered(ArchiveDbContext db, ArchiveCaller caller, IndexQuery query)
    {
        var studies = db.VisibleStudies(caller);
        var rows = query.Level switch
        {
            // A patient is listed when one of its studies is visible; the patient row itself has no tenant of its own to trust.
            QueryLevel.Patient => db.Patients.Where(p => studies.Any(s => s.PatientRecordId == p.Id)).Select(p => new QueryRow { Patient = p }),
            QueryLevel.Study => studies.Select(st => new QueryRow { Study = st }),
            QueryLevel.Series => from st in studies
                                 join se in db.Series on st.Id equals se.StudyId
                                 select new QueryRow { Study = st, Series = se },
            _ => from st in studies
                 join se in db.Series on st.Id equals se.StudyId
                 join i in db.Instances on se.Id equals i.SeriesId
                 select new QueryRow { Study = st, Series = se, Instance = i },
        };
        foreach (var predicate in new QueryPredicates(db, query).Build()) rows = rows.Where(predicate);
        return rows;
    }

    private static IQueryable<IndexRow> Rows(ArchiveDbContext db, ArchiveCaller caller, IndexQuery query)
    {
        var rows = Filtered(db, caller, query);
        switch (query.Level)
        {
            case QueryLevel.Patient:
            {
                var studies = db.VisibleStudies(caller);
                return rows.OrderBy(r => r.Patient.Id).Select(r => new IndexRow
                {
                    PatientKey = r.Patient.Id,
                    PatientId = r.Patient.PatientId,
                    PatientName = r.Patient.PatientName,
                    PatientBirthDate = r.Patient.BirthDate,
                    PatientSex = r.Patient.Sex,
                    // Counted over the studies the caller sees, not all the patient has.
                    PatientStudies = studies.Count(s => s.PatientRecordId == r.Patient.Id),
                    PatientSeries = studies.Where(s => s.PatientRecordId == r.Patient.Id).Sum(s => s.NumberOfSeries),
                    PatientInstances = studies.Where(s => s.PatientRecordId == r.Patient.Id).Sum(s => s.NumberOfInstances),
                });
            }
            case QueryLevel.Study:
                if (db.Database.IsSqlite() && HasLeadingWildcard(query))
                {
                    // SQLite serves a paged search by walking the newest-first index, right unless the filter can use no
                    // index and matches rarely: a value that starts with a wildcard ("*张*") then fetches nearly every
                    // study in date order by random access (165 ms vs 29 ms at 1M instances, bench/archive-scale.sh).
                    // COALESCE hides the index — a scan and a top-N sort — and keeps the order (SQLite sorts NULL below
                    // every string, so studies without a date stay last; only NULL and '' dates are no longer told apart).
                    return rows.OrderByDescending(r => r.Study.StudyDate ?? "").ThenByDescending(r => r.Study.StudyTime).ThenByDescending(r => r.Study.Id)
                        .Select(IndexRow.StudyProjection);
                }
                return rows.OrderByDescending(r => r.Study.StudyDate).ThenByDescending(r => r.Study.StudyTime).ThenByDescending(r => r.Study.Id)
                    .Select(IndexRow.StudyProjection);
            case QueryLevel.Series:
                return rows.OrderBy(r => r.Study.Id).ThenBy(r => r.Series.SeriesNumber).ThenBy(r => r.Series.Id).Select(IndexRow.SeriesProjection);
            default:
                return rows.OrderBy(r => r.Series.Id).ThenBy(r => r.Instance.InstanceNumber).ThenBy(r => r.Instance.Id).Select(IndexRow.InstanceProjection);
        }
    }

    /// <summary>A matching value that begins with a wildcard: no index can serve it.</summary>
    private static bool HasLeadingWildcard(IndexQuery query) =>
        query.Conditions.Any(c => !c.IsUniversal && (c.Value[0] is '*' or '?'));

    // One more row than the limit tells whether more results exist, without a second COUNT query.
    private static IQueryable<IndexRow> Page(IQueryable<IndexRow> rows, IndexQuery query, int extra)
    {
        if (query.Offset > 0) rows = rows.Skip(query.Offset);
        if (query.Limit is { } limit) rows = rows.Take(limit > int.MaxValue - extra ? int.MaxValue : limit + extra);
        return rows;
    }

    /// <summary>The asked-for attributes the index does not hold at this level: read from stored instances.</summary>
    private static List<DicomTag> FileAttributes(IndexQuery query) =>
        [.. query.IncludeFields.Where(t => IndexedAttributes.Find(t) is not { } a || !a.AnswerableAt(query.Level))];

    /// <summary>The header (up to pixel data) of one stored instance per result, keyed by the result's entity key.</summary>
    private async Task<Dictionary<long, DicomDataset?>> ReadHeadersAsync(ArchiveDbContext db, ArchiveCaller caller, QueryLevel level, List<IndexRow> rows, List<string> warnings, CancellationToken ct)
    {
        var keys = rows.Select(r => r.KeyAt(level)).Distinct().ToList();
        var paths = new Dictionary<long, string>();
        if (level == QueryLevel.Image)
        {
            foreach (var r in rows) paths[r.InstanceKey] = r.StoragePath!;
        }
        else
        {
            // The first instance of each entity, in two set-based queries (no per-result round trip).
            var instances = db.VisibleInstances(caller);
            var firsts = level switch
            {
                QueryLevel.Series => await instances.Where(i => keys.Contains(i.SeriesId)).GroupBy(i => i.SeriesId)
                    .Select(g => new { Key = g.Key, First = g.Min(i => i.Id) }).ToListAsync(ct).ConfigureAwait(false),
                QueryLevel.Study => await instances.Where(i => keys.Contains(i.StudyId)).GroupBy(i => i.StudyId)
                    .Select(g => new { Key = g.Key, First = g.Min(i => i.Id) }).ToListAsync(ct).ConfigureAwait(false),
                _ => await instances.Where(i => keys.Contains(i.Study!.PatientRecordId)).GroupBy(i => i.Study!.PatientRecordId)
                    .Select(g => new { Key = g.Key, First = g.Min(i => i.Id) }).ToListAsync(ct).ConfigureAwait(false),
            };
            var ids = firsts.Select(f => f.First).ToList();
            var byId = await db.Instances.Where(i => ids.Contains(i.Id)).Select(i => new { i.Id, i.StoragePath }).ToDictionaryAsync(i => i.Id, i => i.StoragePath, ct).ConfigureAwait(false);
            foreach (var f in firsts) paths[f.Key] = byId[f.First];
        }
        var headers = new Dictionary<long, DicomDataset?>();
        foreach (var key in keys)
        {
            DicomDataset? header = null;
            if (paths.TryGetValue(key, out var path))
            {
                try
                {
                    header = DicomFile.Open(files.FullPath(path), new DicomReadOptions { StopBeforePixelData = true }).Dataset;
                }
                catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
                {
                    warnings.Add($"a stored instance could not be read for attributes outside the index: {ex.Message}");
                }
            }
            headers[key] = header;
        }
        return headers;
    }

    private DicomDataset QidoResponse(IndexQuery query, IndexRow row, List<DicomTag> fromFiles, DicomDataset? header)
    {
        var response = new DicomDataset();
        response.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, Utf8);
        var tags = new List<DicomTag>(IndexedAttributes.QidoDefaults(query.Level));
        if (query.Level >= QueryLevel.Series && query.TargetStudyInstanceUid is null) tags.AddRange(IndexedAttributes.QidoDefaults(QueryLevel.Study));
        if (query.Level == QueryLevel.Image && query.TargetSeriesInstanceUid is null) tags.AddRange(IndexedAttributes.QidoDefaults(QueryLevel.Series));
        if (query.IncludeAllFields)
        {
            tags.AddRange(IndexedAttributes.All.Where(a => a.AnswerableAt(query.Level)).Select(a => a.Tag));
        }
        tags.AddRange(query.IncludeFields);
        foreach (var tag in tags.Distinct())
        {
            if (fromFiles.Contains(tag)) CopyFromHeader(response, tag, header);
            else AddIndexed(response, query.Level, row, tag);
        }
        return response;
    }

    private DicomDataset DimseResponse(IndexQuery query, IndexRow row, DicomDataset? header)
    {
        var response = new DicomDataset();
        response.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, Utf8);
        response.AddOrUpdate(QueryLevels.Level, DicomVR.CS, query.Level.Code());
        foreach (var tag in query.IncludeFields)
        {
            if (IndexedAttributes.Find(tag) is { } a && a.AnswerableAt(query.Level)) AddIndexed(response, query.Level, row, tag);
            else CopyFromHeader(response, tag, header);
        }
        return response;
    }

    private void AddIndexed(DicomDataset response, QueryLevel level, IndexRow row, DicomTag tag)
    {
        var attribute = IndexedAttributes.Find(tag)!;
        string? value;
        if (tag == DicomTags.InstanceAvailability) value = "ONLINE";
        else if (tag == DicomTags.RetrieveURL) value = RetrieveUrl(level, row);
        else value = row.ValueOf(tag);
        if (tag == DicomTags.RetrieveURL && value is null) return; // no URL builder: leave it out rather than send an empty one
        if (string.IsNullOrEmpty(value)) response.AddOrUpdate(tag, attribute.VR, ReadOnlyMemory<byte>.Empty);
        else response.AddOrUpdate(tag, attribute.VR, value); // US values (Rows, Columns…) are parsed to binary here
    }

    private string? RetrieveUrl(QueryLevel level, IndexRow row) => retrieveUrl is null || row.StudyInstanceUid is null ? null : level switch
    {
        QueryLevel.Patient => null,
        QueryLevel.Study => retrieveUrl(row.StudyInstanceUid, null, null),
        QueryLevel.Series => retrieveUrl(row.StudyInstanceUid, row.SeriesInstanceUid, null),
        _ => retrieveUrl(row.StudyInstanceUid, row.SeriesInstanceUid, row.SopInstanceUid),
    };

    /// <summary>
    /// Copies an attribute from a stored header into the response, re-encoding text in the response's character set;
    /// absent ones are returned empty (PS3.4 C.4.1.1.3.2).
    /// </summary>
    private static void CopyFromHeader(DicomDataset response, DicomTag tag, DicomDataset? header)
    {
        if (header is not null && header.TryGetElement(tag, out var element))
        {
            switch (element)
            {
                case DicomSequence sequence:
                    var copy = new DicomSequence(tag);
                    foreach (var item in sequence.Items)
                    {
                        var clone = item.Clone();
                        // Items inherit the character set of the data set they are in: keep the source's explicitly.
                        if (!clone.Contains(DicomTags.SpecificCharacterSet) && header.SpecificCharacterSet.Count > 0)
                        {
                            clone.AddOrUpdate(DicomTags.SpecificCharacterSet, DicomVR.CS, [.. header.SpecificCharacterSet]);
                        }
                        copy.Items.Add(clone);
                    }
                    response.AddOrUpdate(copy);
                    return;
                case DicomValueElement value when value.VR.UsesSpecificCharacterSet():
                    response.AddOrUpdate(tag, value.VR, header.GetString(tag) ?? "");
                    return;
                case DicomValueElement value:
                    response.AddOrUpdate(value);
                    return;
            }
        }
        var vr = DicomDictionary.Default.Find(tag)?.VR ?? DicomVR.UN;
        if (vr == DicomVR.SQ) response.AddOrUpdate(new DicomSequence(tag));
        else response.AddOrUpdate(tag, vr, ReadOnlyMemory<byte>.Empty);
    }

    private static string Keyword(DicomTag tag) => DicomDictionary.Default.Find(tag)?.Keyword is { Length: > 0 } k ? $"{k} {tag}" : tag.ToString();
}
