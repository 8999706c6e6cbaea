using System.Buffers.Binary;
using System.Globalization;

namespace RadBridge.Dicom;

/// <summary>
/// Bulk data references shared by DICOM JSON and XML: the default "file:" URI of a value still in its file, its
/// resolution back to a lazy value, and the byte form of encapsulated pixel data.
/// </summary>
/// <remarks>
/// The file URI form is <c>file:///absolute/path?offset=N&amp;length=M</c> (plus <c>&amp;swap=2|4|8</c> when the file is big
/// endian and the value's words must be byte-swapped): the value is the M bytes at byte offset N of the file. A file URI
/// without offset and length means the whole file. These URIs are meant for the machine that wrote them (a local cache,
/// a test, a pipeline step); a server gives its own WADO-RS URLs through <see cref="DicomBulkDataOptions.BulkDataUriFactory"/>.
/// Encapsulated pixel data is referenced (and inlined) as its whole value field: the Basic Offset Table item, the
/// fragment items and the Sequence Delimitation Item, exactly as PS3.5 §A.4 lays them out.
/// </remarks>
public static class DicomBulkData
{
    /// <summary>
    /// The default URI factory: a file URI for a value that is still on disk (a <see cref="FileDicomBuffer"/>, or
    /// encapsulated pixel data whose items lie contiguously in one file); null for values in memory, which are then
    /// written inline.
    /// </summary>
    public static string? FileUri(DicomBulkDataReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.Element switch
        {
            DicomValueElement { Buffer: FileDicomBuffer f } => Format(f.Path, f.Offset, f.ValueLength, f.SwapUnit),
            DicomFragmentSequence s when TryLocateEncapsulated(s, out var path, out var offset, out var length) => Format(path, offset, length, 1),
            _ => null,
        };
    }

    /// <summary>
    /// Resolves a URI written by <see cref="FileUri"/> (or any file URI, meaning the whole file) to a lazy value that is
    /// read only when used.
    /// </summary>
    /// <exception cref="DicomException">Not a file URI, a malformed query, or a file that does not exist.</exception>
    public static DicomBuffer ResolveFileUri(string uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || !parsed.IsFile)
            throw new DicomException($"bulk data URI '{uri}' is not a file URI; give a BulkDataResolver to fetch it");
        var path = parsed.LocalPath;
        long? offset = null, length = null;
        var swap = 1;
        foreach (var part in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq];
            var text = eq < 0 ? "" : part[(eq + 1)..];
            if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                throw new DicomException($"bulk data URI '{uri}': '{part}' is not a number");
            switch (key)
            {
                case "offset": offset = number; break;
                case "length": length = number; break;
                case "swap" when number is 1 or 2 or 4 or 8: swap = (int)number; break;
                default: throw new DicomException($"bulk data URI '{uri}': unknown parameter '{part}'");
            }
        }
        if (offset.HasValue != length.HasValue)
            throw new DicomException($"bulk data URI '{uri}' gives only one of offset and length");
        FileInfo info;
        try
        {
            info = new FileInfo(path);
            if (!info.Exists) throw new DicomException($"bulk data URI '{uri}': {path} does not exist");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new DicomException($"bulk data URI '{uri}': {ex.Message}", ex);
        }
        var start = offset ?? 0;
        var count = length ?? info.Length;
        if (start + count > info.Length)
            throw new DicomException($"bulk data URI '{uri}' reaches past the end of {path} ({info.Length} bytes)");
        return new FileDicomBuffer(info.FullName, start, count, swap);
    }

    private static string Format(string path, long offset, long length, int swap)
    {
        var file = new Uri(Path.GetFullPath(path)).AbsoluteUri;
        return swap == 1
            ? string.Create(CultureInfo.InvariantCulture, $"{file}?offset={offset}&length={length}")
            : string.Create(CultureInfo.InvariantCulture, $"{file}?offset={offset}&length={length}&swap={swap}");
    }

    /// <summary>Bytes of the whole encapsulated value field: Basic Offset Table item, fragment items, delimiter.</summary>
    internal static long EncapsulatedLength(DicomFragmentSequence s)
    {
        var n = 8 + s.OffsetTable.Length + 8;
        foreach (var f in s.Fragments) n += 8 + f.Length;
        return n;
    }

    /// <summary>The encapsulated value field as PS3.5 §A.4 encodes it (loads lazy fragments).</summary>
    internal static byte[] EncodeEncapsulated(DicomFragmentSequence s)
    {
        var total = EncapsulatedLength(s);
        if (total > Array.MaxLength)
            throw new DicomException($"{s.Tag}: encapsulated pixel data of {total} bytes is too large to write inline; give a BulkDataUriFactory");
        var bytes = new byte[total];
        var at = WriteItem(bytes, 0, s.OffsetTable);
        foreach (var f in s.Fragments) at = WriteItem(bytes, at, f);
        WriteHeader(bytes.AsSpan(at), 0xE0DD, 0);
        return bytes;
    }

    private static int WriteItem(byte[] into, int at, DicomBuffer value)
    {
        WriteHeader(into.AsSpan(at), 0xE000, (uint)value.Length);
        value.GetMemory().Span.CopyTo(into.AsSpan(at + 8));
        return at + 8 + (int)value.Length;
    }

    private static void WriteHeader(Span<byte> into, ushort element, uint length)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(into, 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(into[2..], element);
        BinaryPrimitives.WriteUInt32LittleEndian(into[4..], length);
    }

    /// <summary>
    /// Reads a value back as encapsulated pixel data when it is laid out as PS3.5 §A.4 items ending exactly with a
    /// Sequence Delimitation Item. Only Pixel Data (7FE0,0010) of VR OB or OW is considered: DICOM JSON and XML have no
    /// separate form for encapsulated data, and native pixel data practically never parses as a complete item structure.
    /// A lazy file value is split by reading only the item headers; the fragments stay on disk.
    /// </summary>
    internal static DicomFragmentSequence? TrySplitEncapsulated(DicomTag tag, DicomVR vr, DicomBuffer buffer)
    {
        if (tag != PixelDataTag || vr is not (DicomVR.OB or DicomVR.OW) || buffer.Length < 16) return null;
        if (buffer is FileDicomBuffer { SwapUnit: 1 } file) return SplitFile(tag, vr, file);
        // Another kind of lazy value (a caller's resolver) is not loaded just to look at it.
        return buffer.IsLazy ? null : SplitMemory(tag, vr, buffer.GetMemory());
    }

    private static readonly DicomTag PixelDataTag = new(0x7FE0, 0x0010);

    private static DicomFragmentSequence? SplitMemory(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes)
    {
        var span = bytes.Span;
        if (!IsItem(span, out var botLength) || 8 + (long)botLength > span.Length) return null;
        var offsetTable = DicomBuffer.FromMemory(bytes.Slice(8, (int)botLength));
        var fragments = new List<DicomBuffer>();
        var at = 8 + (int)botLength;
        while (true)
        {
            if (span.Length - at < 8) return null;
            var header = span[at..];
            if (IsDelimiter(header)) return at + 8 == span.Length ? new DicomFragmentSequence(tag, vr, offsetTable, fragments) : null;
            if (!IsItem(header, out var length) || length > span.Length - at - 8) return null;
            fragments.Add(DicomBuffer.FromMemory(bytes.Slice(at + 8, (int)length)));
            at += 8 + (int)length;
        }
    }

    private static DicomFragmentSequence? SplitFile(DicomTag tag, DicomVR vr, FileDicomBuffer file)
    {
        Span<byte> header = stackalloc byte[8];
        using var handle = OpenForHeaders(file);
        if (handle is null) return null;
        var end = file.Offset + file.ValueLength;
        if (!ReadHeader(handle, file.Offset, end, header) || !IsItem(header, out var botLength) || file.Offset + 8 + botLength > end) return null;
        var bot = new byte[botLength];
        if (RandomAccess.Read(handle, bot, file.Offset + 8) != bot.Length) return null;
        var fragments = new List<DicomBuffer>();
        var at = file.Offset + 8 + botLength;
        while (true)
        {
            if (!ReadHeader(handle, at, end, header)) return null;
            if (IsDelimiter(header)) return at + 8 == end ? new DicomFragmentSequence(tag, vr, DicomBuffer.FromMemory(bot), fragments) : null;
            if (!IsItem(header, out var length) || at + 8 + length > end) return null;
            fragments.Add(new FileDicomBuffer(file.Source, at + 8, length));
            at += 8 + length;
        }
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle? OpenForHeaders(FileDicomBuffer file)
    {
        try
        {
            return File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not splittable now: the value stays one lazy range and reports the problem when it is read.
            return null;
        }
    }

    private static bool ReadHeader(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long at, long end, Span<byte> header) =>
        end - at >= 8 && RandomAccess.Read(handle, header, at) == 8;

    private static bool IsItem(ReadOnlySpan<byte> header, out uint length)
    {
        length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        return BinaryPrimitives.ReadUInt16LittleEndian(header) == 0xFFFE && BinaryPrimitives.ReadUInt16LittleEndian(header[2..]) == 0xE000
            && length != 0xFFFFFFFF;
    }

    private static bool IsDelimiter(ReadOnlySpan<byte> header) =>
        BinaryPrimitives.ReadUInt16LittleEndian(header) == 0xFFFE && BinaryPrimitives.ReadUInt16LittleEndian(header[2..]) == 0xE0DD
        && BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) == 0;

    /// <summary>
    /// Where the encapsulated value field of fragments read lazily from one file lies in that file: they must be
    /// consecutive items, so the field runs from the offset table's item header to the delimiter after the last fragment.
    /// </summary>
    private static bool TryLocateEncapsulated(DicomFragmentSequence s, out string path, out long offset, out long length)
    {
        path = "";
        offset = length = 0;
        if (s.Fragments.Count == 0 || s.Fragments[0] is not FileDicomBuffer first) return false;
        long expected = first.Offset;
        foreach (var f in s.Fragments)
        {
            if (f is not FileDicomBuffer fb || fb.SwapUnit != 1 || fb.Offset != expected || !string.Equals(fb.Path, first.Path, StringComparison.Ordinal)) return false;
            expected = fb.Offset + fb.ValueLength + 8;
        }
        var start = first.Offset - 8 - s.OffsetTable.Length - 8;
        if (s.OffsetTable is FileDicomBuffer bot && (bot.Offset != start + 8 || !string.Equals(bot.Path, first.Path, StringComparison.Ordinal))) return false;
        if (start < 0) return false;
        path = first.Path;
        offset = start;
        length = expected - start;
        return true;
    }
}
