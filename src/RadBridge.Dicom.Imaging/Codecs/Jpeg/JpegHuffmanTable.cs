namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// A Huffman table for decoding (T.81 Annex C and F.2.2.3): a 9-bit lookup for the common short codes and the
/// MAXCODE/VALPTR procedure for the longer ones.
/// </summary>
internal sealed class JpegHuffmanTable
{
    private const int FastBits = 9;
    private readonly ushort[] _fast = new ushort[1 << FastBits]; // (length << 8) | symbol; 0 = not a short code
    private readonly int[] _maxCode = new int[18];
    private readonly int[] _valOffset = new int[17];
    private readonly byte[] _values;

    /// <param name="counts">BITS: number of codes of each length 1–16 (index 0 is length 1).</param>
    /// <param name="values">HUFFVAL: symbols in order of increasing code length.</param>
    public JpegHuffmanTable(ReadOnlySpan<byte> counts, ReadOnlySpan<byte> values)
    {
        _values = values.ToArray();
        int code = 0, k = 0;
        for (var length = 1; length <= 16; length++)
        {
            int n = counts[length - 1];
            _valOffset[length] = k - code;
            if (n > 0)
            {
                if (code + n > 1 << length) throw new JpegFormatException($"Huffman table over-subscribes codes of length {length}");
                for (var i = 0; i < n; i++, k++, code++)
                {
                    if (length <= FastBits)
                    {
                        var shift = FastBits - length;
                        for (var j = code << shift; j < (code + 1) << shift; j++) _fast[j] = (ushort)((length << 8) | _values[k]);
                    }
                }
                _maxCode[length] = code - 1;
            }
            else
            {
                _maxCode[length] = -1;
            }
            code <<= 1;
        }
        _maxCode[17] = int.MaxValue;
    }

    /// <summary>Decodes one symbol.</summary>
    public int Decode(ref JpegBitReader reader)
    {
        var peek = reader.Peek16();
        var fast = _fast[peek >> (16 - FastBits)];
        if (fast != 0)
        {
            reader.Skip(fast >> 8);
            return fast & 0xFF;
        }
        for (var length = FastBits + 1; length <= 16; length++)
        {
            var code = peek >> (16 - length);
            if (code <= _maxCode[length])
            {
                reader.Skip(length);
                return _values[code + _valOffset[length]];
            }
        }
        throw new JpegFormatException("invalid Huffman code in the entropy-coded data");
    }

    /// <summary>Reads a DHT segment (T.81 B.2.4.2) into the DC (class 0) and AC (class 1) table slots.</summary>
    public static void ParseSegment(ReadOnlySpan<byte> s, JpegHuffmanTable?[] dc, JpegHuffmanTable?[] ac)
    {
        while (s.Length > 0)
        {
            if (s.Length < 17) throw new JpegFormatException("DHT segment is truncated");
            int tc = s[0] >> 4, th = s[0] & 15;
            if (tc > 1 || th > 3) throw new JpegFormatException($"DHT defines table class {tc}, slot {th}");
            var counts = s.Slice(1, 16);
            var total = 0;
            foreach (var c in counts) total += c;
            if (total > 256 || s.Length < 17 + total) throw new JpegFormatException($"DHT table with {total} codes does not fit its segment");
            var table = new JpegHuffmanTable(counts, s.Slice(17, total));
            (tc == 0 ? dc : ac)[th] = table;
            s = s[(17 + total)..];
        }
    }
}

/// <summary>
/// An encoder's Huffman table built from symbol frequencies (T.81 Annex K.2: code lengths, limited to 16 bits),
/// with the code and length of each symbol and the DHT payload that describes it.
/// </summary>
internal sealed class JpegHuffmanEncoderTable
{
    public JpegHuffmanEncoderTable(ReadOnlySpan<long> frequencies)
    {
        var (counts, values) = BuildCodeLengths(frequencies);
        Counts = counts;
        Values = values;
        int code = 0, k = 0;
        for (var length = 1; length <= 16; length++)
        {
            for (var i = 0; i < counts[length - 1]; i++, k++, code++)
            {
                Codes[values[k]] = (uint)code;
                Lengths[values[k]] = (byte)length;
            }
            code <<= 1;
        }
    }

    public uint[] Codes { get; } = new uint[256];
    public byte[] Lengths { get; } = new byte[256];
    public byte[] Counts { get; }
    public byte[] Values { get; }

    /// <summary>Figures K.1–K.3: Huffman code sizes, the all-ones code reserved, lengths capped at 16.</summary>
    private static (byte[] Counts, byte[] Values) BuildCodeLengths(ReadOnlySpan<long> frequencies)
    {
        var freq = new long[257];
        for (var i = 0; i < frequencies.Length; i++) freq[i] = frequencies[i];
        freq[256] = 1; // reserves one code point so no code is all ones
        var codeSize = new int[257];
        var others = new int[257];
        Array.Fill(others, -1);
        while (true)
        {
            int v1 = -1, v2 = -1;
            for (var i = 0; i < 257; i++)
                if (freq[i] > 0 && (v1 < 0 || freq[i] <= freq[v1])) v1 = i;
            for (var i = 0; i < 257; i++)
                if (freq[i] > 0 && i != v1 && (v2 < 0 || freq[i] <= freq[v2])) v2 = i;
            if (v2 < 0) break;
            freq[v1] += freq[v2];
            freq[v2] = 0;
            for (codeSize[v1]++; others[v1] >= 0; codeSize[v1]++) v1 = others[v1];
            others[v1] = v2;
            for (codeSize[v2]++; others[v2] >= 0; codeSize[v2]++) v2 = others[v2];
        }
        var bits = new int[33];
        for (var i = 0; i < 257; i++)
            if (codeSize[i] > 0) bits[codeSize[i]]++;
        for (var i = 32; i > 16; i--)
        {
            while (bits[i] > 0)
            {
                var j = i - 2;
                while (bits[j] == 0) j--;
                bits[i] -= 2;
                bits[i - 1]++;
                bits[j + 1] += 2;
                bits[j]--;
            }
        }
        var last = 16;
        while (bits[last] == 0) last--;
        bits[last]--; // drop the reserved code point
        var counts = new byte[16];
        for (var i = 0; i < 16; i++) counts[i] = (byte)bits[i + 1];
        var values = new List<byte>();
        for (var size = 1; size <= 32; size++)
            for (var i = 0; i < 256; i++)
                if (codeSize[i] == size) values.Add((byte)i);
        return (counts, [.. values]);
    }

    /// <summary>The DHT table payload: Tc/Th byte, BITS, HUFFVAL.</summary>
    public byte[] ToSegmentPayload(int tableClass, int slot) => [(byte)((tableClass << 4) | slot), .. Counts, .. Values];
}
