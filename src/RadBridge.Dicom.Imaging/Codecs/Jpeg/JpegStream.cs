namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Walks a JPEG codestream's marker segments (T.81 Annex B) for the managed decoders: collects tables, the frame
/// header and the restart interval, and stops at each scan so the decoder can read its entropy-coded data.
/// </summary>
internal sealed class JpegStream
{
    public JpegHuffmanTable?[] DcTables { get; } = new JpegHuffmanTable?[4];
    public JpegHuffmanTable?[] AcTables { get; } = new JpegHuffmanTable?[4];
    /// <summary>Quantization tables in natural (row-major) order.</summary>
    public int[]?[] QuantTables { get; } = new int[]?[4];
    public int RestartInterval { get; private set; }
    public JpegFrameHeader? Frame { get; private set; }
    /// <summary>The Adobe APP14 transform flag (0 none, 1 YCbCr, 2 YCCK), or -1 without that segment.</summary>
    public int AdobeTransform { get; private set; } = -1;
    public bool HasJfif { get; private set; }
    /// <summary>Byte position of the next marker or of a scan's entropy-coded data.</summary>
    public int Position { get; set; }

    /// <summary>Reads segments up to the next scan; returns it, or null at EOI (or the end of the data after a scan).</summary>
    public JpegScanHeader? NextScan(ReadOnlySpan<byte> data)
    {
        if (Position == 0)
        {
            if (data.Length < 2 || data[0] != 0xFF || data[1] != JpegMarker.Soi)
                throw new JpegFormatException("not a JPEG codestream (no SOI marker)");
            Position = 2;
        }
        var scans = Frame is not null;
        while (true)
        {
            var marker = NextMarker(data, scans);
            if (marker is null or JpegMarker.Eoi) return null;
            if (JpegMarker.IsStandalone(marker.Value)) continue;
            if (Position + 2 > data.Length) throw new JpegFormatException($"marker 0x{marker:X2} at the end of the data");
            var length = (data[Position] << 8) | data[Position + 1];
            if (length < 2 || Position + length > data.Length)
                throw new JpegFormatException($"marker 0x{marker:X2} segment of {length} bytes runs past the end of the data");
            var segment = data.Slice(Position + 2, length - 2);
            Position += length;
            switch (marker.Value)
            {
                case JpegMarker.Dht:
                    JpegHuffmanTable.ParseSegment(segment, DcTables, AcTables);
                    break;
                case JpegMarker.Dqt:
                    ParseQuantTables(segment);
                    break;
                case JpegMarker.Dri:
                    if (segment.Length < 2) throw new JpegFormatException("DRI segment is truncated");
                    RestartInterval = (segment[0] << 8) | segment[1];
                    break;
                case JpegMarker.App0:
                    HasJfif |= segment.StartsWith("JFIF\0"u8);
                    break;
                case JpegMarker.App14:
                    if (segment.Length >= 12 && segment.StartsWith("Adobe"u8)) AdobeTransform = segment[11];
                    break;
                case JpegMarker.Sos:
                    if (Frame is null) throw new JpegFormatException("SOS before any frame header");
                    return JpegScanHeader.Parse(segment, Frame);
                case JpegMarker.Dnl:
                    break;
                default:
                    if (JpegMarker.IsStartOfFrame(marker.Value))
                    {
                        if (Frame is not null) throw new JpegFormatException("more than one frame header");
                        Frame = JpegFrameHeader.Parse(marker.Value, segment);
                        scans = true;
                    }
                    break;
            }
        }
    }

    /// <summary>
    /// Finds the next marker from <see cref="Position"/>. Between segments only fill bytes (0xFF) may come; after a
    /// scan has started, bytes are skipped (what follows a scan's last MCU before the next marker is not data).
    /// </summary>
    private byte? NextMarker(ReadOnlySpan<byte> data, bool tolerateGarbage)
    {
        while (Position < data.Length)
        {
            if (data[Position] != 0xFF)
            {
                if (!tolerateGarbage) throw new JpegFormatException($"marker expected at byte {Position}, found 0x{data[Position]:X2}");
                Position++;
                continue;
            }
            var p = Position + 1;
            while (p < data.Length && data[p] == 0xFF) p++;
            if (p >= data.Length) break;
            var code = data[p];
            Position = p + 1;
            if (code == 0 || code is >= JpegMarker.Rst0 and <= JpegMarker.Rst7) continue; // stuffed byte or stray RST
            return code;
        }
        Position = data.Length;
        return null;
    }

    private void ParseQuantTables(ReadOnlySpan<byte> s)
    {
        while (s.Length > 0)
        {
            int pq = s[0] >> 4, tq = s[0] & 15;
            if (pq > 1 || tq > 3) throw new JpegFormatException($"DQT defines table {tq} with precision {pq}");
            var size = 1 + 64 * (pq + 1);
            if (s.Length < size) throw new JpegFormatException("DQT segment is truncated");
            var table = new int[64];
            for (var k = 0; k < 64; k++)
                table[JpegZigZag.Natural[k]] = pq == 0 ? s[1 + k] : (s[1 + 2 * k] << 8) | s[2 + 2 * k];
            QuantTables[tq] = table;
            s = s[size..];
        }
    }
}

/// <summary>Zig-zag order of the 8×8 DCT coefficients (T.81 Figure A.6).</summary>
internal static class JpegZigZag
{
    /// <summary>Natural (row-major) index of the k-th coefficient in zig-zag order.</summary>
    public static readonly int[] Natural =
    [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
        // 16 extra entries so a corrupt run past the 64th coefficient lands harmlessly (as libjpeg does).
        63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63, 63,
    ];
}
