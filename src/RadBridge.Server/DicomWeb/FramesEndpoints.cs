using System.Globalization;
using Microsoft.AspNetCore.Http;
using RadBridge.Archive.Audit;
using RadBridge.Dicom.Imaging;
using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// WADO-RS <c>/frames/{list}</c> and <c>/bulkdata/{path}</c> of an instance (PS3.18 §10.4.1.1.3–4). Frames go out as
/// stored when the Accept header allows it (native frames as application/octet-stream, compressed ones as their image
/// media type), decoded to application/octet-stream when that is asked for, or re-encoded when another compressed
/// syntax is asked for and a codec can do it. Only the requested frames' bytes are read from the file.
/// </summary>
internal static class FramesEndpoints
{
    /// <summary>How frames are sent: as stored, decoded to native little endian, or re-encoded in a syntax.</summary>
    private enum FrameForm
    {
        Stored,
        Decoded,
        Encoded,
    }

    private sealed record FramePlan(FrameForm Form, string MediaType, string TransferSyntaxUid, bool SinglePart);

    public static async Task FramesAsync(HttpContext http, WadoContext wado, string study, string series, string instance, string frameList)
    {
        var ct = http.RequestAborted;
        var caller = WadoContext.Caller(http);
        var location = (await RequireAsync(wado, caller, study, series, instance, "frames", ct).ConfigureAwait(false));
        var opened = await wado.Instances.GetAsync(location, wado.FullPath(location), ct).ConfigureAwait(false);
        var pixels = opened.RequirePixelData(instance);
        var frames = ParseFrameList(frameList, pixels.FrameCount);
        var plan = Negotiate(AcceptNegotiation.Parse(http.Request.Headers.Accept), pixels.TransferSyntax.Uid, frames.Count);
        await WriteFramesAsync(http, pixels, frames, plan, ct).ConfigureAwait(false);
        await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, true, $"WADO-RS frames {frameList}").ConfigureAwait(false);
    }

    public static async Task BulkDataAsync(HttpContext http, WadoContext wado, string study, string series, string instance, string path)
    {
        var ct = http.RequestAborted;
        var caller = WadoContext.Caller(http);
        var location = await RequireAsync(wado, caller, study, series, instance, "bulkdata", ct).ConfigureAwait(false);
        var opened = await wado.Instances.GetAsync(location, wado.FullPath(location), ct).ConfigureAwait(false);
        var element = Resolve(opened.File.Dataset, path)
                      ?? throw new DicomWebException(404, $"instance {instance} has no bulk data at {path}");
        var ranges = AcceptNegotiation.Parse(http.Request.Headers.Accept);
        if (element is DicomFragmentSequence && opened.PixelData is { } pixels && path.Length == 8)
        {
            // Encapsulated pixel data: its frames, each in its own part (a fragment boundary alone means nothing to a client).
            var all = Enumerable.Range(0, pixels.FrameCount).ToList();
            var plan = Negotiate(ranges, pixels.TransferSyntax.Uid, all.Count);
            await WriteFramesAsync(http, pixels, all, plan, ct).ConfigureAwait(false);
        }
        else if (element is DicomValueElement value)
        {
            if (!ranges.Any(r => r.IsAny || r.Matches(TransferSyntaxMediaTypes.OctetStream) || r.IsMultipart && r.PartType is "" or TransferSyntaxMediaTypes.OctetStream))
                throw new DicomWebException(406, "bulk data is available as multipart/related; type=\"application/octet-stream\" only");
            var multipart = new MultipartWriter(http.Response.Body);
            http.Response.StatusCode = StatusCodes.Status200OK;
            http.Response.ContentType = multipart.ContentType(TransferSyntaxMediaTypes.OctetStream);
            await multipart.BeginPartAsync(TransferSyntaxMediaTypes.OctetStream, ct).ConfigureAwait(false);
            await value.Buffer.CopyToAsync(http.Response.Body, ct).ConfigureAwait(false); // Little endian, streamed from the file.
            await multipart.EndAsync(ct).ConfigureAwait(false);
        }
        else
        {
            throw new DicomWebException(404, $"instance {instance} has no bulk data at {path}");
        }
        await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, true, $"WADO-RS bulkdata {path}").ConfigureAwait(false);
    }

    private static async Task<InstanceLocation> RequireAsync(WadoContext wado, Archive.Tenancy.ArchiveCaller caller, string study, string series, string instance, string what, CancellationToken ct)
    {
        try
        {
            return (await wado.RequireAsync(caller, study, series, instance, ct).ConfigureAwait(false))[0];
        }
        catch (DicomWebException)
        {
            await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, false, $"WADO-RS {what}: not found").ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>1-based comma list to 0-based frame indexes; 400 for anything malformed or out of range.</summary>
    internal static List<int> ParseFrameList(string text, int frameCount)
    {
        var result = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
                throw new DicomWebException(400, $"frame list '{text}': '{part}' is not a frame number (1-based)");
            if (n > frameCount)
                throw new DicomWebException(400, $"frame {n} is out of range: the instance has {frameCount} frame(s)");
            result.Add(n - 1);
        }
        if (result.Count > 10_000) throw new DicomWebException(400, "frame list is too long");
        return result;
    }

    private static FramePlan Negotiate(IReadOnlyList<MediaRange> ranges, string storedUid, int frameCount)
    {
        var storedType = TransferSyntaxMediaTypes.FrameMediaType(storedUid);
        var storedIsNative = !DicomTransferSyntax.Lookup(storedUid).IsEncapsulated;
        foreach (var range in ranges)
        {
            var single = !range.IsAny && !range.IsMultipart && range.Type != "multipart/*";
            if (single && frameCount != 1) continue; // One body holds one frame.
            var partType = range.IsAny || range.Type == "multipart/*" ? "" : range.PartType;
            var wanted = range["transfer-syntax"];
            if (partType is "" or "*/*")
            {
                // Anything: as stored when allowed, else the PS3.18 default, decoded native.
                if (wanted == "*" || wanted == storedUid) return new FramePlan(FrameForm.Stored, storedType, storedUid, single);
                if ((wanted is null || wanted == TransferSyntaxMediaTypes.ExplicitVRLittleEndian) && TransferSyntaxMediaTypes.CanDecode(storedUid))
                    return storedIsNative ? new FramePlan(FrameForm.Stored, TransferSyntaxMediaTypes.OctetStream, TransferSyntaxMediaTypes.ExplicitVRLittleEndian, single)
                        : new FramePlan(FrameForm.Decoded, TransferSyntaxMediaTypes.OctetStream, TransferSyntaxMediaTypes.ExplicitVRLittleEndian, single);
                continue;
            }
            if (partType == TransferSyntaxMediaTypes.OctetStream)
            {
                // "*" (or the stored syntax) takes the frames as stored, labelled with their syntax, as viewers that
                // decode themselves ask for them (dicomweb-client, Cornerstone); otherwise they are decoded.
                if (wanted == "*" || wanted == storedUid)
                    return new FramePlan(FrameForm.Stored, TransferSyntaxMediaTypes.OctetStream, storedUid, single);
                if ((wanted is null || wanted == TransferSyntaxMediaTypes.ExplicitVRLittleEndian) && TransferSyntaxMediaTypes.CanDecode(storedUid))
                    return new FramePlan(storedIsNative ? FrameForm.Stored : FrameForm.Decoded, TransferSyntaxMediaTypes.OctetStream, TransferSyntaxMediaTypes.ExplicitVRLittleEndian, single);
                continue;
            }
            // A compressed media type: the stored frames if they are of that type, else re-encoded.
            if (partType == storedType && (wanted is null or "*" || wanted == storedUid)) return new FramePlan(FrameForm.Stored, storedType, storedUid, single);
            if (partType.EndsWith("/*", StringComparison.Ordinal) && range.Matches(storedType) && !storedIsNative)
                return new FramePlan(FrameForm.Stored, storedType, storedUid, single);
            var target = wanted is null or "*" ? TransferSyntaxMediaTypes.DefaultFor(partType) : wanted;
            if (target is not null && TransferSyntaxMediaTypes.FrameMediaType(target) == partType && TransferSyntaxMediaTypes.CanEncode(target) && TransferSyntaxMediaTypes.CanDecode(storedUid))
                return new FramePlan(FrameForm.Encoded, partType, target, single);
        }
        throw new DicomWebException(406,
            $"the frames are stored as {storedType} ({DicomTransferSyntax.Lookup(storedUid)}) and cannot be sent in any accepted media type; accept multipart/related; type=\"{storedType}\" or type=\"application/octet-stream\"");
    }

    private static async Task WriteFramesAsync(HttpContext http, DicomPixelData pixels, List<int> frames, FramePlan plan, CancellationToken ct)
    {
        // The first frame is produced before the status is sent, so a codec failure can still be a clean error.
        var first = await ProduceAsync(pixels, frames[0], plan, ct).ConfigureAwait(false);
        var partType = $"{plan.MediaType}; transfer-syntax={plan.TransferSyntaxUid}";
        http.Response.StatusCode = StatusCodes.Status200OK;
        if (plan.SinglePart)
        {
            http.Response.ContentType = partType;
            await http.Response.Body.WriteAsync(first, ct).ConfigureAwait(false);
            return;
        }
        var multipart = new MultipartWriter(http.Response.Body);
        http.Response.ContentType = multipart.ContentType(plan.MediaType);
        await multipart.WritePartAsync(partType, first, ct).ConfigureAwait(false);
        for (var i = 1; i < frames.Count; i++)
        {
            ReadOnlyMemory<byte> bytes;
            try
            {
                bytes = await ProduceAsync(pixels, frames[i], plan, ct).ConfigureAwait(false);
            }
            catch (DicomWebException)
            {
                http.Abort(); // Mid-response: breaking the connection is the only way left to say it failed.
                return;
            }
            await multipart.WritePartAsync(partType, bytes, ct).ConfigureAwait(false);
        }
        await multipart.EndAsync(ct).ConfigureAwait(false);
    }

    private static async Task<ReadOnlyMemory<byte>> ProduceAsync(DicomPixelData pixels, int frame, FramePlan plan, CancellationToken ct)
    {
        try
        {
            switch (plan.Form)
            {
                case FrameForm.Stored:
                    return await pixels.GetEncodedFrameAsync(frame, ct).ConfigureAwait(false);
                case FrameForm.Decoded:
                {
                    var data = new byte[checked((int)pixels.DecodedFrameLength)];
                    await pixels.DecodeFrameAsync(frame, data, ct).ConfigureAwait(false);
                    return data;
                }
                default:
                {
                    var data = new byte[checked((int)pixels.DecodedFrameLength)];
                    var photometric = await pixels.DecodeFrameAsync(frame, data, ct).ConfigureAwait(false);
                    var info = pixels.Info with { PhotometricInterpretation = photometric, PlanarConfiguration = 0 };
                    var encoded = PixelCodecRegistry.Default.Get(plan.TransferSyntaxUid).Encode(plan.TransferSyntaxUid, data, info, PixelEncodeOptions.Default);
                    return encoded.Data;
                }
            }
        }
        catch (DicomException ex)
        {
            throw new DicomWebException(ex is UnsupportedTransferSyntaxException ? 406 : 500, $"frame {frame + 1}: {ex.Message}");
        }
    }

    /// <summary>The element at a bulk data path: "GGGGEEEE", or "SSSSSSSS/i/…/GGGGEEEE" down sequences (items 0-based).</summary>
    private static DicomElement? Resolve(DicomDataset dataset, string path)
    {
        var steps = path.Split('/');
        if (steps.Length % 2 == 0) return null;
        var current = dataset;
        for (var i = 0; i < steps.Length - 1; i += 2)
        {
            if (!TryTag(steps[i], out var sequenceTag) || !int.TryParse(steps[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var item)) return null;
            if (current[sequenceTag] is not DicomSequence sequence || item >= sequence.Items.Count) return null;
            current = sequence.Items[item];
        }
        return TryTag(steps[^1], out var tag) ? current[tag] : null;
    }

    private static bool TryTag(string text, out DicomTag tag)
    {
        tag = default;
        if (text.Length != 8 || !uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)) return false;
        tag = new DicomTag((ushort)(value >> 16), (ushort)value);
        return true;
    }
}
