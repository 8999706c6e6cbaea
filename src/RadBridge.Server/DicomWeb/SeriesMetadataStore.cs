using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Archive.Storage;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// The DICOM JSON metadata of series, kept in <see cref="SeriesMetadataCache"/>: built from the files' headers on the
/// first request, then served as one row read. Ingest and deletion drop the row when the series changes; a row whose
/// instance count no longer matches the series (a store raced the build) is rebuilt.
/// </summary>
/// <remarks>
/// Bulk data URIs are kept relative to the server root (<c>/dicomweb/studies/…/bulkdata/…</c>) so the cached bytes do not
/// depend on the host name a client used; <see cref="WriteAsync"/> makes them absolute on the way out.
/// </remarks>
internal sealed class SeriesMetadataStore(IDbContextFactory<ArchiveDbContext> contexts, InstanceFileStore store)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };
    private static readonly byte[] RelativeUriMarker = "\"BulkDataURI\":\"/"u8.ToArray();

    /// <summary>Values shorter than this stay inline; pixel data is always a bulk data reference.</summary>
    private const long InlineLimit = 1024;

    /// <summary>The JSON array of a visible series' instances, or null when the series is not visible.</summary>
    public async Task<byte[]?> GetSeriesAsync(ArchiveCaller caller, string studyUid, string seriesUid, CancellationToken ct)
    {
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var series = await db.VisibleSeries(caller).AsNoTracking()
                .Where(s => s.SeriesInstanceUid == seriesUid && s.Study!.StudyInstanceUid == studyUid)
                .Select(s => new { s.Id, s.NumberOfInstances }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
            if (series is null) return null;
            return await GetOrBuildAsync(db, caller, studyUid, seriesUid, series.Id, series.NumberOfInstances, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The JSON arrays of every visible series of a study, in series order; empty when the study is not visible.</summary>
    public async Task<IReadOnlyList<byte[]>> GetStudyAsync(ArchiveCaller caller, string studyUid, CancellationToken ct)
    {
        var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        await using (db.ConfigureAwait(false))
        {
            var all = await db.VisibleSeries(caller).AsNoTracking()
                .Where(s => s.Study!.StudyInstanceUid == studyUid)
                .OrderBy(s => s.SeriesNumber).ThenBy(s => s.Id)
                .Select(s => new { s.Id, s.SeriesInstanceUid, s.NumberOfInstances }).ToListAsync(ct).ConfigureAwait(false);
            var result = new List<byte[]>(all.Count);
            foreach (var s in all) result.Add(await GetOrBuildAsync(db, caller, studyUid, s.SeriesInstanceUid, s.Id, s.NumberOfInstances, ct).ConfigureAwait(false));
            return result;
        }
    }

    private async Task<byte[]> GetOrBuildAsync(ArchiveDbContext db, ArchiveCaller caller, string studyUid, string seriesUid, long seriesId, int instanceCount, CancellationToken ct)
    {
        var cached = await db.SeriesMetadata.AsNoTracking().Where(m => m.SeriesId == seriesId)
            .Select(m => new { m.Json, m.InstanceCount }).FirstOrDefaultAsync(ct).ConfigureAwait(false);
        if (cached is not null && cached.InstanceCount == instanceCount) return cached.Json;

        var instances = await WadoLookup.FindAsync(db, caller, studyUid, seriesUid, null, ct).ConfigureAwait(false);
        var json = await BuildAsync(instances, ct).ConfigureAwait(false);
        try
        {
            await db.SeriesMetadata.Where(m => m.SeriesId == seriesId).ExecuteDeleteAsync(ct).ConfigureAwait(false);
            db.SeriesMetadata.Add(new SeriesMetadataCache { SeriesId = seriesId, Json = json, InstanceCount = instances.Count, BuiltAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException)
        {
            // Another request cached it first, or the series was deleted meanwhile: the answer built here is still right.
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        return json;
    }

    /// <summary>The metadata of the given instances as one JSON array.</summary>
    public async Task<byte[]> BuildAsync(IReadOnlyList<InstanceLocation> instances, CancellationToken ct)
    {
        // Headers are parsed a few files at a time (the first /metadata of a large series is mostly file opening),
        // then written in series order.
        var headers = new DicomDataset?[instances.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, instances.Count), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (i, token) =>
        {
            try
            {
                headers[i] = (await DicomFile.OpenAsync(store.FullPath(instances[i].StoragePath), cancellationToken: token).ConfigureAwait(false)).Dataset;
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
            {
                // Deleted while the metadata was built: it is no longer part of the series.
            }
        }).ConfigureAwait(false);

        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        var writer = new Utf8JsonWriter(buffer, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartArray();
            for (var i = 0; i < instances.Count; i++)
            {
                if (headers[i] is { } dataset) DicomJson.Write(writer, dataset, OptionsFor(instances[i]));
            }
            writer.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static DicomJsonOptions OptionsFor(InstanceLocation instance)
    {
        var prefix = $"/dicomweb/studies/{instance.StudyUid}/series/{instance.SeriesUid}/instances/{instance.SopInstanceUid}/bulkdata/";
        return new DicomJsonOptions
        {
            BulkDataThreshold = 0,
            BulkDataUriFactory = reference =>
                reference.Length >= InlineLimit || reference.Path.Count == 0 && IsPixelData(reference.Element.Tag) || reference.Element is DicomValueElement { Buffer.IsLazy: true }
                    ? prefix + reference.FormatPath()
                    : null,
        };
    }

    private static bool IsPixelData(DicomTag tag) => tag == DicomTags.PixelData || tag == DicomTags.FloatPixelData || tag == DicomTags.DoubleFloatPixelData;

    /// <summary>Writes cached JSON with its root-relative bulk data URIs made absolute with <paramref name="origin"/> (scheme://host[:port]).</summary>
    public static async Task WriteAsync(Stream body, ReadOnlyMemory<byte> json, ReadOnlyMemory<byte> origin, CancellationToken ct)
    {
        var rest = json;
        while (true)
        {
            var at = rest.Span.IndexOf(RelativeUriMarker);
            if (at < 0) break;
            var upToSlash = at + RelativeUriMarker.Length - 1;
            await body.WriteAsync(rest[..upToSlash], ct).ConfigureAwait(false);
            await body.WriteAsync(origin, ct).ConfigureAwait(false);
            rest = rest[upToSlash..];
        }
        await body.WriteAsync(rest, ct).ConfigureAwait(false);
    }
}
