namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Reads the bits of an entropy-coded segment (T.81 F.2.2.5): removes the stuffed zero after 0xFF and stops at
/// the next marker, feeding zero bits from there on. A stream that needs far more zero bits than a final partial
/// byte can explain is truncated, and reading stops with an error rather than decoding garbage indefinitely.
/// </summary>
internal ref struct JpegBitReader
{
    private const int MaxPaddingBits = 8 * 1024;
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private ulong _buffer; // bits left-aligned
    private int _count;
    private int _padding;

    public JpegBitReader(ReadOnlySpan<byte> data, int position)
    {
        _data = data;
        _position = position;
    }

    /// <summary>Byte position of the next unread byte (at the marker that ended the segment, once reached).</summary>
    public readonly int Position => _position;

    private void Fill()
    {
        while (_count <= 56)
        {
            int b;
            if (_position < _data.Length && (b = _data[_position]) != 0xFF)
            {
                _position++;
            }
            else if (_position + 1 < _data.Length && _data[_position + 1] == 0)
            {
                b = 0xFF;
                _position += 2;
            }
            else
            {
                // A marker (or the end): zero bits, without moving past it.
                _padding += 8;
                if (_padding > MaxPaddingBits) throw new JpegFormatException("entropy-coded data ends early (truncated codestream)");
                b = 0;
            }
            _buffer |= (ulong)b << (56 - _count);
            _count += 8;
        }
    }

    /// <summary>The next 16 bits without consuming them.</summary>
    public int Peek16()
    {
        if (_count < 16) Fill();
        return (int)(_buffer >> 48);
    }

    public void Skip(int n)
    {
        _buffer <<= n;
        _count -= n;
    }

    /// <summary>Reads n (0–16) bits as an unsigned number.</summary>
    public int Read(int n)
    {
        if (n == 0) return 0;
        if (_count < n) Fill();
        var v = (int)(_buffer >> (64 - n));
        _buffer <<= n;
        _count -= n;
        return v;
    }

    /// <summary>Reads an SSSS-category magnitude and extends its sign (T.81 F.2.2.1, EXTEND).</summary>
    public int ReceiveExtend(int ssss)
    {
        if (ssss == 0) return 0;
        var v = Read(ssss);
        return v < 1 << (ssss - 1) ? v - (1 << ssss) + 1 : v;
    }

    /// <summary>
    /// Fails when the decoder has used zero bits fed past the end of the segment: the codestream is truncated.
    /// (Only whole padding bytes still unread in the buffer are lookahead, not data the image needed.)
    /// </summary>
    public readonly void CheckNotPastEnd()
    {
        if (_padding > _count) throw new JpegFormatException("entropy-coded data ends early (truncated codestream)");
    }

    /// <summary>
    /// Handles a restart marker (T.81 F.2.1.3.1, E.2.4): drops the bits left in the byte and steps over RSTn.
    /// </summary>
    public void Restart()
    {
        CheckNotPastEnd();
        _buffer = 0;
        _count = 0;
        _padding = 0;
        while (_position + 1 < _data.Length && _data[_position] == 0xFF && _data[_position + 1] == 0xFF) _position++;
        if (_position + 1 < _data.Length && _data[_position] == 0xFF && _data[_position + 1] is >= JpegMarker.Rst0 and <= JpegMarker.Rst7)
        {
            _position += 2;
            return;
        }
        throw new JpegFormatException($"restart marker expected at byte {_position}");
    }
}

/// <summary>Writes entropy-coded bits with 0xFF byte stuffing (T.81 F.1.2.3, B.1.1.5).</summary>
internal sealed class JpegBitWriter
{
    private readonly MemoryStream _out;
    private ulong _buffer;
    private int _count;

    public JpegBitWriter(MemoryStream output) => _out = output;

    public void Write(uint bits, int length)
    {
        if (length == 0) return;
        _buffer = (_buffer << length) | (bits & ((1u << length) - 1));
        _count += length;
        while (_count >= 8)
        {
            var b = (byte)(_buffer >> (_count - 8));
            _out.WriteByte(b);
            if (b == 0xFF) _out.WriteByte(0);
            _count -= 8;
        }
    }

    /// <summary>Pads the last byte with one bits (T.81 F.1.2.3).</summary>
    public void Flush()
    {
        if (_count > 0) Write((1u << (8 - _count)) - 1, 8 - _count);
        _buffer = 0;
    }
}
