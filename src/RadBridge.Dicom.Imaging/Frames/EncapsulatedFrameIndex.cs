using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Frames;

/// <summary>
/// Which fragments of encapsulated pixel data (PS3.5 §A.4) make up each frame. In order of trust: the Extended
/// Offset Table (7FE0,0001/0002), the Basic Offset Table, one fragment per frame when the counts match, everything
/// for a single frame, and finally the codestream's own start marker at the head of a fragment.
/// </summary>
internal sealed class EncapsulatedFrameIndex
{
    /// <summary>Fragments of one frame; <see cref="Length"/> trims the joined bytes (Extended Offset Table), -1 for all.</summary>
    public readonly record struct FrameFragments(int First, int Count, long Length);

    private readonly FrameFragments[] _frames;

    private EncapsulatedFrameIndex(FrameFragments[] frames) => _frames = frames;

    public FrameFragments this[int frame] => _frames[frame];

    public static EncapsulatedFrameIndex Build(DicomDataset dataset, DicomFragmentSequence pixels, int frameCount, string transferSyntaxUid)
    {
        var fragments = pixels.Fragments;
        if (fragments.Count == 0) throw new DicomException($"encapsulated Pixel Data {pixels.Tag} has no fragments");

        // Item positions relative to the first fragment's item tag, as both offset tables count them (PS3.5 A.4).
        var positions = new long[fragments.Count + 1];
        for (var i = 0; i < fragments.Count; i++) positions[i + 1] = positions[i] + 8 + fragments[i].Length;

        if (dataset[DicomTags.ExtendedOffsetTable] is DicomValueElement eot)
            return FromExtendedOffsetTable(dataset, eot, positions, frameCount);
        if (pixels.OffsetTable.Length > 0)
            return FromBasicOffsetTable(pixels, positions, frameCount);
        if (fragments.Count == frameCount)
            return new([.. Enumerable.Range(0, frameCount).Select(i => new FrameFragments(i, 1, -1))]);
        if (frameCount == 1)
            return new([new FrameFragments(0, fragments.Count, -1)]);
        return FromStartMarkers(fragments, frameCount, transferSyntaxUid);
    }

    private static EncapsulatedFrameIndex FromExtendedOffsetTable(DicomDataset dataset, DicomValueElement table, long[] positions, int frameCount)
    {
        var offsets = ReadUInt64s(table.Buffer.GetMemory().Span);
        var lengths = dataset[DicomTags.ExtendedOffsetTableLengths] is DicomValueElement l ? ReadUInt64s(l.Buffer.GetMemory().Span) : [];
        if (offsets.Length != frameCount || lengths.Length != frameCount)
            throw new DicomException($"Extended Offset Table {DicomTags.ExtendedOffsetTable} has {offsets.Length} offsets and Extended Offset Table Lengths {DicomTags.ExtendedOffsetTableLengths} {lengths.Length} lengths for {frameCount} frames");
        var frames = new FrameFragments[frameCount];
        for (var f = 0; f < frameCount; f++)
        {
            var fragment = Array.BinarySearch(positions, (long)offsets[f]);
            if (fragment < 0 || fragment >= positions.Length - 1)
                throw new DicomException($"Extended Offset Table {DicomTags.ExtendedOffsetTable}: frame {f} offset {offsets[f]} is not the start of a fragment");
            // PS3.5 A.4: with an Extended Offset Table each frame is one fragment.
            if ((long)lengths[f] > positions[fragment + 1] - positions[fragment] - 8)
                throw new DicomException($"Extended Offset Table Lengths {DicomTags.ExtendedOffsetTableLengths}: frame {f} length {lengths[f]} is longer than its fragment");
            frames[f] = new FrameFragments(fragment, 1, (long)lengths[f]);
        }
        return new(frames);
    }

    private static EncapsulatedFrameIndex FromBasicOffsetTable(DicomFragmentSequence pixels, long[] positions, int frameCount)
    {
        var offsets = pixels.GetBasicOffsets();
        if (offsets.Count != frameCount)
            throw new DicomException($"Basic Offset Table of Pixel Data {pixels.Tag} has {offsets.Count} entries for {frameCount} frames");
        var starts = new int[frameCount + 1];
        for (var f = 0; f < frameCount; f++)
        {
            var fragment = Array.BinarySearch(positions, (long)offsets[f]);
            if (fragment < 0 || fragment >= positions.Length - 1 || (f > 0 && fragment <= starts[f - 1]))
                throw new DicomException($"Basic Offset Table of Pixel Data {pixels.Tag}: frame {f} offset {offsets[f]} is not the start of a fragment after the previous frame's");
            starts[f] = fragment;
        }
        starts[frameCount] = pixels.Fragments.Count;
        return new([.. Enumerable.Range(0, frameCount).Select(f => new FrameFragments(starts[f], starts[f + 1] - starts[f], -1))]);
    }

    /// <summary>No offset table and more fragments than frames: a frame starts at each fragment that opens with the codestream's start marker.</summary>
    private static EncapsulatedFrameIndex FromStartMarkers(List<DicomBuffer> fragments, int frameCount, string uid)
    {
        var isStart = StartMarker(uid) ?? throw new DicomException(
            $"encapsulated Pixel Data has {fragments.Count} fragments for {frameCount} frames and no offset table, and frame boundaries cannot be found in {DicomTransferSyntax.Lookup(uid)} data");
        var starts = new List<int>(frameCount + 1);
        for (var i = 0; i < fragments.Count; i++)
        {
            var head = fragments[i].GetMemory(0, (int)Math.Min(8, fragments[i].Length)).Span;
            if (isStart(head)) starts.Add(i);
        }
        if (starts.Count != frameCount || starts[0] != 0)
            throw new DicomException($"encapsulated Pixel Data has no offset table and {starts.Count} of its {fragments.Count} fragments start a codestream, but Number of Frames is {frameCount}");
        starts.Add(fragments.Count);
        return new([.. Enumerable.Range(0, frameCount).Select(f => new FrameFragments(starts[f], starts[f + 1] - starts[f], -1))]);
    }

    private delegate bool StartTest(ReadOnlySpan<byte> head);

    private static StartTest? StartMarker(string uid) => uid switch
    {
        // JPEG (ISO 10918-1) and JPEG-LS (ISO 14495-1) streams open with SOI FFD8.
        "1.2.840.10008.1.2.4.50" or "1.2.840.10008.1.2.4.51" or "1.2.840.10008.1.2.4.57" or "1.2.840.10008.1.2.4.70"
            or "1.2.840.10008.1.2.4.80" or "1.2.840.10008.1.2.4.81" => h => h.Length >= 2 && h[0] == 0xFF && h[1] == 0xD8,
        // JPEG 2000 / HTJ2K codestreams open with SOC FF4F then SIZ FF51.
        "1.2.840.10008.1.2.4.90" or "1.2.840.10008.1.2.4.91" or "1.2.840.10008.1.2.4.92" or "1.2.840.10008.1.2.4.93"
            or "1.2.840.10008.1.2.4.201" or "1.2.840.10008.1.2.4.202" or "1.2.840.10008.1.2.4.203"
            => h => h.Length >= 4 && h[0] == 0xFF && h[1] == 0x4F && h[2] == 0xFF && h[3] == 0x51,
        // RLE (PS3.5 G.4): a 64-byte header whose first segment starts at offset 64.
        "1.2.840.10008.1.2.5" => h => h.Length >= 8 && BinaryPrimitives.ReadUInt32LittleEndian(h) is >= 1 and <= 15
            && BinaryPrimitives.ReadUInt32LittleEndian(h[4..]) == 64,
        _ => null,
    };

    private static ulong[] ReadUInt64s(ReadOnlySpan<byte> bytes)
    {
        var result = new ulong[bytes.Length / 8];
        for (var i = 0; i < result.Length; i++) result[i] = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(i * 8)..]);
        return result;
    }
}
