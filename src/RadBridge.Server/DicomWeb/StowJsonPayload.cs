using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// A STOW-RS request of type <c>application/dicom+json</c> (PS3.18 §10.5.1.2.2): the first part is a DICOM JSON array
/// of instances, the following parts the bulk data their <c>BulkDataURI</c>s reference, matched by the parts'
/// Content-Location. Bulk parts are spooled to temp files (only the JSON is held in memory, up to
/// <see cref="MaxJsonBytes"/>); once the body is read each data set becomes a PS3.10 file — File Meta generated,
/// transfer syntax from its (0002,0010) if given, else from the pixel data part's <c>transfer-syntax</c> parameter, else
/// Explicit VR Little Endian — and goes to the archive like any received file. One data set that cannot be built fails
/// alone (Failure Reason C000H); the others are stored.
/// </summary>
public sealed class StowJsonPayload
{
    /// <summary>The metadata part's size limit: DICOM JSON without bulk data is kilobytes per instance.</summary>
    public const int MaxJsonBytes = 64 * 1024 * 1024;

    private const int MaxJsonDepth = 3 * 64 + 8;
    private static readonly string PixelDataKey = DicomTags.PixelData.ToHexString();

    private readonly StowInstanceReceiver _receiver;
    private readonly Dictionary<string, BulkPart> _bulk = new(StringComparer.Ordinal);
    private byte[]? _json;

    public StowJsonPayload(StowInstanceReceiver receiver) => _receiver = receiver;

    private sealed record BulkPart(string Path, long Length, string? TransferSyntaxUid);

    public async Task AddPartAsync(MultipartSection section, int part, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(section);
        if (_json is null)
        {
            if (section.ContentType is { } t && !StowContentType.IsMediaType(t, "application/dicom+json") && !StowContentType.IsMediaType(t, "application/json"))
            {
                throw new StowRequestException($"the first part of an application/dicom+json request must be the DICOM JSON metadata, not {StowContentType.Clip(t)}");
            }
            _json = await ReadBoundedAsync(section.Body, ct).ConfigureAwait(false);
            return;
        }
        var location = section.Headers?.TryGetValue("Content-Location", out var l) == true ? l.ToString().Trim() : "";
        if (location.Length == 0) throw new StowRequestException($"bulk data part {part} has no Content-Location, so no BulkDataURI can refer to it");
        if (_bulk.ContainsKey(location)) throw new StowRequestException($"bulk data part {part} repeats Content-Location {StowContentType.Clip(location)}");
        var path = _receiver.NewTempPath() + ".bulk";
        try
        {
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 0);
            await using (file.ConfigureAwait(false))
            {
                await section.Body.CopyToAsync(file, 64 * 1024, ct).ConfigureAwait(false);
                _bulk[location] = new BulkPart(path, file.Length, StowMultipartBody.ContentTypeParameter(section, "transfer-syntax"));
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
    }

    /// <summary>Builds and hands over every data set of the metadata part; removes the spooled bulk data afterwards.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        try
        {
            if (_json is null) throw new StowRequestException("the application/dicom+json request has no metadata part");
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(_json, new JsonDocumentOptions { MaxDepth = MaxJsonDepth });
            }
            catch (JsonException ex)
            {
                throw new StowRequestException($"the DICOM JSON metadata part is not valid JSON: {ex.Message}", ex);
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Array) throw new StowRequestException($"the DICOM JSON metadata part must be an array of data sets, not {doc.RootElement.ValueKind}");
                var index = 0;
                foreach (var element in doc.RootElement.EnumerateArray())
                {
                    index++;
                    string temp;
                    try
                    {
                        temp = await BuildFileAsync(element, ct).ConfigureAwait(false);
                    }
                    catch (DicomException ex)
                    {
                        _receiver.AddFailure(StowInstanceResult.Failure(index, StowFailureReasons.CannotUnderstand, $"data set {index} of the DICOM JSON: {ex.Message}", TryHeader(element)));
                        continue;
                    }
                    await _receiver.AcceptFileAsync(temp, index, ct).ConfigureAwait(false);
                }
                if (index == 0) throw new StowRequestException("the DICOM JSON metadata part is an empty array");
            }
        }
        finally
        {
            // The built files were written from these; ArchiveIngest owns those now.
            DeleteSpooledBulkData();
        }
    }

    /// <summary>Removes the spooled bulk parts (also when the request broke before <see cref="CompleteAsync"/>).</summary>
    public void DeleteSpooledBulkData()
    {
        foreach (var b in _bulk.Values) File.Delete(b.Path);
        _bulk.Clear();
    }

    private async Task<string> BuildFileAsync(JsonElement element, CancellationToken ct)
    {
        if (element.ValueKind != JsonValueKind.Object) throw new DicomException($"expected a data set object, found {element.ValueKind}");
        var options = new DicomJsonOptions { BulkDataResolver = Resolve };
        var dataset = DicomJson.Deserialize(JsonSerializer.SerializeToUtf8Bytes(element), options);

        var pixelUri = element.TryGetProperty(PixelDataKey, out var px) && px.ValueKind == JsonValueKind.Object &&
                       px.TryGetProperty("BulkDataURI", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        var tsUid = dataset.GetString(new DicomTag(0x0002, 0x0010))
                    ?? (pixelUri is not null && _bulk.TryGetValue(pixelUri, out var bp) ? bp.TransferSyntaxUid : null);
        var ts = tsUid is null ? DicomTransferSyntax.ExplicitVRLittleEndian : DicomTransferSyntax.Lookup(tsUid);
        if (!ts.IsKnown) throw new DicomException($"transfer syntax {tsUid} is not one RadBridge knows");
        dataset.RemoveAll(e => e.Tag.Group == 0x0002);

        // Compressed pixel data sent as one bulk part (the frame's bitstream, not PS3.5 items): one fragment.
        if (ts.IsEncapsulated && dataset[DicomTags.PixelData] is DicomValueElement native)
        {
            var frames = int.TryParse(dataset.GetString(DicomTags.NumberOfFrames), System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : 1;
            if (frames > 1) throw new DicomException($"compressed pixel data of {frames} frames in one bulk part cannot be split into frames; send it as PS3.5 encapsulated items");
            dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, DicomBuffer.Empty, [native.Buffer]));
        }
        else if (!ts.IsEncapsulated && dataset[DicomTags.PixelData] is DicomFragmentSequence)
        {
            throw new DicomException($"the pixel data is encapsulated but the transfer syntax {ts.Uid} is native");
        }

        var temp = _receiver.NewTempPath();
        try
        {
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
            await using (file.ConfigureAwait(false))
            {
                await new DicomFile(dataset, ts).WriteToAsync(file, ts, null, ct).ConfigureAwait(false);
                // Not fsync'ed here: ArchiveIngest's barrier makes the instance durable before it is acknowledged.
                await file.FlushAsync(ct).ConfigureAwait(false);
            }
            return temp;
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private FileDicomBuffer Resolve(string uri) =>
        _bulk.TryGetValue(uri, out var b)
            ? new FileDicomBuffer(b.Path, 0, b.Length)
            : throw new DicomException($"BulkDataURI {StowContentType.Clip(uri)} names no part of the request (no part has that Content-Location)");

    /// <summary>The UIDs of a data set that could not be built, read straight from its JSON, to name it in the response.</summary>
    private static DicomDataset? TryHeader(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object) return null;
        var ds = new DicomDataset();
        foreach (var tag in new[] { DicomTags.SOPClassUID, DicomTags.SOPInstanceUID, DicomTags.StudyInstanceUID, DicomTags.SeriesInstanceUID })
        {
            if (element.TryGetProperty(tag.ToHexString(), out var a) && a.ValueKind == JsonValueKind.Object && a.TryGetProperty("Value", out var v) &&
                v.ValueKind == JsonValueKind.Array && v.GetArrayLength() == 1 && v[0].ValueKind == JsonValueKind.String &&
                Archive.Storage.InstanceFileStore.IsValidUid(v[0].GetString()!))
            {
                ds.AddOrUpdate(tag, DicomVR.UI, v[0].GetString()!);
            }
        }
        return ds;
    }

    private static async Task<byte[]> ReadBoundedAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int n;
        while ((n = await body.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + n > MaxJsonBytes) throw new StowRequestException(Microsoft.AspNetCore.Http.StatusCodes.Status413PayloadTooLarge, $"the DICOM JSON metadata part is larger than {MaxJsonBytes / (1024 * 1024)} MiB");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }
}
