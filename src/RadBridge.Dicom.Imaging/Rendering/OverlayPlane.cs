using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// One overlay plane of the Overlay Plane module (PS3.3 C.9.2): a bit map in group 60xx laid over the image at
/// Overlay Origin, one bit per pixel packed little-endian in Overlay Data (60xx,3000).
/// </summary>
public sealed class OverlayPlane
{
    private readonly byte[] _bits;

    private OverlayPlane(ushort group, int rows, int columns, int originRow, int originColumn, int frames, int firstFrame, string type, byte[] bits)
    {
        Group = group;
        Rows = rows;
        Columns = columns;
        OriginRow = originRow;
        OriginColumn = originColumn;
        Frames = frames;
        FirstFrame = firstFrame;
        Type = type;
        _bits = bits;
    }

    /// <summary>0x6000, 0x6002 … 0x601E.</summary>
    public ushort Group { get; }
    public int Rows { get; }
    public int Columns { get; }
    /// <summary>Overlay Origin (60xx,0050), 1-based row of the image where the overlay's first row lies.</summary>
    public int OriginRow { get; }
    public int OriginColumn { get; }
    /// <summary>Number of Frames in Overlay (60xx,0015), 1 when absent.</summary>
    public int Frames { get; }
    /// <summary>Image Frame Origin (60xx,0051), 1-based.</summary>
    public int FirstFrame { get; }
    /// <summary>G (graphics) or R (region of interest).</summary>
    public string Type { get; }

    /// <summary>True when the overlay bit at (row, column) of the overlay's frame <paramref name="overlayFrame"/> is set.</summary>
    public bool IsSet(int overlayFrame, int row, int column)
    {
        var bit = ((long)overlayFrame * Rows + row) * Columns + column;
        var index = bit >> 3;
        return index < _bits.Length && (_bits[index] >> (int)(bit & 7) & 1) != 0;
    }

    /// <summary>The overlay planes with their data in (60xx,3000); planes embedded in the pixel data's unused bits (retired) are not read.</summary>
    public static IReadOnlyList<OverlayPlane> FromDataset(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var planes = new List<OverlayPlane>();
        for (ushort group = 0x6000; group <= 0x601E; group += 2)
        {
            var data = ModalityLut.RawBytes(dataset, new DicomTag(group, 0x3000));
            if (data.Length == 0) continue;
            var rows = UShort(dataset, group, 0x0010);
            var columns = UShort(dataset, group, 0x0011);
            var bitsAllocated = UShort(dataset, group, 0x0100) ?? 1;
            if (rows is null or 0 || columns is null or 0)
                throw new RenderingException($"overlay ({group:X4},3000) has no Overlay Rows/Columns ({group:X4},0010/0011)");
            if (bitsAllocated != 1)
                throw new RenderingException($"overlay ({group:X4},3000) has Overlay Bits Allocated {bitsAllocated}; 1 is required for Overlay Data");
            var origin = ModalityLut.RawBytes(dataset, new DicomTag(group, 0x0050));
            int originRow = 1, originColumn = 1;
            if (origin.Length >= 4)
            {
                originRow = BinaryPrimitives.ReadInt16LittleEndian(origin);
                originColumn = BinaryPrimitives.ReadInt16LittleEndian(origin[2..]);
            }
            var frames = dataset.GetValueOrDefault(new DicomTag(group, 0x0015), 0, 1);
            var firstFrame = dataset.GetValueOrDefault(new DicomTag(group, 0x0051), 0, 1);
            var type = dataset.GetString(new DicomTag(group, 0x0040)) ?? "G";
            planes.Add(new OverlayPlane(group, rows.Value, columns.Value, originRow, originColumn, Math.Max(1, frames), Math.Max(1, firstFrame), type, data.ToArray()));
        }
        return planes;
    }

    private static int? UShort(DicomDataset dataset, ushort group, ushort element)
    {
        var raw = ModalityLut.RawBytes(dataset, new DicomTag(group, element));
        return raw.Length >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(raw) : null;
    }

    /// <summary>
    /// Sets the pixels of <paramref name="image"/> under this plane's bits to white, for image frame
    /// <paramref name="frame"/> (0-based). Frames the overlay does not cover are left alone.
    /// </summary>
    public void BurnInto(RenderedImage image, int frame)
    {
        ArgumentNullException.ThrowIfNull(image);
        var overlayFrame = frame - (FirstFrame - 1);
        if (overlayFrame < 0 || overlayFrame >= Frames) return;
        var bytes = image.BytesPerPixel;
        for (var r = 0; r < Rows; r++)
        {
            var y = OriginRow - 1 + r;
            if (y < 0 || y >= image.Height) continue;
            for (var c = 0; c < Columns; c++)
            {
                var x = OriginColumn - 1 + c;
                if (x < 0 || x >= image.Width || !IsSet(overlayFrame, r, c)) continue;
                image.Pixels.AsSpan((y * image.Width + x) * bytes, bytes).Fill(0xFF);
            }
        }
    }
}
