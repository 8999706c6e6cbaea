using System.Buffers.Binary;
using System.IO.Compression;

namespace RadBridge.Dicom;

/// <summary>How a data set is written.</summary>
public sealed record DicomWriteOptions
{
    /// <summary>Defaults: sequences and items keep the length form they were read with; group lengths dropped.</summary>
    public static DicomWriteOptions Default { get; } = new();

    /// <summary>Write every sequence and item with undefined length (delimiters) whatever it was read with.</summary>
    public bool UndefinedLengthSequences { get; init; }

    /// <summary>Deflate level for Deflated Explicit VR Little Endian.</summary>
    public CompressionLevel DeflateLevel { get; init; } = CompressionLevel.Optimal;
}

/// <summary>
/// Encodes data sets (PS3.5 §7) and Part 10 files (PS3.10 §7). Values are padded to even length with the VR's
/// padding byte; group length elements are dropped (retired, PS3.5 §7.2) except the File Meta's, which is computed.
/// Lazy bulk values are streamed from their file, never loaded whole.
/// </summary>
public static class DicomWriter
{
    /// <summary>Implementation Class UID of RadBridge (a fixed UUID-derived UID, PS3.5 §B.2).</summary>
    public const string ImplementationClassUid = "2.25.56907616595762043544409750433494502339";

    /// <summary>Implementation Version Name written into File Meta (0002,0013).</summary>
    public const string ImplementationVersionName = "RADBRIDGE_010";

    private const int ScratchSize = 64 * 1024;

    /// <summary>Writes a Part 10 file: preamble, "DICM", File Meta (rebuilt for <paramref name="transferSyntax"/>), data set.</summary>
    public static void WriteFile(Stream stream, DicomFile file, DicomTransferSyntax? transferSyntax = null, DicomWriteOptions? options = null)
    {
        var task = WriteFileCoreAsync(stream, file, transferSyntax, options, false, default);
        if (!task.IsCompleted) task.AsTask().GetAwaiter().GetResult();
        else task.GetAwaiter().GetResult();
    }

    /// <summary>Writes a Part 10 file asynchronously.</summary>
    public static ValueTask WriteFileAsync(Stream stream, DicomFile file, DicomTransferSyntax? transferSyntax = null, DicomWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        WriteFileCoreAsync(stream, file, transferSyntax, options, true, cancellationToken);

    /// <summary>Writes a bare data set (no preamble, no File Meta) in a transfer syntax, e.g. for a DIMSE message.</summary>
    public static void WriteDataset(Stream stream, DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomWriteOptions? options = null)
    {
        var task = WriteDatasetCoreAsync(stream, dataset, transferSyntax, options ?? DicomWriteOptions.Default, false, default);
        if (!task.IsCompleted) task.AsTask().GetAwaiter().GetResult();
        else task.GetAwaiter().GetResult();
    }

    /// <summary>Writes a bare data set asynchronously.</summary>
    public static ValueTask WriteDatasetAsync(Stream stream, DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomWriteOptions? options = null, CancellationToken cancellationToken = default) =>
        WriteDatasetCoreAsync(stream, dataset, transferSyntax, options ?? DicomWriteOptions.Default, true, cancellationToken);

    /// <summary>
    /// File Meta for a data set (PS3.10 §7.1): version, SOP Class/Instance from the data set, transfer syntax, our
    /// implementation UID and version; Source AE Title and Private Information are kept from <paramref name="previous"/>.
    /// </summary>
    public static DicomDataset BuildFileMeta(DicomDataset dataset, DicomTransferSyntax transferSyntax, DicomDataset? previous = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(transferSyntax);
        var meta = new DicomDataset();
        meta.AddOrUpdate(new DicomTag(0x0002, 0x0001), DicomVR.OB, new byte[] { 0x00, 0x01 });
        SetMediaStorageUid(meta, new DicomTag(0x0002, 0x0002), dataset.GetString(new DicomTag(0x0008, 0x0016)), previous);
        SetMediaStorageUid(meta, new DicomTag(0x0002, 0x0003), dataset.GetString(new DicomTag(0x0008, 0x0018)), previous);
        meta.AddOrUpdate(new DicomTag(0x0002, 0x0010), DicomVR.UI, transferSyntax.Uid);
        meta.AddOrUpdate(new DicomTag(0x0002, 0x0012), DicomVR.UI, ImplementationClassUid);
        meta.AddOrUpdate(new DicomTag(0x0002, 0x0013), DicomVR.SH, ImplementationVersionName);
        if (previous is not null)
        {
            foreach (var keep in new[] { new DicomTag(0x0002, 0x0016), new DicomTag(0x0002, 0x0100), new DicomTag(0x0002, 0x0102) })
            {
                if (previous[keep] is { } e) meta.AddOrUpdate(e);
            }
        }
        return meta;
    }

    /// <summary>
    /// Media Storage SOP Class/Instance UID: the data set's SOP Class/Instance UID (PS3.10 §7.1 requires them equal),
    /// else what the previous File Meta had; absent when neither knows it, rather than an empty UID that names nothing.
    /// </summary>
    private static void SetMediaStorageUid(DicomDataset meta, DicomTag tag, string? fromDataset, DicomDataset? previous)
    {
        if (!string.IsNullOrEmpty(fromDataset)) meta.AddOrUpdate(tag, DicomVR.UI, fromDataset);
        else if (previous?[tag] is { } kept) meta.AddOrUpdate(kept);
    }

    private static async ValueTask WriteFileCoreAsync(Stream stream, DicomFile file, DicomTransferSyntax? transferSyntax, DicomWriteOptions? options, bool useAsync, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(file);
        var ts = transferSyntax ?? file.TransferSyntax;
        var opts = options ?? DicomWriteOptions.Default;
        var meta = BuildFileMeta(file.Dataset, ts, file.FileMetaInformation);

        var head = new MemoryStream();
        head.Write(new byte[128]);
        head.Write("DICM"u8);
        var metaBody = new MemoryStream();
        var sink = new Sink(metaBody, false, default);
        await WriteElementsAsync(sink, meta, explicitVR: true, little: true, opts, isMeta: true).ConfigureAwait(false);
        await sink.FlushAsync().ConfigureAwait(false);
        var groupLength = new byte[12];
        WriteHeader(groupLength, new DicomTag(0x0002, 0x0000), DicomVR.UL, 4, explicitVR: true, little: true);
        BinaryPrimitives.WriteUInt32LittleEndian(groupLength.AsSpan(8), (uint)metaBody.Length);
        head.Write(groupLength);
        metaBody.Position = 0;
        metaBody.CopyTo(head);
        // A DICOMDIR's records point at each other by byte offset in the file: moved records need new offsets.
        var dataset = DicomDirectoryOffsets.Relocate(file, ts, head.Length, opts);
        if (useAsync) await stream.WriteAsync(head.GetBuffer().AsMemory(0, (int)head.Length), ct).ConfigureAwait(false);
        else stream.Write(head.GetBuffer(), 0, (int)head.Length);

        await WriteDatasetCoreAsync(stream, dataset, ts, opts, useAsync, ct).ConfigureAwait(false);
    }

    private static async ValueTask WriteDatasetCoreAsync(Stream stream, DicomDataset dataset, DicomTransferSyntax ts, DicomWriteOptions options, bool useAsync, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(ts);
        if (ts.IsDeflated)
        {
            var deflate = new DeflateStream(stream, options.DeflateLevel, leaveOpen: true);
            await using (deflate.ConfigureAwait(false))
            {
                var inner = new Sink(deflate, useAsync, ct);
                await WriteElementsAsync(inner, dataset, true, true, options, false).ConfigureAwait(false);
                await inner.FlushAsync().ConfigureAwait(false);
            }
            return;
        }
        var sink = new Sink(stream, useAsync, ct);
        await WriteElementsAsync(sink, dataset, ts.IsExplicitVR, ts.IsLittleEndian, options, false).ConfigureAwait(false);
        await sink.FlushAsync().ConfigureAwait(false);
    }

    private static async ValueTask WriteElementsAsync(Sink sink, DicomDataset dataset, bool explicitVR, bool little, DicomWriteOptions options, bool isMeta)
    {
        foreach (var element in dataset)
        {
            if (element.Tag.IsGroupLength) continue;
            switch (element)
            {
                case DicomValueElement v:
                    await WriteValueAsync(sink, v, explicitVR, little).ConfigureAwait(false);
                    break;
                case DicomSequence s:
                    await WriteSequenceAsync(sink, s, explicitVR, little, options).ConfigureAwait(false);
                    break;
                case DicomFragmentSequence f:
                    await WriteFragmentsAsync(sink, f, explicitVR, little).ConfigureAwait(false);
                    break;
            }
        }
    }

    private static async ValueTask WriteValueAsync(Sink sink, DicomValueElement v, bool explicitVR, bool little)
    {
        var length = v.Length;
        var padded = length + (length & 1);
        if (padded > uint.MaxValue - 1) throw new DicomException($"{v.Tag}: a value of {length} bytes cannot be encoded");
        var vr = v.VR == DicomVR.None ? DicomVR.UN : v.VR;
        // A value too long for a 16-bit length is written as UN (PS3.5 §6.2.2 note), keeping its bytes.
        if (explicitVR && vr.HasShortLength() && padded > 0xFFFF) vr = DicomVR.UN;
        await sink.ReserveAsync(12).ConfigureAwait(false);
        sink.Advance(WriteHeader(sink.Span, v.Tag, vr, (uint)padded, explicitVR, little));

        var swap = little ? 1 : DicomParser.SwapUnit(v.VR);
        if (v.Buffer.IsLazy || length > ScratchSize)
        {
            await sink.FlushAsync().ConfigureAwait(false);
            if (swap == 1)
            {
                if (sink.Async) await v.Buffer.CopyToAsync(sink.Stream, sink.Token).ConfigureAwait(false);
                else v.Buffer.CopyTo(sink.Stream);
            }
            else
            {
                var data = (await v.Buffer.GetMemoryAsync(sink.Token).ConfigureAwait(false)).ToArray();
                FileDicomBuffer.Swap(data, swap);
                await sink.WriteDirectAsync(data).ConfigureAwait(false);
            }
        }
        else
        {
            await sink.ReserveAsync((int)length).ConfigureAwait(false);
            v.Buffer.GetMemory().Span.CopyTo(sink.Span);
            if (swap != 1) FileDicomBuffer.Swap(sink.Span[..(int)length], swap);
            sink.Advance((int)length);
        }
        if ((length & 1) != 0)
        {
            await sink.ReserveAsync(1).ConfigureAwait(false);
            sink.Span[0] = vr.PaddingByte();
            sink.Advance(1);
        }
    }

    private static async ValueTask WriteSequenceAsync(Sink sink, DicomSequence s, bool explicitVR, bool little, DicomWriteOptions options)
    {
        var undefined = options.UndefinedLengthSequences || s.UndefinedLength;
        var length = undefined ? 0xFFFFFFFFu : checked((uint)ItemsLength(s, explicitVR, options));
        await sink.ReserveAsync(12).ConfigureAwait(false);
        sink.Advance(WriteHeader(sink.Span, s.Tag, DicomVR.SQ, length, explicitVR, little));
        foreach (var item in s.Items)
        {
            var itemUndefined = options.UndefinedLengthSequences || item.UndefinedLength;
            await sink.ReserveAsync(8).ConfigureAwait(false);
            WriteTag(sink.Span, DicomTag.Item, little);
            WriteUInt32(sink.Span[4..], itemUndefined ? 0xFFFFFFFFu : checked((uint)DatasetLength(item, explicitVR, options)), little);
            sink.Advance(8);
            await WriteElementsAsync(sink, item, explicitVR, little, options, false).ConfigureAwait(false);
            if (itemUndefined) await WriteDelimiterAsync(sink, DicomTag.ItemDelimitationItem, little).ConfigureAwait(false);
        }
        if (undefined) await WriteDelimiterAsync(sink, DicomTag.SequenceDelimitationItem, little).ConfigureAwait(false);
    }

    private static async ValueTask WriteFragmentsAsync(Sink sink, DicomFragmentSequence f, bool explicitVR, bool little)
    {
        await sink.ReserveAsync(12).ConfigureAwait(false);
        sink.Advance(WriteHeader(sink.Span, f.Tag, f.VR, 0xFFFFFFFF, explicitVR, little));
        await WriteFragmentAsync(sink, f.OffsetTable, little).ConfigureAwait(false);
        foreach (var fragment in f.Fragments) await WriteFragmentAsync(sink, fragment, little).ConfigureAwait(false);
        await WriteDelimiterAsync(sink, DicomTag.SequenceDelimitationItem, little).ConfigureAwait(false);
    }

    private static async ValueTask WriteFragmentAsync(Sink sink, DicomBuffer fragment, bool little)
    {
        var length = fragment.Length;
        await sink.ReserveAsync(8).ConfigureAwait(false);
        WriteTag(sink.Span, DicomTag.Item, little);
        WriteUInt32(sink.Span[4..], checked((uint)(length + (length & 1))), little);
        sink.Advance(8);
        await sink.FlushAsync().ConfigureAwait(false);
        if (sink.Async) await fragment.CopyToAsync(sink.Stream, sink.Token).ConfigureAwait(false);
        else fragment.CopyTo(sink.Stream);
        if ((length & 1) != 0)
        {
            await sink.ReserveAsync(1).ConfigureAwait(false);
            sink.Span[0] = 0;
            sink.Advance(1);
        }
    }

    /// <summary>Encoded length of a data set's elements (what an item with explicit length declares).</summary>
    internal static long DatasetLength(DicomDataset dataset, bool explicitVR, DicomWriteOptions options)
    {
        long total = 0;
        foreach (var e in dataset) total += ElementLength(e, explicitVR, options);
        return total;
    }

    /// <summary>Encoded length of one element as the writer writes it (0 for a group length, which it drops).</summary>
    internal static long ElementLength(DicomElement element, bool explicitVR, DicomWriteOptions options) =>
        element.Tag.IsGroupLength ? 0 : element switch
        {
            DicomValueElement v => HeaderLength(v.VR, v.Length + (v.Length & 1), explicitVR) + v.Length + (v.Length & 1),
            DicomSequence s => (explicitVR ? 12 : 8) + ItemsLength(s, explicitVR, options) + (options.UndefinedLengthSequences || s.UndefinedLength ? 8 : 0),
            DicomFragmentSequence f => (explicitVR ? 12 : 8) + FragmentLength(f.OffsetTable) + f.Fragments.Sum(FragmentLength) + 8,
            _ => 0,
        };

    private static long ItemsLength(DicomSequence s, bool explicitVR, DicomWriteOptions options)
    {
        long total = 0;
        foreach (var item in s.Items)
            total += 8 + DatasetLength(item, explicitVR, options) + (options.UndefinedLengthSequences || item.UndefinedLength ? 8 : 0);
        return total;
    }

    private static long FragmentLength(DicomBuffer b) => 8 + b.Length + (b.Length & 1);

    private static int HeaderLength(DicomVR vr, long paddedLength, bool explicitVR) =>
        !explicitVR ? 8 : vr.HasShortLength() && paddedLength <= 0xFFFF ? 8 : 12;

    private static int WriteHeader(Span<byte> dest, DicomTag tag, DicomVR vr, uint length, bool explicitVR, bool little)
    {
        WriteTag(dest, tag, little);
        if (!explicitVR)
        {
            WriteUInt32(dest[4..], length, little);
            return 8;
        }
        vr.WriteCode(dest[4..]);
        if (vr.HasShortLength())
        {
            if (little) BinaryPrimitives.WriteUInt16LittleEndian(dest[6..], (ushort)length);
            else BinaryPrimitives.WriteUInt16BigEndian(dest[6..], (ushort)length);
            return 8;
        }
        dest[6] = 0;
        dest[7] = 0;
        WriteUInt32(dest[8..], length, little);
        return 12;
    }

    private static async ValueTask WriteDelimiterAsync(Sink sink, DicomTag tag, bool little)
    {
        await sink.ReserveAsync(8).ConfigureAwait(false);
        WriteTag(sink.Span, tag, little);
        WriteUInt32(sink.Span[4..], 0, little);
        sink.Advance(8);
    }

    private static void WriteTag(Span<byte> dest, DicomTag tag, bool little)
    {
        if (little)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(dest, tag.Group);
            BinaryPrimitives.WriteUInt16LittleEndian(dest[2..], tag.Element);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(dest, tag.Group);
            BinaryPrimitives.WriteUInt16BigEndian(dest[2..], tag.Element);
        }
    }

    private static void WriteUInt32(Span<byte> dest, uint value, bool little)
    {
        if (little) BinaryPrimitives.WriteUInt32LittleEndian(dest, value);
        else BinaryPrimitives.WriteUInt32BigEndian(dest, value);
    }

    /// <summary>A small write buffer in front of the stream: headers and small values are batched into one write.</summary>
    private sealed class Sink(Stream stream, bool useAsync, CancellationToken ct)
    {
        private byte[] _buffer = new byte[ScratchSize];
        private int _used;

        public Stream Stream => stream;
        public bool Async => useAsync;
        public CancellationToken Token => ct;
        public Span<byte> Span => _buffer.AsSpan(_used);

        public ValueTask ReserveAsync(int n) => _buffer.Length - _used >= n ? ValueTask.CompletedTask : GrowAsync(n);

        private async ValueTask GrowAsync(int n)
        {
            await FlushAsync().ConfigureAwait(false);
            if (_buffer.Length < n) _buffer = new byte[n];
        }

        public void Advance(int n) => _used += n;

        public async ValueTask FlushAsync()
        {
            if (_used == 0) return;
            if (useAsync) await stream.WriteAsync(_buffer.AsMemory(0, _used), ct).ConfigureAwait(false);
            else stream.Write(_buffer, 0, _used);
            _used = 0;
        }

        public async ValueTask WriteDirectAsync(byte[] data)
        {
            await FlushAsync().ConfigureAwait(false);
            if (useAsync) await stream.WriteAsync(data, ct).ConfigureAwait(false);
            else stream.Write(data);
        }
    }
}
