using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// The three Palette Color Lookup Tables of a PALETTE COLOR image (PS3.3 C.7.6.3.1.5/.6), plain or segmented
/// (C.7.9.2), scaled to 8-bit output.
/// </summary>
public sealed class PaletteColorLut
{
    private readonly LookupTable _red, _green, _blue;

    public PaletteColorLut(LookupTable red, LookupTable green, LookupTable blue)
    {
        _red = red ?? throw new ArgumentNullException(nameof(red));
        _green = green ?? throw new ArgumentNullException(nameof(green));
        _blue = blue ?? throw new ArgumentNullException(nameof(blue));
    }

    /// <summary>The 8-bit RGB colour of one stored index.</summary>
    public (byte R, byte G, byte B) Lookup(double index) =>
        (To8(_red.Lookup(index), _red), To8(_green.Lookup(index), _green), To8(_blue.Lookup(index), _blue));

    private static byte To8(ushort entry, LookupTable t) =>
        t.MaxEntryValue == 255 ? (byte)Math.Min(entry, (ushort)255) : (byte)Math.Min(255, (entry * 255 + t.MaxEntryValue / 2) / t.MaxEntryValue);

    /// <exception cref="RenderingException">A descriptor or its data is missing or inconsistent.</exception>
    public static PaletteColorLut FromDataset(DicomDataset dataset, bool pixelSigned)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        // Red, green and blue: descriptor (0028,110x), data (0028,120x), segmented data (0028,122x).
        return new PaletteColorLut(Read(dataset, 0, "Red", pixelSigned), Read(dataset, 1, "Green", pixelSigned), Read(dataset, 2, "Blue", pixelSigned));
    }

    private static LookupTable Read(DicomDataset dataset, int colour, string name, bool pixelSigned)
    {
        var descriptor = ModalityLut.RawBytes(dataset, new DicomTag(0x0028, (ushort)(0x1101 + colour)));
        var what = $"{name} Palette Color Lookup Table";
        if (descriptor.Length < 6) throw new RenderingException($"PALETTE COLOR image without a valid {what} Descriptor (0028,{0x1101 + colour:X4})");
        var data = ModalityLut.RawBytes(dataset, new DicomTag(0x0028, (ushort)(0x1201 + colour)));
        if (data.Length > 0) return LookupTable.Read(descriptor, data, pixelSigned, what);
        var segmented = ModalityLut.RawBytes(dataset, new DicomTag(0x0028, (ushort)(0x1221 + colour)));
        if (segmented.Length == 0) throw new RenderingException($"PALETTE COLOR image has neither {what} Data (0028,{0x1201 + colour:X4}) nor its segmented form (0028,{0x1221 + colour:X4})");
        int count = BinaryPrimitives.ReadUInt16LittleEndian(descriptor);
        if (count == 0) count = 65536;
        var firstRaw = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[2..]);
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[4..]);
        if (bits is < 1 or > 16) throw new RenderingException($"{what} Descriptor declares {bits} bits per entry");
        return new LookupTable(pixelSigned ? (short)firstRaw : firstRaw, bits, ExpandSegments(segmented, count, "Segmented " + what));
    }

    /// <summary>
    /// Expands segmented palette data (PS3.3 C.7.9.2): discrete (opcode 0), linear (1) and indirect (2) segments of
    /// 16-bit words, into <paramref name="count"/> entries.
    /// </summary>
    /// <exception cref="RenderingException">Unknown opcode, a segment running past its data, or too few entries.</exception>
    public static ushort[] ExpandSegments(ReadOnlySpan<byte> data, int count, string what = "segmented LUT")
    {
        var words = new ushort[data.Length / 2];
        for (var i = 0; i < words.Length; i++) words[i] = BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]);
        var output = new List<ushort>(count);
        Expand(words, 0, words.Length, output, count, what, depth: 0);
        if (output.Count < count) throw new RenderingException($"{what}: segments give {output.Count} entries, the descriptor announces {count}");
        return output.GetRange(0, count).ToArray();
    }

    private static void Expand(ushort[] words, int start, int segmentLimit, List<ushort> output, int count, string what, int depth)
    {
        // Indirect segments point back into the same data; a cycle would recurse for ever.
        if (depth > 2) throw new RenderingException($"{what}: indirect segment refers to another indirect segment");
        var pos = start;
        for (var segment = 0; segment < segmentLimit && pos < words.Length && output.Count < count; segment++)
        {
            if (pos + 1 >= words.Length) throw new RenderingException($"{what}: segment header at word {pos} is cut off");
            int opcode = words[pos], length = words[pos + 1];
            switch (opcode)
            {
                case 0:
                    if (pos + 2 + length > words.Length) throw new RenderingException($"{what}: discrete segment at word {pos} runs past the data");
                    for (var i = 0; i < length; i++) output.Add(words[pos + 2 + i]);
                    pos += 2 + length;
                    break;
                case 1:
                    if (output.Count == 0) throw new RenderingException($"{what}: linear segment at word {pos} has no previous value to start from");
                    if (pos + 2 >= words.Length) throw new RenderingException($"{what}: linear segment at word {pos} is cut off");
                    double y0 = output[^1], y1 = words[pos + 2];
                    for (var i = 1; i <= length; i++) output.Add((ushort)Math.Round(y0 + (y1 - y0) * i / length));
                    pos += 3;
                    break;
                case 2:
                    if (pos + 3 >= words.Length) throw new RenderingException($"{what}: indirect segment at word {pos} is cut off");
                    var offset = words[pos + 2] | words[pos + 3] << 16;
                    if (offset < 0 || offset >= words.Length) throw new RenderingException($"{what}: indirect segment at word {pos} points past the data");
                    Expand(words, offset, length, output, count, what, depth + 1);
                    pos += 4;
                    break;
                default:
                    throw new RenderingException($"{what}: unknown segment opcode {opcode} at word {pos}");
            }
        }
    }
}
