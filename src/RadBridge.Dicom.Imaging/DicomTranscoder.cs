using System.Buffers.Binary;
using System.Globalization;
using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Frames;

namespace RadBridge.Dicom.Imaging;

/// <summary>
/// Re-encodes a file in another transfer syntax: frames are decoded with the registry's codec for the source syntax
/// and encoded with the one for the target, one frame at a time, and the Image Pixel module, lossy compression
/// history and File Meta are updated to match.
/// </summary>
/// <remarks>
/// Native to native changes only the encoding (the pixel bytes are kept as they are, lazily). Encapsulated output
/// has one fragment per frame and a Basic Offset Table, or, past 4 GiB of fragments, an Extended Offset Table
/// (PS3.5 A.4). A lossy encoding creates a new image: Lossy Image Compression (0028,2110) becomes "01", the ratio
/// and method are appended to (0028,2112)/(0028,2114) and the SOP Instance UID is replaced (PS3.3 C.7.6.1.1.5).
/// </remarks>
public sealed class DicomTranscoder(PixelCodecRegistry? registry = null)
{
    private readonly PixelCodecRegistry _registry = registry ?? PixelCodecRegistry.Default;

    /// <summary>Transcodes <paramref name="file"/> to <paramref name="target"/>; the source file is not changed.</summary>
    /// <exception cref="UnsupportedTransferSyntaxException">No codec decodes the source or encodes the target syntax.</exception>
    /// <exception cref="PixelCodecException">A frame cannot be decoded or encoded.</exception>
    public DicomFile Transcode(DicomFile file, DicomTransferSyntax target, PixelEncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(target);
        var dataset = file.Dataset.Clone();
        if (HasPixelData(dataset) && !(file.TransferSyntax.IsEncapsulated && file.TransferSyntax.Uid == target.Uid))
        {
            var source = DicomPixelData.Create(file.Dataset, file.TransferSyntax, _registry);
            if (!source.IsEncapsulated && !target.IsEncapsulated) KeepNative(dataset, source.Info);
            else if (target.IsEncapsulated) Encode(dataset, source, target, options ?? PixelEncodeOptions.Default);
            else DecodeToNative(dataset, source);
        }
        var result = new DicomFile(dataset, target);
        // Kept from the old File Meta as DicomWriter.BuildFileMeta allows: Source AE Title and private information.
        foreach (var keep in new[] { new DicomTag(0x0002, 0x0016), new DicomTag(0x0002, 0x0100), new DicomTag(0x0002, 0x0102) })
            if (file.FileMetaInformation[keep] is { } e) result.FileMetaInformation.AddOrUpdate(e);
        return result;
    }

    private static bool HasPixelData(DicomDataset d) =>
        d.Contains(DicomTags.PixelData) || d.Contains(DicomTags.FloatPixelData) || d.Contains(DicomTags.DoubleFloatPixelData);

    /// <summary>Native to native: same bytes, the VR PS3.5 §8.2 asks of explicit VR (OB up to 8 bits, else OW).</summary>
    private static void KeepNative(DicomDataset dataset, PixelDataInfo info)
    {
        if (dataset[info.PixelDataTag] is DicomValueElement v)
            dataset.AddOrUpdate(new DicomValueElement(info.PixelDataTag, NativeVR(info), v.Buffer));
    }

    private static void DecodeToNative(DicomDataset dataset, DicomPixelData source)
    {
        var info = source.Info;
        var frameLength = source.DecodedFrameLength;
        var frame = new byte[checked((int)frameLength)];
        var photometric = info.PhotometricInterpretation;
        byte[] native;
        if (info.BitsAllocated == 1)
        {
            native = new byte[checked((int)((frameLength * source.FrameCount + 7) / 8))];
            for (var f = 0; f < source.FrameCount; f++)
            {
                photometric = source.DecodeFrame(f, frame);
                NativeFrameLayout.PackBits(frame, f * frameLength, native);
            }
        }
        else
        {
            native = new byte[checked(frameLength * source.FrameCount)];
            for (var f = 0; f < source.FrameCount; f++)
                photometric = source.DecodeFrame(f, native.AsSpan(checked((int)(f * frameLength)), (int)frameLength));
        }
        RemoveOffsetTables(dataset);
        dataset.AddOrUpdate(new DicomValueElement(info.PixelDataTag, NativeVR(info), DicomBuffer.FromMemory(native)));
        SetColourLayout(dataset, info, photometric);
    }

    private void Encode(DicomDataset dataset, DicomPixelData source, DicomTransferSyntax target, PixelEncodeOptions options)
    {
        var codec = _registry.Get(target.Uid);
        if (!codec.CanEncode(target.Uid))
            throw new UnsupportedTransferSyntaxException($"{codec.Name} decodes but cannot encode {target}");
        var info = source.Info;
        if (info.PixelDataTag != DicomTags.PixelData)
            throw new DicomException($"{info.PixelDataTag} (float pixel data) cannot be encapsulated; only native transfer syntaxes carry it");

        var frame = new byte[checked((int)source.DecodedFrameLength)];
        var fragments = new List<DicomBuffer>(source.FrameCount);
        var offsets = new List<ulong>(source.FrameCount);
        var lengths = new List<ulong>(source.FrameCount);
        string? photometric = null;
        ulong position = 0;
        long compressed = 0;
        for (var f = 0; f < source.FrameCount; f++)
        {
            var decoded = source.DecodeFrame(f, frame);
            var encoded = codec.Encode(target.Uid, frame, info with { PhotometricInterpretation = decoded, PlanarConfiguration = 0 }, options);
            photometric ??= encoded.PhotometricInterpretation;
            offsets.Add(position);
            lengths.Add((ulong)encoded.Data.Length);
            position += 8 + (ulong)encoded.Data.Length + (ulong)(encoded.Data.Length & 1);
            compressed += encoded.Data.Length;
            fragments.Add(DicomBuffer.FromMemory(encoded.Data));
        }

        RemoveOffsetTables(dataset);
        var basicOffsets = DicomBuffer.Empty;
        if (position <= uint.MaxValue)
        {
            var table = new byte[offsets.Count * 4];
            for (var i = 0; i < offsets.Count; i++) BinaryPrimitives.WriteUInt32LittleEndian(table.AsSpan(i * 4), (uint)offsets[i]);
            basicOffsets = DicomBuffer.FromMemory(table);
        }
        else
        {
            // Basic Offset Table entries are 32-bit: past 4 GiB the Extended Offset Table takes over (PS3.5 A.4).
            dataset.AddOrUpdate(new DicomValueElement(DicomTags.ExtendedOffsetTable, DicomVR.OV, DicomBuffer.FromMemory(UInt64s(offsets))));
            dataset.AddOrUpdate(new DicomValueElement(DicomTags.ExtendedOffsetTableLengths, DicomVR.OV, DicomBuffer.FromMemory(UInt64s(lengths))));
        }
        dataset.AddOrUpdate(new DicomFragmentSequence(DicomTags.PixelData, DicomVR.OB, basicOffsets, fragments));
        SetColourLayout(dataset, info, photometric ?? info.PhotometricInterpretation);
        if (target.IsLossy) RecordLossyCompression(dataset, target, source.DecodedFrameLength * source.FrameCount, compressed);
    }

    private static void SetColourLayout(DicomDataset dataset, PixelDataInfo info, string photometric)
    {
        dataset.AddOrUpdate(DicomTags.PhotometricInterpretation, DicomVR.CS, photometric);
        if (info.SamplesPerPixel > 1) dataset.AddOrUpdate(DicomTags.PlanarConfiguration, DicomVR.US, "0");
    }

    /// <summary>
    /// PS3.3 C.7.6.1.1.5: once lossy compressed, always flagged; ratio and method accumulate one value per lossy
    /// step. The result is a new image, so it gets a new SOP Instance UID.
    /// </summary>
    private static void RecordLossyCompression(DicomDataset dataset, DicomTransferSyntax target, long uncompressed, long compressed)
    {
        dataset.AddOrUpdate(DicomTags.LossyImageCompression, DicomVR.CS, "01");
        var ratio = (compressed == 0 ? 0 : (double)uncompressed / compressed).ToString("0.###", CultureInfo.InvariantCulture);
        dataset.AddOrUpdate(DicomTags.LossyImageCompressionRatio, DicomVR.DS, [.. dataset.GetStrings(DicomTags.LossyImageCompressionRatio), ratio]);
        dataset.AddOrUpdate(DicomTags.LossyImageCompressionMethod, DicomVR.CS, [.. dataset.GetStrings(DicomTags.LossyImageCompressionMethod), LossyMethod(target.Uid)]);
        dataset.AddOrUpdate(DicomTags.SOPInstanceUID, DicomVR.UI, DicomUid.Generate().Value);
    }

    /// <summary>Defined terms of Lossy Image Compression Method (PS3.3 C.7.6.1.1.5.1).</summary>
    private static string LossyMethod(string uid) => uid switch
    {
        "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" => "ISO_10918_1",
        "1.2.840.10008.1.2.4.81" => "ISO_14495_1",
        "1.2.840.10008.1.2.4.91" or "1.2.840.10008.1.2.4.93" => "ISO_15444_1",
        "1.2.840.10008.1.2.4.203" => "ISO_15444_15",
        "1.2.840.10008.1.2.4.112" => "ISO_18181_1",
        "1.2.840.10008.1.2.4.100" or "1.2.840.10008.1.2.4.101" => "ISO_13818_2",
        "1.2.840.10008.1.2.4.102" or "1.2.840.10008.1.2.4.103" or "1.2.840.10008.1.2.4.104" or "1.2.840.10008.1.2.4.105" or "1.2.840.10008.1.2.4.106" => "ISO_14496_10",
        "1.2.840.10008.1.2.4.107" or "1.2.840.10008.1.2.4.108" => "ISO_23008_2",
        _ => throw new UnsupportedTransferSyntaxException($"no Lossy Image Compression Method term is defined for {DicomTransferSyntax.Lookup(uid)}"),
    };

    private static void RemoveOffsetTables(DicomDataset dataset)
    {
        dataset.Remove(DicomTags.ExtendedOffsetTable);
        dataset.Remove(DicomTags.ExtendedOffsetTableLengths);
    }

    private static DicomVR NativeVR(PixelDataInfo info) =>
        info.PixelDataTag == DicomTags.FloatPixelData ? DicomVR.OF
        : info.PixelDataTag == DicomTags.DoubleFloatPixelData ? DicomVR.OD
        : info.BitsAllocated <= 8 ? DicomVR.OB : DicomVR.OW;

    private static byte[] UInt64s(List<ulong> values)
    {
        var bytes = new byte[values.Count * 8];
        for (var i = 0; i < values.Count; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), values[i]);
        return bytes;
    }
}
