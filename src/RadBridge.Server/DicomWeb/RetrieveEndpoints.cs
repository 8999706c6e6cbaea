using Microsoft.AspNetCore.Http;
using RadBridge.Archive.Audit;
using RadBridge.Dicom.Imaging;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// WADO-RS retrieve of DICOM instances (PS3.18 §10.4): a study, a series or one instance as
/// <c>multipart/related; type="application/dicom"</c>, each part a Part 10 file. Files in the requested transfer syntax
/// (or any, with <c>transfer-syntax=*</c>) are streamed from disk unchanged; others are transcoded on the way out.
/// </summary>
internal static class RetrieveEndpoints
{
    /// <summary>How one instance is sent: as stored (null) or transcoded to the syntax.</summary>
    private sealed record Plan(InstanceLocation Instance, string? TranscodeTo)
    {
        public string SentSyntax => TranscodeTo ?? Instance.TransferSyntaxUid;
    }

    public static async Task RetrieveAsync(HttpContext http, WadoContext wado, string study, string? series, string? instance)
    {
        var ct = http.RequestAborted;
        var caller = WadoContext.Caller(http);
        var ranges = AcceptNegotiation.Parse(http.Request.Headers.Accept);
        IReadOnlyList<InstanceLocation> instances;
        try
        {
            instances = await wado.RequireAsync(caller, study, series, instance, ct).ConfigureAwait(false);
        }
        catch (DicomWebException)
        {
            await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, false, "WADO-RS retrieve: not found").ConfigureAwait(false);
            throw;
        }
        var (plans, singlePart) = Negotiate(ranges, instances, instance is not null);

        http.Response.StatusCode = StatusCodes.Status200OK;
        var body = http.Response.Body;
        MultipartWriter? multipart = null;
        if (singlePart)
        {
            http.Response.ContentType = $"{TransferSyntaxMediaTypes.Dicom}; transfer-syntax={plans[0].SentSyntax}";
        }
        else
        {
            multipart = new MultipartWriter(body);
            http.Response.ContentType = multipart.ContentType(TransferSyntaxMediaTypes.Dicom);
        }
        foreach (var plan in plans)
        {
            if (multipart is not null) await multipart.BeginPartAsync($"{TransferSyntaxMediaTypes.Dicom}; transfer-syntax={plan.SentSyntax}", ct).ConfigureAwait(false);
            try
            {
                await WriteInstanceAsync(body, wado.FullPath(plan.Instance), plan, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or DicomException && !ct.IsCancellationRequested)
            {
                // The 200 and earlier parts are already sent: a broken connection is the only honest signal left.
                await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, false, $"WADO-RS retrieve failed at {plan.Instance.SopInstanceUid}: {ex.Message}").ConfigureAwait(false);
                http.Abort();
                return;
            }
        }
        if (multipart is not null) await multipart.EndAsync(ct).ConfigureAwait(false);
        await wado.AuditAsync(caller, AuditActions.Retrieve, study, series, instance, true, $"WADO-RS retrieve: {plans.Count} instance(s)").ConfigureAwait(false);
    }

    /// <summary>
    /// Picks, per instance, the first acceptable media range it can be sent in (PS3.18 §8.7.3): the stored syntax when
    /// the range says <c>transfer-syntax=*</c> or names it, else a transcoding the codecs can do. No transfer-syntax
    /// parameter means Explicit VR Little Endian (PS3.18 Table 8.7.3-2). 406 when some instance fits no range.
    /// </summary>
    private static (IReadOnlyList<Plan> Plans, bool SinglePart) Negotiate(IReadOnlyList<MediaRange> ranges, IReadOnlyList<InstanceLocation> instances, bool instanceLevel)
    {
        var usable = ranges.Where(r => r.IsAny || r.Type == "multipart/*" || r.IsMultipart && r.PartType is "" or TransferSyntaxMediaTypes.Dicom
                                       || r.Type == TransferSyntaxMediaTypes.Dicom && instanceLevel).ToList();
        if (usable.Count == 0)
            throw new DicomWebException(406, $"none of the accepted media types ({Describe(ranges)}) can carry DICOM instances; accept multipart/related; type=\"application/dicom\"");
        var plans = new List<Plan>(instances.Count);
        var singlePart = false;
        foreach (var instance in instances)
        {
            Plan? chosen = null;
            foreach (var range in usable)
            {
                var wanted = range["transfer-syntax"] ?? TransferSyntaxMediaTypes.ExplicitVRLittleEndian;
                if (wanted == "*" || wanted == instance.TransferSyntaxUid) chosen = new Plan(instance, null);
                else if (TransferSyntaxMediaTypes.CanTranscode(instance.TransferSyntaxUid, wanted)) chosen = new Plan(instance, wanted);
                if (chosen is null) continue;
                singlePart = range.Type == TransferSyntaxMediaTypes.Dicom;
                break;
            }
            plans.Add(chosen ?? throw new DicomWebException(406,
                $"instance {instance.SopInstanceUid} is stored in {DicomTransferSyntax.Lookup(instance.TransferSyntaxUid)} and cannot be sent in any accepted transfer syntax ({Describe(usable)}); ask for transfer-syntax=* to receive it as stored"));
        }
        return (plans, singlePart);
    }

    private static string Describe(IEnumerable<MediaRange> ranges) =>
        string.Join(", ", ranges.Select(r => r.Type + string.Concat(r.Parameters.Select(p => $"; {p.Key}={p.Value}"))));

    private static async Task WriteInstanceAsync(Stream body, string path, Plan plan, CancellationToken ct)
    {
        if (plan.TranscodeTo is { } target)
        {
            var file = await DicomFile.OpenAsync(path, cancellationToken: ct).ConfigureAwait(false);
            var transcoded = new DicomTranscoder().Transcode(file, DicomTransferSyntax.Lookup(target));
            await DicomWriter.WriteFileAsync(body, transcoded, cancellationToken: ct).ConfigureAwait(false);
            return;
        }
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            var layout = Part10Layout.Inspect(stream);
            if (!layout.IsStandard)
            {
                // Stored without a usable File Meta: write one for it, then the data set bytes unchanged.
                var header = new DicomDataset();
                header.AddOrUpdate(DicomTags.SOPClassUID, DicomVR.UI, plan.Instance.SopClassUid);
                header.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, plan.Instance.SopInstanceUid);
                await body.WriteAsync(EncodeFileMeta(header, DicomTransferSyntax.Lookup(plan.Instance.TransferSyntaxUid)), ct).ConfigureAwait(false);
                stream.Position = layout.DataSetOffset;
            }
            await stream.CopyToAsync(body, 1 << 16, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Preamble, "DICM" and the File Meta group with its group length (PS3.10 §7.1).</summary>
    private static byte[] EncodeFileMeta(DicomDataset header, DicomTransferSyntax syntax)
    {
        var meta = DicomWriter.BuildFileMeta(header, syntax);
        using var group = new MemoryStream();
        DicomWriter.WriteDataset(group, meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        using var result = new MemoryStream();
        result.Write(new byte[128]);
        result.Write("DICM"u8);
        result.Write([0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 0x04, 0x00]);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)group.Length);
        result.Write(length);
        group.Position = 0;
        group.CopyTo(result);
        return result.ToArray();
    }
}
