using System.Buffers;

namespace RadBridge.Dicom;

/// <summary>
/// ISO 2022 code extensions as DICOM uses them (PS3.5 Sections 6.1.2.4 and 6.1.2.5): G0 invoked in GL (bytes 21..7E),
/// G1 in GR (A1..FE), designations by escape sequence, and the return to the initial designations of value 1 of
/// Specific Character Set at the delimiters 6.1.2.5.3 lists.
/// </summary>
internal static class Iso2022
{
    private const byte Esc = 0x1B;

    /// <summary>Decodes a whole value. Never fails: bytes that mean nothing in the active set become U+FFFD.</summary>
    public static string Decode(ReadOnlySpan<byte> value, DicomVR vr, GraphicSet initialG0, GraphicSet? initialG1)
    {
        // Every step consumes at least one byte and produces at most one UTF-16 unit (no set here leaves the BMP).
        char[]? rented = null;
        var chars = value.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            var n = Decode(value, vr, initialG0, initialG1, chars);
            return new string(chars[..n]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private static int Decode(ReadOnlySpan<byte> value, DicomVR vr, GraphicSet initialG0, GraphicSet? initialG1, Span<char> chars)
    {
        var pn = vr == DicomVR.PN;
        var multiValued = vr.IsMultiValuedText();
        var g0 = initialG0;
        var g1 = initialG1;
        var n = 0;
        var i = 0;
        while (i < value.Length)
        {
            var b = value[i];
            if (b == Esc)
            {
                var length = EscapeSequenceLength(value[i..]);
                // Any escape sequence of Tables C.12-3/C.12-4 is honoured, declared in (0008,0005) or not: the bytes
                // say unambiguously which set follows.
                var set = CharacterSetTable.FindByEscape(value.Slice(i, length));
                if (set is null) chars[n++] = '\uFFFD';
                else if (set.Element == CodeElement.G0) g0 = set;
                else g1 = set;
                i += length;
            }
            else if (b < 0x80)
            {
                if (b <= 0x20 || b == 0x7F || g0.IsAsciiLike)
                {
                    // Controls and SPACE are the same in every G0 set. Delimiters are delimiters only as single bytes of
                    // ISO 646 / JIS X 0201 Romaji: inside a JIS X 0208 character 5C or 5E is half of the character.
                    chars[n++] = (char)b;
                    if (b < 0x20 || b == 0x7F || (b != 0x20 && g0.IsAsciiLike && IsDelimiter(b, pn, multiValued)))
                    {
                        g0 = initialG0;
                        g1 = initialG1;
                    }
                    i++;
                }
                else if (i + 1 < value.Length && value[i + 1] is >= 0x21 and <= 0x7E)
                {
                    chars[n++] = g0.DecodeDouble(b - 0x21, value[i + 1] - 0x21);
                    i += 2;
                }
                else
                {
                    chars[n++] = '\uFFFD';
                    i++;
                }
            }
            else if (g1 is null)
            {
                // Nothing designated to G1: keep the byte readable as ISO 8859-1, like the default repertoire does.
                chars[n++] = (char)b;
                i++;
            }
            else if (g1.IsDoubleByte)
            {
                if (b is >= 0xA1 and <= 0xFE && i + 1 < value.Length && value[i + 1] is >= 0xA1 and <= 0xFE)
                {
                    chars[n++] = g1.DecodeDouble(b - 0xA1, value[i + 1] - 0xA1);
                    i += 2;
                }
                else
                {
                    chars[n++] = '\uFFFD';
                    i++;
                }
            }
            else
            {
                // C1 controls (80..9F) are kept as U+0080..U+009F, as ISO 8859 decoders do.
                chars[n++] = b >= 0xA0 ? g1.DecodeHigh(b) : (char)b;
                i++;
            }
        }
        return n;
    }

    /// <summary>
    /// Encodes a whole value, designating sets as characters need them and returning to the initial designations before
    /// each delimiter and at the end (PS3.5 6.1.2.5.3). Returns -1, or the index of the first character no set of
    /// <paramref name="sets"/> holds.
    /// </summary>
    public static int Encode(ReadOnlySpan<char> text, DicomVR vr, GraphicSet initialG0, GraphicSet? initialG1,
        IReadOnlyList<GraphicSet> sets, ref ByteSink sink)
    {
        var pn = vr == DicomVR.PN;
        var multiValued = vr.IsMultiValuedText();
        var g0 = initialG0;
        var g1 = initialG1;
        Span<byte> bytes = stackalloc byte[2];
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80)
            {
                if (c == Esc) return i; // would be read as an escape sequence
                if (c < 0x20 || c == 0x7F || IsDelimiter((byte)c, pn, multiValued))
                {
                    Restore(ref sink, ref g0, ref g1, initialG0, initialG1);
                }
                else if (!g0.IsAsciiLike)
                {
                    // A two-byte set is in G0; ISO 646 characters (SPACE included) need the initial G0 back.
                    sink.Add(initialG0.Escape);
                    g0 = initialG0;
                }
                sink.Add((byte)c);
                continue;
            }
            int written;
            if ((g1 is not null && g1.TryEncode(c, bytes, out written)) || (g0.IsDoubleByte && g0.TryEncode(c, bytes, out written)))
            {
                sink.Add(bytes[..written]);
                continue;
            }
            var designated = false;
            foreach (var set in sets)
            {
                if (set.IsAsciiLike || ReferenceEquals(set, g0) || ReferenceEquals(set, g1) || !set.TryEncode(c, bytes, out written)) continue;
                sink.Add(set.Escape);
                if (set.Element == CodeElement.G0) g0 = set;
                else g1 = set;
                sink.Add(bytes[..written]);
                designated = true;
                break;
            }
            if (!designated) return i;
        }
        Restore(ref sink, ref g0, ref g1, initialG0, initialG1);
        return -1;
    }

    private static bool IsDelimiter(byte b, bool pn, bool multiValued) =>
        (b == (byte)'\\' && multiValued) || (pn && b is (byte)'^' or (byte)'=');

    // PS3.5 6.1.2.5.3: the sets of value 1 are active again before delimiters, line ends and the end of the value.
    // G1 needs no escape when value 1 designates none: readers reset it by the same rule.
    private static void Restore(ref ByteSink sink, ref GraphicSet g0, ref GraphicSet? g1, GraphicSet initialG0, GraphicSet? initialG1)
    {
        if (!ReferenceEquals(g0, initialG0))
        {
            sink.Add(initialG0.Escape);
            g0 = initialG0;
        }
        if (!ReferenceEquals(g1, initialG1))
        {
            if (initialG1 is not null) sink.Add(initialG1.Escape);
            g1 = initialG1;
        }
    }

    // ISO 2022 escape sequence: ESC, intermediate bytes 20..2F, one final byte 30..7E. A truncated or malformed one
    // ends before the first byte that does not fit, so that byte is read normally.
    private static int EscapeSequenceLength(ReadOnlySpan<byte> s)
    {
        var j = 1;
        while (j < s.Length && s[j] is >= 0x20 and <= 0x2F) j++;
        if (j < s.Length && s[j] is >= 0x30 and <= 0x7E) j++;
        return j;
    }
}
