using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// A lookup table as DICOM describes one with a three-valued descriptor (PS3.3 C.11.1.1.1, C.7.6.3.1.5): number of
/// entries, first stored value mapped, bits per entry, and the entries. Values below the first mapped value map to
/// the first entry and values past the end to the last.
/// </summary>
public sealed class LookupTable
{
    /// <param name="firstMapped">Input value that maps to <paramref name="entries"/>[0].</param>
    /// <param name="bitsPerEntry">Declared bits per entry (8–16); entries are at most 2^bits − 1.</param>
    /// <param name="entries">At least one entry.</param>
    public LookupTable(int firstMapped, int bitsPerEntry, ushort[] entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Length == 0) throw new RenderingException("lookup table has no entries");
        if (bitsPerEntry is < 1 or > 16) throw new RenderingException($"lookup table declares {bitsPerEntry} bits per entry; 1–16 are possible");
        FirstMapped = firstMapped;
        BitsPerEntry = bitsPerEntry;
        _entries = entries;
    }

    public int FirstMapped { get; }
    public int BitsPerEntry { get; }
    public ReadOnlySpan<ushort> Entries => _entries;
    private readonly ushort[] _entries;

    /// <summary>Largest value an entry can hold: 2^bits − 1.</summary>
    public int MaxEntryValue => (1 << BitsPerEntry) - 1;

    /// <summary>The entry for input <paramref name="value"/>, clamped to the table's range.</summary>
    public ushort Lookup(double value)
    {
        var i = Math.Floor(value) - FirstMapped;
        if (i <= 0) return _entries[0];
        if (i >= _entries.Length - 1) return _entries[^1];
        return _entries[(int)i];
    }

    /// <summary>
    /// Reads a descriptor/data pair. Descriptor quirks handled as PS3.3 C.11.1.1.1 and the field meet them: 0 entries
    /// means 65536; the first mapped value is signed when <paramref name="firstMappedSigned"/> (Pixel Representation 1);
    /// 8-bit entries may come one per byte or one per 16-bit word.
    /// </summary>
    /// <param name="descriptor">LUT Descriptor bytes (three 16-bit values, little endian).</param>
    /// <param name="data">LUT Data bytes.</param>
    /// <param name="firstMappedSigned">Read the first mapped value as SS.</param>
    /// <param name="what">Names the table in error messages, e.g. "Modality LUT Sequence item 1".</param>
    public static LookupTable Read(ReadOnlySpan<byte> descriptor, ReadOnlySpan<byte> data, bool firstMappedSigned, string what)
    {
        if (descriptor.Length < 6) throw new RenderingException($"{what}: LUT Descriptor has {descriptor.Length} bytes, 3 values (6 bytes) needed");
        int count = BinaryPrimitives.ReadUInt16LittleEndian(descriptor);
        if (count == 0) count = 65536;
        var firstRaw = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[2..]);
        int first = firstMappedSigned ? (short)firstRaw : firstRaw;
        int bits = BinaryPrimitives.ReadUInt16LittleEndian(descriptor[4..]);
        if (bits is < 1 or > 16) throw new RenderingException($"{what}: LUT Descriptor declares {bits} bits per entry; 8 or 16 expected");

        var entries = new ushort[count];
        if (bits <= 8 && data.Length == count || bits <= 8 && data.Length == count + 1 && (count & 1) == 1)
        {
            // One entry per byte (packed 8-bit palettes, and OB data).
            for (var i = 0; i < count; i++) entries[i] = data[i];
        }
        else if (data.Length >= count * 2L)
        {
            var max = 0;
            for (var i = 0; i < count; i++)
            {
                entries[i] = BinaryPrimitives.ReadUInt16LittleEndian(data[(i * 2)..]);
                if (entries[i] > max) max = entries[i];
            }
            // Some writers put 8-bit entries in the high byte of each word; keep the significant byte.
            if (bits <= 8 && max > 255)
                for (var i = 0; i < count; i++) entries[i] = (ushort)(entries[i] >> 8);
        }
        else
        {
            throw new RenderingException($"{what}: LUT Data has {data.Length} bytes, the descriptor announces {count} entries of {bits} bits");
        }
        return new LookupTable(first, bits, entries);
    }
}
