using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Encoder for lossless JPEG process 14 (T.81 Annex H, SOF3): one interleaved scan, no point transform, a Huffman
/// table optimised for the image (two passes). Predictor 1 gives the SV1 streams of 1.2.840.10008.1.2.4.70; for
/// .57 the encoder picks the predictor that leaves the smallest differences on a sample of rows.
/// </summary>
internal static class JpegLosslessEncoder
{
    /// <summary>
    /// Encodes a frame (colour-by-pixel, little endian) with precision Bits Stored; <paramref name="predictor"/>
    /// is 1–7, or 0 to choose one.
    /// </summary>
    public static byte[] Encode(ReadOnlySpan<byte> frame, PixelDataInfo info, int predictor)
    {
        var precision = info.BitsStored;
        if (precision is < 2 or > 16) throw new JpegFormatException($"lossless JPEG holds 2–16 bit samples, not Bits Stored {precision}");
        if (info.BitsAllocated is not (8 or 16)) throw new JpegFormatException($"Bits Allocated {info.BitsAllocated} (8 or 16 allowed)");
        if (info.Rows > ushort.MaxValue || info.Columns > ushort.MaxValue) throw new JpegFormatException($"{info.Columns}x{info.Rows} exceeds JPEG's 65535 limit");
        int width = info.Columns, height = info.Rows, n = info.SamplesPerPixel, pixels = width * height;
        if (frame.Length < (long)pixels * n * info.BytesPerSample)
            throw new JpegFormatException($"frame has {frame.Length} bytes, {(long)pixels * n * info.BytesPerSample} expected");

        var mask = (1 << precision) - 1;
        var planes = new ushort[n][];
        for (var c = 0; c < n; c++)
        {
            var plane = planes[c] = new ushort[pixels];
            for (var i = 0; i < pixels; i++)
            {
                var s = (i * n) + c;
                int v = info.BytesPerSample == 1 ? frame[s] : BinaryPrimitives.ReadUInt16LittleEndian(frame[(2 * s)..]);
                plane[i] = (ushort)(v & mask);
            }
        }
        if (predictor == 0) predictor = ChoosePredictor(planes, width, height);

        var initial = 1 << (precision - 1);
        var differences = new short[pixels * n];
        var frequencies = new long[17];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var i = (y * width) + x;
                for (var c = 0; c < n; c++)
                {
                    var plane = planes[c];
                    int prediction = y == 0 ? (x == 0 ? initial : plane[i - 1])
                        : x == 0 ? plane[i - width]
                        : JpegLosslessDecoder.Predict(predictor, plane[i - 1], plane[i - width], plane[i - width - 1]);
                    var d = (short)(plane[i] - prediction); // modulo 2^16, as the decoder adds it back
                    differences[(i * n) + c] = d;
                    frequencies[Category(d)]++;
                }
            }
        }

        var table = new JpegHuffmanEncoderTable(frequencies);
        using var output = new MemoryStream((pixels * n * info.BytesPerSample / 2) + 1024);
        output.Write([0xFF, JpegMarker.Soi]);
        var sof = new List<byte> { (byte)precision, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, (byte)n };
        for (var c = 0; c < n; c++) sof.AddRange([(byte)(c + 1), 0x11, 0]);
        WriteSegment(output, JpegMarker.Sof3LosslessHuffman, [.. sof]);
        WriteSegment(output, JpegMarker.Dht, table.ToSegmentPayload(0, 0));
        var sos = new List<byte> { (byte)n };
        for (var c = 0; c < n; c++) sos.AddRange([(byte)(c + 1), 0x00]);
        sos.AddRange([(byte)predictor, 0, 0]);
        WriteSegment(output, JpegMarker.Sos, [.. sos]);

        var bits = new JpegBitWriter(output);
        foreach (var d in differences)
        {
            var ssss = Category(d);
            bits.Write(table.Codes[ssss], table.Lengths[ssss]);
            if (ssss is > 0 and < 16) bits.Write((uint)(d < 0 ? d - 1 : d), ssss);
        }
        bits.Flush();
        output.Write([0xFF, JpegMarker.Eoi]);
        return output.ToArray();
    }

    /// <summary>SSSS of a difference (T.81 Table H.2); -32768 is the category-16 value 32768 modulo 2^16.</summary>
    private static int Category(short d) => d == short.MinValue ? 16 : d == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs((int)d));

    /// <summary>The predictor with the smallest sum of absolute differences over every eighth row.</summary>
    private static int ChoosePredictor(ushort[][] planes, int width, int height)
    {
        var best = 1;
        var bestCost = long.MaxValue;
        for (var p = 1; p <= 7; p++)
        {
            long cost = 0;
            foreach (var plane in planes)
                for (var y = 1; y < height; y += 8)
                    for (var x = 1; x < width; x++)
                    {
                        var i = (y * width) + x;
                        cost += Math.Abs((int)(short)(plane[i] - Predict(p, plane, i, width))); // int: |-32768| overflows short
                    }
            if (cost < bestCost)
            {
                bestCost = cost;
                best = p;
            }
        }
        return best;
    }

    private static int Predict(int p, ushort[] plane, int i, int width) =>
        JpegLosslessDecoder.Predict(p, plane[i - 1], plane[i - width], plane[i - width - 1]);

    internal static void WriteSegment(MemoryStream output, byte marker, ReadOnlySpan<byte> payload)
    {
        var length = payload.Length + 2;
        output.Write([0xFF, marker, (byte)(length >> 8), (byte)length]);
        output.Write(payload);
    }
}
