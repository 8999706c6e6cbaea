using System.Collections.Frozen;

namespace RadBridge.Dicom;

/// <summary>The ISO 2022 code element a graphic character set is designated to.</summary>
internal enum CodeElement : byte
{
    None,
    G0,
    G1,
}

/// <summary>How a character set of Data/character-sets.tsv is converted (the table's "codec" column).</summary>
internal enum SetCodec : byte
{
    Ascii,
    JisRoman,
    G1Table,
    JisX0208,
    JisX0212,
    KsX1001,
    Gb2312,
    Utf8,
    Gb18030,
    Gbk,
}

/// <summary>
/// One graphic character set of ISO 2022, i.e. one ISO-IR registration of PS3.3 Tables C.12-2 to C.12-4: where it is
/// designated (G0 or G1), its escape sequence, and its code table.
/// </summary>
internal sealed class GraphicSet
{
    private const char Unassigned = '\uFFFF';

    private readonly char[]? _high;
    private readonly FrozenDictionary<char, byte>? _highReverse;
    private readonly Lazy<DoubleByteTable>? _double;

    public GraphicSet(string registration, CodeElement element, SetCodec codec, byte[] escape, char[]? high)
    {
        Registration = registration;
        Element = element;
        Codec = codec;
        Escape = escape;
        if (codec == SetCodec.G1Table)
        {
            _high = high ?? throw new InvalidOperationException($"no G1 table for {registration} in Data/g1-sets.tsv");
            var reverse = new Dictionary<char, byte>();
            for (var i = 0; i < _high.Length; i++)
            {
                if (_high[i] != Unassigned) reverse.TryAdd(_high[i], (byte)(0xA0 + i));
            }
            _highReverse = reverse.ToFrozenDictionary();
        }
        else if (IsDoubleByte)
        {
            _double = new Lazy<DoubleByteTable>(() => DoubleByteTable.Build(codec), LazyThreadSafetyMode.ExecutionAndPublication);
        }
    }

    /// <summary>"ISO-IR 100" etc.</summary>
    public string Registration { get; }

    public CodeElement Element { get; }

    public SetCodec Codec { get; }

    /// <summary>The designation escape sequence of Tables C.12-3/C.12-4 (ESC included).</summary>
    public byte[] Escape { get; }

    /// <summary>A 94x94 set: two bytes per character.</summary>
    public bool IsDoubleByte => Codec is SetCodec.JisX0208 or SetCodec.JisX0212 or SetCodec.KsX1001 or SetCodec.Gb2312;

    /// <summary>ISO 646 or JIS X 0201 Romaji: the sets that hold the delimiters.</summary>
    public bool IsAsciiLike => Codec is SetCodec.Ascii or SetCodec.JisRoman;

    /// <summary>The character of byte A0..FF of a single-byte G1 set; U+FFFD where the set assigns none.</summary>
    public char DecodeHigh(byte b)
    {
        var c = _high![b - 0xA0];
        return c == Unassigned ? '\uFFFD' : c;
    }

    /// <summary>The byte (A0..FF) of a character of a single-byte G1 set.</summary>
    public bool TryEncodeHigh(char c, out byte b)
    {
        b = 0;
        return _highReverse is not null && _highReverse.TryGetValue(c, out b);
    }

    /// <summary>The character at row and cell (both 0..93) of a 94x94 set; U+FFFD where none is assigned.</summary>
    public char DecodeDouble(int row, int cell)
    {
        var c = _double!.Value.Decode[row * 94 + cell];
        return c == Unassigned ? '\uFFFD' : c;
    }

    /// <summary>Row and cell (0..93) of a character in a 94x94 set, for the standard rows only.</summary>
    public bool TryEncodeDouble(char c, out int row, out int cell)
    {
        row = cell = 0;
        if (_double is null || !_double.Value.Encode.TryGetValue(c, out var index)) return false;
        (row, cell) = Math.DivRem((int)index, 94);
        return true;
    }

    /// <summary>Bytes of one character in this set as designated: GL (21..7E) for G0, GR (A1..FE) for G1.</summary>
    public bool TryEncode(char c, Span<byte> destination, out int written)
    {
        written = 0;
        if (IsDoubleByte)
        {
            if (!TryEncodeDouble(c, out var row, out var cell)) return false;
            var offset = Element == CodeElement.G0 ? 0x21 : 0xA1;
            destination[0] = (byte)(offset + row);
            destination[1] = (byte)(offset + cell);
            written = 2;
            return true;
        }
        if (IsAsciiLike)
        {
            if (c >= 0x80) return false;
            destination[0] = (byte)c;
            written = 1;
            return true;
        }
        if (!TryEncodeHigh(c, out var b)) return false;
        destination[0] = b;
        written = 1;
        return true;
    }

    public override string ToString() => $"{Registration} ({Element})";

    /// <summary>
    /// A 94x94 code table built from a .NET code page, with the corrections our comparison with the Unicode/Python
    /// tables found. Reading accepts every cell .NET maps (vendor rows included); writing uses the standard rows only.
    /// </summary>
    private sealed class DoubleByteTable
    {
        private DoubleByteTable(char[] decode, FrozenDictionary<char, ushort> encode)
        {
            Decode = decode;
            Encode = encode;
        }

        public char[] Decode { get; }

        public FrozenDictionary<char, ushort> Encode { get; }

        public static DoubleByteTable Build(SetCodec codec)
        {
            // JIS X 0208 and 0212 come from code page 20932 (EUC-JP with the JIS mappings, e.g. 1-33 = U+301C; 51932
            // uses the Microsoft ones), where 0212 is written lead byte | 80h, trail byte as is. KS X 1001 comes from
            // 949: 51949 maps B4D3 to U+B2D6 instead of U+B2D2. GB 2312 comes from 936 so that A1A4 reads U+00B7 as in
            // GB 18030 and GBK; 20936 (strict GB 2312) decides which cells may be written.
            var encoding = CodePages.Get(codec switch
            {
                SetCodec.JisX0208 or SetCodec.JisX0212 => 20932,
                SetCodec.KsX1001 => 949,
                SetCodec.Gb2312 => 936,
                _ => throw new ArgumentOutOfRangeException(nameof(codec)),
            });
            var strictGb2312 = codec == SetCodec.Gb2312 ? CodePages.Get(20936) : null;
            var decode = new char[94 * 94];
            var encode = new Dictionary<char, ushort>();
            Span<byte> bytes = stackalloc byte[2];
            Span<char> chars = stackalloc char[4];
            for (var row = 0; row < 94; row++)
            {
                for (var cell = 0; cell < 94; cell++)
                {
                    bytes[0] = (byte)(0xA1 + row);
                    bytes[1] = (byte)((codec == SetCodec.JisX0212 ? 0x21 : 0xA1) + cell);
                    var c = Single(encoding, bytes, chars);
                    c = (codec, row, cell) switch
                    {
                        // JIS X 0212 0x2237 TILDE and 0x2271 NUMERO SIGN, which 20932 lacks (JIS0212.TXT).
                        (SetCodec.JisX0212, 1, 0x16) => '\u007E',
                        (SetCodec.JisX0212, 1, 0x50) => '\u2116',
                        _ => c,
                    };
                    var index = row * 94 + cell;
                    decode[index] = c;
                    if (c != Unassigned && IsStandardCell(codec, row, cell, bytes, strictGb2312, chars)) encode.TryAdd(c, (ushort)index);
                }
            }
            if (codec == SetCodec.Gb2312)
            {
                // The GB2312.TXT mappings of A1A4 and A1AA, accepted when writing besides GBK's U+00B7 and U+2014.
                encode.TryAdd('\u30FB', 0 * 94 + 3);
                encode.TryAdd('\u2015', 0 * 94 + 9);
            }
            return new DoubleByteTable(decode, encode.ToFrozenDictionary());
        }

        private static char Single(System.Text.Encoding encoding, ReadOnlySpan<byte> bytes, Span<char> chars)
        {
            var n = encoding.GetChars(bytes, chars);
            if (n != 1) return Unassigned;
            var c = chars[0];
            // Code pages fill unassigned cells with private-use characters; those are not characters of the set.
            return c == '\uFFFD' || c is >= '\uE000' and <= '\uF8FF' || char.IsControl(c) ? Unassigned : c;
        }

        private static bool IsStandardCell(SetCodec codec, int row, int cell, ReadOnlySpan<byte> bytes, System.Text.Encoding? strictGb2312, Span<char> chars)
        {
            var r = row + 1;
            return codec switch
            {
                // JIS X 0208: rows 1-8 and 16-84 (code page 20932 adds NEC row 13 and IBM rows 89-92).
                SetCodec.JisX0208 => r is (>= 1 and <= 8) or (>= 16 and <= 84),
                // JIS X 0212: rows 2, 6, 7, 9, 10, 11, 16-77 (20932 adds IBM extensions from row 83).
                SetCodec.JisX0212 => r is 2 or 6 or 7 or 9 or 10 or 11 or (>= 16 and <= 77),
                // GB 2312 proper; 20936 lacks only A1AC (U+2016 DOUBLE VERTICAL LINE).
                SetCodec.Gb2312 => (row == 0 && cell == 0x0B) || Single(strictGb2312!, bytes, chars) != Unassigned,
                _ => true,
            };
        }
    }
}
