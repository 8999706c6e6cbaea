using System.Buffers;

namespace RadBridge.Dicom;

/// <summary>
/// GB18030 and GBK (PS3.3 Table C.12-5) by table lookup. The tables are built once, on first use, from .NET's code pages
/// 54936 and 936 with the GB 18030-2022 corrections of Data/gb18030-2022.tsv applied; decoding through
/// <see cref="System.Text.Encoding"/> instead costs several times as much and allocates on every call, and Chinese
/// names are in every C-FIND response of our sites.
/// </summary>
internal sealed class ChineseCodec
{
    // Unassigned and invalid codes read as U+FFFD, which is also the character of 8431A437, so one value serves both.
    private const char Unassigned = '\uFFFD';
    private const int TrailCount = 0xFF - 0x40;          // trail bytes 40..FE (7F is never a trail byte)
    private const int FourByteBmpCodes = 39420;          // 81308130..8431A439
    private const int FourBytePerLead = 10 * 126 * 10;   // 12600 codes per first byte

    private readonly int _codePage;
    private readonly bool _fourByte;
    private readonly Lazy<DecodeTables> _decode;
    private readonly Lazy<int[]> _encode;

    private ChineseCodec(int codePage, bool fourByte)
    {
        _codePage = codePage;
        _fourByte = fourByte;
        _decode = new Lazy<DecodeTables>(BuildDecodeTables, LazyThreadSafetyMode.ExecutionAndPublication);
        _encode = new Lazy<int[]>(BuildEncodeTable, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public static ChineseCodec Gb18030 { get; } = new(54936, fourByte: true);

    public static ChineseCodec Gbk { get; } = new(936, fourByte: false);

    /// <summary>Decodes; invalid or unassigned sequences become U+FFFD, and an ASCII byte after a bad lead byte is kept.</summary>
    public string Decode(ReadOnlySpan<byte> value)
    {
        var tables = _decode.Value;
        char[]? rented = null;
        // At most one UTF-16 unit per byte: 2 bytes give 1, 4 bytes give at most 2.
        var chars = value.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            var n = 0;
            var i = 0;
            while (i < value.Length)
            {
                var b = value[i];
                if (b < 0x80)
                {
                    chars[n++] = (char)b;
                    i++;
                    continue;
                }
                if (b is 0x80 or 0xFF || i + 1 == value.Length)
                {
                    chars[n++] = b is 0x80 or 0xFF ? tables.High[b - 0x80] : '\uFFFD';
                    i++;
                    continue;
                }
                var b2 = value[i + 1];
                if (b2 is >= 0x40 and <= 0xFE and not 0x7F)
                {
                    var c = tables.TwoByte[(b - 0x81) * TrailCount + (b2 - 0x40)];
                    chars[n++] = c;
                    // An unassigned code with an ASCII second byte gives that byte back (it may be a delimiter).
                    i += c == Unassigned && b2 < 0x80 ? 1 : 2;
                    continue;
                }
                if (_fourByte && b2 is >= 0x30 and <= 0x39 && i + 3 < value.Length
                    && value[i + 2] is >= 0x81 and <= 0xFE && value[i + 3] is >= 0x30 and <= 0x39)
                {
                    var linear = ((b2 - 0x30) * 126 + (value[i + 2] - 0x81)) * 10 + (value[i + 3] - 0x30);
                    if (b <= 0x84 && (linear += (b - 0x81) * FourBytePerLead) < FourByteBmpCodes)
                    {
                        chars[n++] = tables.FourByteBmp[linear];
                    }
                    else if (b is >= 0x90 and <= 0xE3 && (linear += (b - 0x90) * FourBytePerLead) < 0x100000)
                    {
                        var scalar = 0x10000 + linear;
                        chars[n++] = (char)(0xD800 + ((scalar - 0x10000) >> 10));
                        chars[n++] = (char)(0xDC00 + (scalar & 0x3FF));
                    }
                    else
                    {
                        chars[n++] = '\uFFFD';
                    }
                    i += 4;
                    continue;
                }
                chars[n++] = '\uFFFD';
                i++;
            }
            return new string(chars[..n]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>Encodes into <paramref name="sink"/>; returns -1, or the index of the first character the set lacks.</summary>
    public int Encode(ReadOnlySpan<char> text, ref ByteSink sink)
    {
        var table = _encode.Value;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x80)
            {
                sink.Add((byte)c);
                continue;
            }
            if (char.IsSurrogate(c))
            {
                if (!_fourByte || !char.IsHighSurrogate(c) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])) return i;
                WriteFourByte(0x90, char.ConvertToUtf32(c, text[i + 1]) - 0x10000, ref sink);
                i++;
                continue;
            }
            var code = table[c];
            if (code == 0) return i;
            if (code < 0x10000)
            {
                sink.Add((byte)(code >> 8));
                sink.Add((byte)code);
            }
            else
            {
                WriteFourByte(0x81, code - 0x10000, ref sink);
            }
        }
        return -1;
    }

    private static void WriteFourByte(int firstLead, int linear, ref ByteSink sink)
    {
        var span = sink.GetSpan(4);
        span[0] = (byte)(firstLead + linear / FourBytePerLead);
        linear %= FourBytePerLead;
        span[1] = (byte)(0x30 + linear / 1260);
        linear %= 1260;
        span[2] = (byte)(0x81 + linear / 10);
        span[3] = (byte)(0x30 + linear % 10);
        sink.Advance(4);
    }

    private DecodeTables BuildDecodeTables()
    {
        var encoding = CodePages.Get(_codePage);
        Span<byte> bytes = stackalloc byte[4];
        Span<char> chars = stackalloc char[8];

        var high = new char[0x80];
        for (var b = 0x80; b <= 0xFF; b++)
        {
            bytes[0] = (byte)b;
            var c = MapCode(encoding, bytes[..1], chars);
            // Only 80 can be a character on its own (the euro sign of code page 936); lead bytes alone are errors.
            high[b - 0x80] = c is >= '\uE000' and <= '\uF8FF' ? Unassigned : c;
        }

        var twoByte = new char[126 * TrailCount];
        for (var lead = 0x81; lead <= 0xFE; lead++)
        {
            for (var trail = 0x40; trail <= 0xFE; trail++)
            {
                bytes[0] = (byte)lead;
                bytes[1] = (byte)trail;
                twoByte[(lead - 0x81) * TrailCount + (trail - 0x40)] = trail == 0x7F ? Unassigned : MapCode(encoding, bytes[..2], chars);
            }
        }

        var fourByte = new char[_fourByte ? FourByteBmpCodes : 0];
        for (var linear = 0; linear < fourByte.Length; linear++)
        {
            var rest = linear;
            bytes[0] = (byte)(0x81 + rest / FourBytePerLead);
            rest %= FourBytePerLead;
            bytes[1] = (byte)(0x30 + rest / 1260);
            rest %= 1260;
            bytes[2] = (byte)(0x81 + rest / 10);
            bytes[3] = (byte)(0x30 + rest % 10);
            fourByte[linear] = MapCode(encoding, bytes, chars);
        }
        return new DecodeTables(high, twoByte, fourByte);
    }

    private static char MapCode(System.Text.Encoding encoding, ReadOnlySpan<byte> code, Span<char> chars)
    {
        var n = encoding.GetChars(code, chars);
        if (n != 1) return Unassigned;
        return Gb18030Overlay.ToStandard.TryGetValue(chars[0], out var standard) ? standard : chars[0];
    }

    // BMP character to code: 0 = none, below 10000h a two-byte code, else 10000h + four-byte linear index.
    private int[] BuildEncodeTable()
    {
        var tables = _decode.Value;
        var encode = new int[0x10000];
        for (var index = 0; index < tables.TwoByte.Length; index++)
        {
            var c = tables.TwoByte[index];
            if (c != Unassigned && c >= 0x80 && encode[c] == 0)
            {
                encode[c] = (0x81 + index / TrailCount) << 8 | (0x40 + index % TrailCount);
            }
        }
        for (var linear = 0; linear < tables.FourByteBmp.Length; linear++)
        {
            var c = tables.FourByteBmp[linear];
            if (c != Unassigned && c >= 0x80 && encode[c] == 0) encode[c] = 0x10000 + linear;
        }
        if (_fourByte)
        {
            // U+FFFD itself: skipped above, where it stands for unassigned codes.
            Span<byte> bytes = stackalloc byte[4];
            CodePages.Get(_codePage).GetBytes("\uFFFD", bytes);
            encode[0xFFFD] = 0x10000 + FourByteLinear(bytes);
        }
        // GB 18030-2022 swapped codes: the private-use characters the moved codes used to mean now take the four-byte
        // codes of the characters that moved (e.g. U+E7C7 = 8135F437, the old code of U+1E3F).
        foreach (var (privateUse, standard) in Gb18030Overlay.ToStandard)
        {
            if (encode[privateUse] != 0) continue;
            var old = Array.IndexOf(tables.FourByteBmp, standard);
            if (old >= 0) encode[privateUse] = 0x10000 + old;
        }
        return encode;
    }

    private static int FourByteLinear(ReadOnlySpan<byte> b) =>
        (((b[0] - 0x81) * 10 + (b[1] - 0x30)) * 126 + (b[2] - 0x81)) * 10 + (b[3] - 0x30);

    private sealed record DecodeTables(char[] High, char[] TwoByte, char[] FourByteBmp);
}
