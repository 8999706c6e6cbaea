using System.Buffers.Binary;
using System.Text;
using RadBridge.Dicom.Imaging;
using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services;

/// <summary>
/// A DICOM file to send by C-STORE, described from its File Meta without reading the data set: SOP class and
/// instance, transfer syntax, and where the data set starts (so the bytes can be streamed from disk unchanged).
/// </summary>
public sealed record StoreSource(string Path, string SopClassUid, string SopInstanceUid, DicomTransferSyntax TransferSyntax, long DataSetOffset)
{
    /// <summary>Describes a file. Files without File Meta are read once to learn their identity and encoding.</summary>
    /// <exception cref="DicomReadException">Not a DICOM file, or no SOP Class/Instance UID.</exception>
    public static StoreSource Open(string path)
    {
        // Identity from the data set (the File Meta may disagree; PS3.4 B.2 sends the instance's own UIDs); the
        // encoding and where the data set starts from the File Meta, when there is one.
        var file = DicomFile.Open(path, new DicomReadOptions { StopBeforePixelData = true });
        var sopClass = file.Dataset.GetString(new DicomTag(0x0008, 0x0016));
        var sopInstance = file.Dataset.GetString(new DicomTag(0x0008, 0x0018));
        if (string.IsNullOrEmpty(sopClass) || string.IsNullOrEmpty(sopInstance)) throw new DicomReadException("no SOP Class UID or SOP Instance UID to send it by");
        long offset = -1;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096))
        {
            if (Part10Meta.TryRead(stream, out _, out _, out var ts, out var at) && DicomTransferSyntax.Lookup(ts).Equals(file.TransferSyntax)) offset = at;
        }
        return new StoreSource(path, sopClass, sopInstance, file.TransferSyntax, offset);
    }

    /// <summary>
    /// True when the data set can go out in <paramref name="target"/>: as it is, re-encoded between native syntaxes, or
    /// transcoded by a registered codec (<see cref="PixelCodecRegistry.Default"/>). A lossy syntax other than the file's
    /// own is never a target: that would silently degrade the image.
    /// </summary>
    public bool CanSendAs(DicomTransferSyntax target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.Equals(TransferSyntax)) return DataSetOffset >= 0 || !target.IsEncapsulated;
        if (!target.IsEncapsulated && !TransferSyntax.IsEncapsulated) return true;
        if (target.IsLossy) return false;
        var codecs = PixelCodecRegistry.Default;
        var decodable = !TransferSyntax.IsEncapsulated || codecs.Find(TransferSyntax.Uid) is not null;
        var encodable = !target.IsEncapsulated || codecs.Find(target.Uid)?.CanEncode(target.Uid) == true;
        return decodable && encodable;
    }

    /// <summary>True when going to <paramref name="target"/> changes the pixel data encoding, which needs a codec.</summary>
    internal bool NeedsPixelTranscode(DicomTransferSyntax target) =>
        !target.Equals(TransferSyntax) && (target.IsEncapsulated || TransferSyntax.IsEncapsulated);
}

/// <summary>The Storage Service Class SCU (PS3.4 Annex B): proposes contexts for files and sends them by C-STORE.</summary>
public static class StorageScu
{
    /// <summary>
    /// One context per (SOP class, file transfer syntax): the file's own syntax first, then Explicit and Implicit VR Little
    /// Endian (what every SCP accepts) for native files. A compressed file whose syntax a registered codec decodes gets
    /// a second context for the same SOP class offering only Explicit and Implicit VR Little Endian: kept apart so an
    /// SCP that accepts the compressed syntax but would prefer uncompressed still receives the file unchanged.
    /// </summary>
    public static PresentationContextProposal Propose(IEnumerable<StoreSource> sources, PresentationContextProposal? proposal = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        proposal ??= new PresentationContextProposal();
        foreach (var s in sources)
        {
            string[] native = [DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid];
            if (!s.TransferSyntax.IsEncapsulated)
            {
                proposal.Add(s.SopClassUid, [s.TransferSyntax.Uid, .. native]);
                continue;
            }
            proposal.Add(s.SopClassUid, s.TransferSyntax.Uid);
            if (s.CanSendAs(DicomTransferSyntax.ExplicitVRLittleEndian)) proposal.Add(s.SopClassUid, native);
        }
        return proposal;
    }

    /// <summary>
    /// Sends one file and returns the C-STORE response status. The data set goes from disk unchanged when the context's
    /// transfer syntax is the file's, else it is re-encoded between native syntaxes by the core writer, or, when either
    /// side is compressed, transcoded by <see cref="DicomTranscoder"/> before the request goes out.
    /// </summary>
    /// <remarks>
    /// A transcoded instance is held in memory, decoded, while it is sent (one instance at a time per association).
    /// Transcoding happens before the C-STORE request is sent, so a frame no codec can handle fails this instance
    /// with <see cref="DicomNetworkException"/> and leaves the association usable.
    /// </remarks>
    /// <exception cref="DicomNetworkException">No accepted context can carry the file, or the association failed.</exception>
    public static Task<DimseStatus> StoreAsync(this DicomAssociation association, StoreSource source, CancellationToken ct = default) =>
        StoreAsync(association, source, null, ct);

    /// <summary>As <see cref="StoreAsync(DicomAssociation, StoreSource, CancellationToken)"/>; <paramref name="fill"/> adds request fields (a C-MOVE sub-operation's Move Originator).</summary>
    public static async Task<DimseStatus> StoreAsync(this DicomAssociation association, StoreSource source, Action<DimseCommand>? fill, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(source);
        var context = association.PresentationContexts
            .Where(c => c.IsAccepted && c.AbstractSyntax == source.SopClassUid && source.CanSendAs(c.TransferSyntax!))
            .OrderByDescending(c => c.TransferSyntax!.Equals(source.TransferSyntax))
            .FirstOrDefault()
            ?? throw new DicomNetworkException($"no accepted presentation context for {Describe(source.SopClassUid)} in {source.TransferSyntax.Name} or a syntax it can be converted to");

        var request = DimseCommand.Request(DimseCommandField.CStoreRequest, association.NextMessageId(), source.SopClassUid, hasDataSet: true);
        request.AffectedSopInstanceUid = source.SopInstanceUid;
        request.Priority = DimsePriority.Medium;
        fill?.Invoke(request);
        var target = context.TransferSyntax!;
        var write = await PrepareWriterAsync(source, target, ct).ConfigureAwait(false);
        DimseStatus status = default;
        await foreach (var response in association.SendRequestAsync(context.Id, request, write, ct).ConfigureAwait(false))
        {
            status = response.Status;
        }
        return status;
    }

    /// <summary>
    /// As <see cref="DataSetWriter"/>, but pixel transcoding is done now, before any request is sent, so a file no
    /// codec can convert fails with <see cref="DicomNetworkException"/> while the association is still in a clean state.
    /// </summary>
    internal static async Task<Func<Stream, CancellationToken, ValueTask>> PrepareWriterAsync(StoreSource source, DicomTransferSyntax target, CancellationToken ct) =>
        source.NeedsPixelTranscode(target)
            ? WriterOf(await TranscodePixelsAsync(source, target, ct).ConfigureAwait(false), target)
            : DataSetWriter(source, target);

    /// <summary>Writes the file's data set in <paramref name="target"/>: its bytes unchanged when it is the file's syntax, else re-encoded.</summary>
    internal static Func<Stream, CancellationToken, ValueTask> DataSetWriter(StoreSource source, DicomTransferSyntax target) =>
        target.Equals(source.TransferSyntax) && source.DataSetOffset >= 0
            ? (stream, token) => CopyRawAsync(source, stream, token)
            : (stream, token) => TranscodeAsync(source, target, stream, token);

    private static string Describe(string sopClass) => DicomUidRegistry.Find(sopClass)?.Name ?? sopClass;

    private static async ValueTask CopyRawAsync(StoreSource source, Stream destination, CancellationToken ct)
    {
        var file = new FileStream(source.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            file.Position = source.DataSetOffset;
            await file.CopyToAsync(destination, 1 << 16, ct).ConfigureAwait(false);
            // A deflated data set of odd length gets one trailing NUL on the wire (PS3.5 A.5); files often lack it,
            // and peers such as DCMTK refuse an odd fragment.
            if (source.TransferSyntax.IsDeflated && (file.Length - source.DataSetOffset) % 2 == 1) await destination.WriteAsync(new byte[1], ct).ConfigureAwait(false);
        }
    }

    private static async ValueTask TranscodeAsync(StoreSource source, DicomTransferSyntax target, Stream destination, CancellationToken ct)
    {
        var dataset = source.NeedsPixelTranscode(target)
            ? await TranscodePixelsAsync(source, target, ct).ConfigureAwait(false)
            : (await DicomFile.OpenAsync(source.Path, cancellationToken: ct).ConfigureAwait(false)).Dataset;
        await DicomWriter.WriteDatasetAsync(destination, dataset, target, cancellationToken: ct).ConfigureAwait(false);
    }

    private static Func<Stream, CancellationToken, ValueTask> WriterOf(DicomDataset dataset, DicomTransferSyntax target) =>
        async (stream, token) => await DicomWriter.WriteDatasetAsync(stream, dataset, target, cancellationToken: token).ConfigureAwait(false);

    /// <summary>
    /// The file's data set with its pixel data decoded or encoded for <paramref name="target"/> (never lossy: see
    /// <see cref="StoreSource.CanSendAs"/>). Lossless to native is bit-exact; a YBR source becomes RGB as the codec decodes it.
    /// </summary>
    private static async Task<DicomDataset> TranscodePixelsAsync(StoreSource source, DicomTransferSyntax target, CancellationToken ct)
    {
        var file = await DicomFile.OpenAsync(source.Path, cancellationToken: ct).ConfigureAwait(false);
        try
        {
            return new DicomTranscoder().Transcode(file, target).Dataset;
        }
        catch (DicomException e) when (e is not DicomNetworkException)
        {
            throw new DicomNetworkException($"cannot transcode {Path.GetFileName(source.Path)} from {source.TransferSyntax.Name} to {target.Name}: {e.Message}", e);
        }
    }
}

/// <summary>Reads just enough of a Part 10 header (preamble, "DICM", group 0002 in Explicit VR Little Endian) to send the file.</summary>
internal static class Part10Meta
{
    public static bool TryRead(Stream stream, out string sopClass, out string sopInstance, out string transferSyntax, out long dataSetOffset)
    {
        sopClass = sopInstance = transferSyntax = "";
        dataSetOffset = -1;
        Span<byte> head = stackalloc byte[132];
        if (stream.ReadAtLeast(head, 132, throwOnEndOfStream: false) < 132 || !head[128..].SequenceEqual("DICM"u8)) return false;
        var position = 132L;
        Span<byte> header = stackalloc byte[12];
        while (true)
        {
            var n = stream.ReadAtLeast(header[..8], 8, throwOnEndOfStream: false);
            if (n < 8 || BinaryPrimitives.ReadUInt16LittleEndian(header) != 0x0002)
            {
                dataSetOffset = position;
                return transferSyntax.Length > 0;
            }
            var element = BinaryPrimitives.ReadUInt16LittleEndian(header[2..]);
            var vr = Encoding.ASCII.GetString(header.Slice(4, 2));
            long length;
            var headerLength = 8;
            if (vr is "OB" or "OW" or "OF" or "SQ" or "UT" or "UN")
            {
                if (stream.ReadAtLeast(header.Slice(8, 4), 4, throwOnEndOfStream: false) < 4) return false;
                length = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
                headerLength = 12;
            }
            else
            {
                length = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            }
            // File Meta elements are small; a huge or undefined length means this is not a header we can trust.
            if (length > 1 << 16 || position + headerLength + length > stream.Length) return false;
            var value = new byte[length];
            if (stream.ReadAtLeast(value, (int)length, throwOnEndOfStream: false) < length) return false;
            var text = Encoding.ASCII.GetString(value).TrimEnd('\0', ' ');
            switch (element)
            {
                case 0x0002: sopClass = text; break;
                case 0x0003: sopInstance = text; break;
                case 0x0010: transferSyntax = text; break;
            }
            position += headerLength + length;
            stream.Position = position;
        }
    }
}
