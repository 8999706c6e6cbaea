using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// The distribution of a frame's modality values, for a window when the data set has none: the range between two
/// percentiles, leaving out Pixel Padding Value (0028,0120) up to Pixel Padding Range Limit (0028,0121).
/// </summary>
internal static class ModalityHistogram
{
    public static (double Low, double High) Percentiles(DicomDataset dataset, PixelDataInfo info, ReadOnlySpan<byte> frame,
        ModalityLut modality, double lowPercent, double highPercent, bool skipPadding)
    {
        var layout = new StoredValueLayout(info);
        var (padLo, padHi) = skipPadding ? PaddingRange(dataset, info) : (1L, 0L);
        var pixels = info.Rows * info.Columns;
        List<(double Value, long Count)> bins = [];
        if (info.BitsAllocated <= 16 && info.PixelDataTag == DicomTags.PixelData)
        {
            var counts = new long[info.BitsAllocated <= 8 ? 256 : 65536];
            if (counts.Length == 256) foreach (var b in frame[..pixels]) counts[b]++;
            else foreach (var w in MemoryMarshal.Cast<byte, ushort>(frame)[..pixels]) counts[w]++;
            for (var raw = 0; raw < counts.Length; raw++)
            {
                if (counts[raw] == 0) continue;
                var stored = layout.Extract((uint)raw);
                if (stored >= padLo && stored <= padHi) continue;
                bins.Add((modality.Apply(stored), counts[raw]));
            }
        }
        else
        {
            for (var i = 0; i < pixels; i++)
            {
                var stored = ReadSample(info, layout, frame, i);
                if (stored >= padLo && stored <= padHi) continue;
                bins.Add((modality.Apply(stored), 1));
            }
        }
        if (bins.Count == 0) return (0, 1);
        bins.Sort((a, b) => a.Value.CompareTo(b.Value));
        long total = 0;
        foreach (var b in bins) total += b.Count;
        return (Quantile(bins, total, lowPercent), Quantile(bins, total, highPercent));
    }

    private static double Quantile(List<(double Value, long Count)> sorted, long total, double percent)
    {
        var rank = Math.Clamp(percent / 100 * (total - 1), 0, total - 1);
        long seen = 0;
        foreach (var (value, count) in sorted)
        {
            seen += count;
            if (seen > rank) return value;
        }
        return sorted[^1].Value;
    }

    private static (long Low, long High) PaddingRange(DicomDataset dataset, PixelDataInfo info)
    {
        var pad = ModalityLut.RawBytes(dataset, new DicomTag(0x0028, 0x0120));
        if (pad.Length < 2) return (1, 0);
        long a = info.IsSigned ? BinaryPrimitives.ReadInt16LittleEndian(pad) : BinaryPrimitives.ReadUInt16LittleEndian(pad);
        var limit = ModalityLut.RawBytes(dataset, new DicomTag(0x0028, 0x0121));
        if (limit.Length < 2) return (a, a);
        long b = info.IsSigned ? BinaryPrimitives.ReadInt16LittleEndian(limit) : BinaryPrimitives.ReadUInt16LittleEndian(limit);
        return (Math.Min(a, b), Math.Max(a, b));
    }

    /// <summary>Stored value of sample <paramref name="index"/> for the layouts no table covers (32-bit integer, float, double).</summary>
    public static double ReadSample(PixelDataInfo info, StoredValueLayout layout, ReadOnlySpan<byte> frame, int index)
    {
        if (info.PixelDataTag == DicomTags.FloatPixelData) return BinaryPrimitives.ReadSingleLittleEndian(frame[(index * 4)..]);
        if (info.PixelDataTag == DicomTags.DoubleFloatPixelData) return BinaryPrimitives.ReadDoubleLittleEndian(frame[(index * 8)..]);
        return info.BitsAllocated switch
        {
            <= 8 => layout.Extract(frame[index]),
            16 => layout.Extract(BinaryPrimitives.ReadUInt16LittleEndian(frame[(index * 2)..])),
            _ => layout.Extract(BinaryPrimitives.ReadUInt32LittleEndian(frame[(index * 4)..])),
        };
    }
}
