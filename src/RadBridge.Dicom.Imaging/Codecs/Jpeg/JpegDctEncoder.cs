using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Managed encoder for 12-bit greyscale extended sequential DCT JPEG (T.81 process 4, SOF1, Huffman): the IJG
/// luminance quantization table scaled by quality, and Huffman tables optimised for the image (two passes; the
/// example tables of Annex K do not cover 12-bit categories). 8-bit frames are encoded by libjpeg-turbo instead.
/// </summary>
internal static class JpegDctEncoder
{
    /// <summary>T.81 Table K.1, in natural order.</summary>
    private static readonly int[] LuminanceQuantization =
    [
        16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
        14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
        18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
        49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
    ];

    public static byte[] Encode(ReadOnlySpan<byte> frame, PixelDataInfo info, int quality)
    {
        if (info.SamplesPerPixel != 1) throw new JpegFormatException("12-bit JPEG encoding supports greyscale frames only");
        if (info.IsSigned) throw new JpegFormatException("lossy JPEG of signed (Pixel Representation 1) samples is not supported");
        if (info.BitsAllocated != 16 || info.BitsStored > 12) throw new JpegFormatException($"12-bit JPEG needs Bits Allocated 16 and Bits Stored ≤ 12, not {info.BitsAllocated}/{info.BitsStored}");
        if (info.Rows > ushort.MaxValue || info.Columns > ushort.MaxValue) throw new JpegFormatException($"{info.Columns}x{info.Rows} exceeds JPEG's 65535 limit");
        int width = info.Columns, height = info.Rows;
        if (frame.Length < 2L * width * height) throw new JpegFormatException($"frame has {frame.Length} bytes, {2L * width * height} expected");

        var quant = ScaledTable(quality);
        int blocksX = (width + 7) / 8, blocksY = (height + 7) / 8;
        var coefficients = new short[blocksX * blocksY * 64]; // quantized, zig-zag order
        var samples = new double[64];
        var temp = new double[64];
        var dct = new double[64];
        var mask = (1 << info.BitsStored) - 1;
        for (var by = 0; by < blocksY; by++)
            for (var bx = 0; bx < blocksX; bx++)
            {
                for (var y = 0; y < 8; y++)
                {
                    var sy = Math.Min((by * 8) + y, height - 1); // edge blocks repeat the last row and column
                    for (var x = 0; x < 8; x++)
                    {
                        var sx = Math.Min((bx * 8) + x, width - 1);
                        var v = BinaryPrimitives.ReadUInt16LittleEndian(frame[(2 * ((sy * width) + sx))..]) & mask;
                        samples[(y * 8) + x] = v - 2048;
                    }
                }
                JpegDct.Forward(samples, dct, temp);
                var block = coefficients.AsSpan(((by * blocksX) + bx) * 64, 64);
                for (var k = 0; k < 64; k++)
                {
                    var z = JpegZigZag.Natural[k];
                    block[k] = (short)Math.Round(dct[z] / quant[z], MidpointRounding.AwayFromZero);
                }
            }

        var dcFrequencies = new long[256];
        var acFrequencies = new long[256];
        Walk(coefficients, (dc, symbol, _, _) => (dc ? dcFrequencies : acFrequencies)[symbol]++);
        var dcTable = new JpegHuffmanEncoderTable(dcFrequencies);
        var acTable = new JpegHuffmanEncoderTable(acFrequencies);

        using var output = new MemoryStream((width * height / 4) + 1024);
        output.Write([0xFF, JpegMarker.Soi]);
        var dqt = new byte[1 + 128];
        dqt[0] = 0x10; // 16-bit entries, table 0
        for (var k = 0; k < 64; k++) BinaryPrimitives.WriteUInt16BigEndian(dqt.AsSpan(1 + (2 * k)), (ushort)quant[JpegZigZag.Natural[k]]);
        JpegLosslessEncoder.WriteSegment(output, JpegMarker.Dqt, dqt);
        JpegLosslessEncoder.WriteSegment(output, JpegMarker.Sof1ExtendedHuffman, [12, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 1, 1, 0x11, 0]);
        JpegLosslessEncoder.WriteSegment(output, JpegMarker.Dht, [.. dcTable.ToSegmentPayload(0, 0), .. acTable.ToSegmentPayload(1, 0)]);
        JpegLosslessEncoder.WriteSegment(output, JpegMarker.Sos, [1, 1, 0x00, 0, 63, 0]);
        var bits = new JpegBitWriter(output);
        Walk(coefficients, (dc, symbol, extra, extraLength) =>
        {
            var table = dc ? dcTable : acTable;
            bits.Write(table.Codes[symbol], table.Lengths[symbol]);
            bits.Write((uint)extra, extraLength);
        });
        bits.Flush();
        output.Write([0xFF, JpegMarker.Eoi]);
        return output.ToArray();
    }

    /// <summary>Emits each block's DC difference and AC run/size symbols with their extra bits (T.81 F.1.2).</summary>
    private static void Walk(short[] coefficients, Action<bool, int, int, int> emit)
    {
        var previousDc = 0;
        for (var b = 0; b < coefficients.Length; b += 64)
        {
            var diff = coefficients[b] - previousDc;
            previousDc = coefficients[b];
            var size = Category(diff);
            emit(true, size, diff < 0 ? diff - 1 : diff, size);
            var run = 0;
            for (var k = 1; k < 64; k++)
            {
                int v = coefficients[b + k];
                if (v == 0)
                {
                    run++;
                    continue;
                }
                for (; run > 15; run -= 16) emit(false, 0xF0, 0, 0);
                size = Category(v);
                emit(false, (run << 4) | size, v < 0 ? v - 1 : v, size);
                run = 0;
            }
            if (run > 0) emit(false, 0x00, 0, 0);
        }
    }

    private static int Category(int v) => v == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(v));

    /// <summary>IJG's quality scaling (jcparam.c): 50 is the table itself, 100 all ones.</summary>
    private static int[] ScaledTable(int quality)
    {
        quality = Math.Clamp(quality, 1, 100);
        var scale = quality < 50 ? 5000 / quality : 200 - (quality * 2);
        return [.. LuminanceQuantization.Select(q => Math.Clamp(((q * scale) + 50) / 100, 1, 32767))];
    }
}
