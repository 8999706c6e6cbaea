using System.Buffers.Binary;
using System.Runtime.Intrinsics;

namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Managed decoder for sequential DCT JPEG with Huffman coding (T.81 Annex F; SOF0 baseline and SOF1 extended),
/// 8 or 12-bit samples. It exists for the 12-bit streams of 1.2.840.10008.1.2.4.51, which the libjpeg-turbo of
/// Debian 12 (2.1) cannot read; 8-bit streams go to libjpeg-turbo, which is several times faster.
/// </summary>
internal static class JpegDctDecoder
{
    /// <summary>Decodes into colour-by-pixel samples of Bits Allocated width; returns the decoded photometric.</summary>
    public static string Decode(ReadOnlySpan<byte> data, PixelDataInfo info, Span<byte> destination)
    {
        var stream = new JpegStream();
        int[][]? planes = null;
        int[] strides = [];
        var seen = Array.Empty<bool>();
        while (stream.NextScan(data) is { } scan)
        {
            var frame = stream.Frame!;
            if (planes is null)
            {
                if (frame.Marker is not (JpegMarker.Sof0Baseline or JpegMarker.Sof1ExtendedHuffman))
                    throw new JpegFormatException($"{JpegMarker.Describe(frame.Marker)} is not sequential DCT with Huffman coding");
                if (frame.Precision is not (8 or 12)) throw new JpegFormatException($"DCT sample precision {frame.Precision} (8 or 12 allowed)");
                frame.CheckAgainst(info);
                (planes, strides) = AllocatePlanes(frame);
                seen = new bool[planes.Length];
            }
            // Ss/Se/Ah/Al mean nothing in a sequential scan; some encoders (e.g. of the NEMA WG04 set) write Se 0
            // there, and the IJG library reads such streams with a warning, so they are ignored here too.
            DecodeScan(data, stream, scan, frame, planes, strides);
            foreach (var c in scan.ComponentIndexes) seen[c] = true;
        }
        if (planes is null) throw new JpegFormatException("no scan before the end of the codestream");
        var missing = Array.IndexOf(seen, false);
        if (missing >= 0) throw new JpegFormatException($"component {stream.Frame!.Components[missing].Id} has no scan");
        return WriteSamples(stream, planes, strides, info, destination);
    }

    private static (int[][] Planes, int[] Strides) AllocatePlanes(JpegFrameHeader frame)
    {
        int maxH = frame.MaxH, maxV = frame.MaxV;
        int mcusX = DivUp(frame.Width, 8 * maxH), mcusY = DivUp(frame.Height, 8 * maxV);
        var planes = new int[frame.Components.Length][];
        var strides = new int[planes.Length];
        for (var i = 0; i < planes.Length; i++)
        {
            var c = frame.Components[i];
            strides[i] = mcusX * c.H * 8;
            planes[i] = new int[strides[i] * mcusY * c.V * 8];
        }
        return (planes, strides);
    }

    private static void DecodeScan(ReadOnlySpan<byte> data, JpegStream stream, JpegScanHeader scan, JpegFrameHeader frame, int[][] planes, int[] strides)
    {
        var ns = scan.ComponentIndexes.Length;
        var dc = new JpegHuffmanTable[ns];
        var ac = new JpegHuffmanTable[ns];
        var quant = new int[ns][];
        for (var i = 0; i < ns; i++)
        {
            dc[i] = stream.DcTables[scan.DcTables[i]] ?? throw new JpegFormatException($"scan uses DC Huffman table {scan.DcTables[i]}, which is not defined");
            ac[i] = stream.AcTables[scan.AcTables[i]] ?? throw new JpegFormatException($"scan uses AC Huffman table {scan.AcTables[i]}, which is not defined");
            var tq = frame.Components[scan.ComponentIndexes[i]].QuantTable;
            quant[i] = stream.QuantTables[tq] ?? throw new JpegFormatException($"quantization table {tq} is not defined");
        }
        var block = new JpegBlock(frame.Precision);
        var predictions = new int[ns];
        var reader = new JpegBitReader(data, stream.Position);
        int restartInterval = stream.RestartInterval, toRestart = restartInterval;
        int maxH = frame.MaxH, maxV = frame.MaxV;

        if (ns == 1)
        {
            // A non-interleaved scan codes only the blocks that hold the component's samples (T.81 A.2.2).
            var index = scan.ComponentIndexes[0];
            var c = frame.Components[index];
            int blocksX = DivUp(DivUp(frame.Width * c.H, maxH), 8), blocksY = DivUp(DivUp(frame.Height * c.V, maxV), 8);
            for (var by = 0; by < blocksY; by++)
                for (var bx = 0; bx < blocksX; bx++)
                {
                    CheckRestart(ref reader, restartInterval, ref toRestart, predictions);
                    block.Decode(ref reader, dc[0], ac[0], quant[0], ref predictions[0]);
                    block.Store(planes[index], strides[index], bx * 8, by * 8);
                }
        }
        else
        {
            int mcusX = DivUp(frame.Width, 8 * maxH), mcusY = DivUp(frame.Height, 8 * maxV);
            for (var my = 0; my < mcusY; my++)
                for (var mx = 0; mx < mcusX; mx++)
                {
                    CheckRestart(ref reader, restartInterval, ref toRestart, predictions);
                    for (var i = 0; i < ns; i++)
                    {
                        var index = scan.ComponentIndexes[i];
                        var c = frame.Components[index];
                        for (var v = 0; v < c.V; v++)
                            for (var h = 0; h < c.H; h++)
                            {
                                block.Decode(ref reader, dc[i], ac[i], quant[i], ref predictions[i]);
                                block.Store(planes[index], strides[index], ((mx * c.H) + h) * 8, ((my * c.V) + v) * 8);
                            }
                    }
                }
        }
        reader.CheckNotPastEnd();
        stream.Position = reader.Position;
    }

    private static void CheckRestart(ref JpegBitReader reader, int interval, ref int toRestart, int[] predictions)
    {
        if (interval == 0) return;
        if (toRestart == 0)
        {
            reader.Restart();
            Array.Clear(predictions);
            toRestart = interval;
        }
        toRestart--;
    }

    private static string WriteSamples(JpegStream stream, int[][] planes, int[] strides, PixelDataInfo info, Span<byte> destination)
    {
        var frame = stream.Frame!;
        int width = frame.Width, height = frame.Height, n = planes.Length;
        var wide = info.BytesPerSample == 2;
        if (n == 1)
        {
            var plane = planes[0];
            for (var y = 0; y < height; y++)
                for (var x = 0; x < width; x++)
                    Put(destination, (y * width) + x, plane[(y * strides[0]) + x], wide);
            return info.PhotometricInterpretation;
        }

        // Chroma planes are upsampled by replication; whether to convert YCbCr to RGB is the data set's call.
        var transform = JpegColour.IsYbr(info);
        if (n != 3) throw new JpegFormatException($"{n} colour components (1 or 3 supported)");
        int maxH = frame.MaxH, maxV = frame.MaxV, max = (1 << frame.Precision) - 1, center = 1 << (frame.Precision - 1);
        Span<int> sample = stackalloc int[3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var comp = frame.Components[c];
                    sample[c] = planes[c][(y * comp.V / maxV * strides[c]) + (x * comp.H / maxH)];
                }
                var o = ((y * width) + x) * 3;
                if (transform)
                {
                    double yy = sample[0], cb = sample[1] - center, cr = sample[2] - center;
                    Put(destination, o, Clamp(yy + (1.402 * cr), max), wide);
                    Put(destination, o + 1, Clamp(yy - (0.344136 * cb) - (0.714136 * cr), max), wide);
                    Put(destination, o + 2, Clamp(yy + (1.772 * cb), max), wide);
                }
                else
                {
                    for (var c = 0; c < 3; c++) Put(destination, o + c, sample[c], wide);
                }
            }
        return "RGB";
    }

    private static int Clamp(double v, int max) => Math.Clamp((int)Math.Round(v, MidpointRounding.AwayFromZero), 0, max);

    private static void Put(Span<byte> destination, int sampleIndex, int value, bool wide)
    {
        if (wide) BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * sampleIndex)..], (ushort)value);
        else destination[sampleIndex] = (byte)value;
    }

    private static int DivUp(int a, int b) => (a + b - 1) / b;
}

/// <summary>One 8×8 block: Huffman decoding of its coefficients (T.81 F.2.2), dequantization and inverse DCT.</summary>
internal sealed class JpegBlock(int precision)
{
    private readonly int[] _coefficients = new int[64];
    private readonly float[] _samples = new float[64];
    private readonly int _max = (1 << precision) - 1;
    private readonly int _levelShift = 1 << (precision - 1);
    private readonly int _maxCategory = precision == 8 ? 11 : 15;

    public void Decode(ref JpegBitReader reader, JpegHuffmanTable dc, JpegHuffmanTable ac, int[] quant, ref int prediction)
    {
        Array.Clear(_coefficients);
        var t = dc.Decode(ref reader);
        if (t > _maxCategory) throw new JpegFormatException($"DC difference category {t} for {precision}-bit samples");
        prediction += reader.ReceiveExtend(t);
        _coefficients[0] = prediction * quant[0];
        var acSeen = false;
        for (var k = 1; k < 64; k++)
        {
            var rs = ac.Decode(ref reader);
            int r = rs >> 4, s = rs & 15;
            if (s == 0)
            {
                if (r != 15) break; // EOB
                k += 15;            // ZRL
                continue;
            }
            k += r;
            var z = JpegZigZag.Natural[k];
            _coefficients[z] = reader.ReceiveExtend(s) * quant[z];
            acSeen = true;
        }
        if (acSeen) JpegDct.Inverse(_coefficients, _samples);
        else Array.Fill(_samples, _coefficients[0] / 8f); // a flat block: the DC term alone

    }

    /// <summary>Level-shifts, rounds and clamps the block into a sample plane at (x0, y0).</summary>
    public void Store(int[] plane, int stride, int x0, int y0)
    {
        for (var y = 0; y < 8; y++)
        {
            var row = ((y0 + y) * stride) + x0;
            for (var x = 0; x < 8; x++)
                plane[row + x] = Math.Clamp((int)MathF.Floor(_samples[(y * 8) + x] + _levelShift + 0.5f), 0, _max);
        }
    }
}

/// <summary>The 8×8 DCT pair of T.81 A.3.3, separable, in double precision.</summary>
internal static class JpegDct
{
    // Basis[u * 8 + x] = C(u)/2 · cos((2x+1)uπ/16)
    private static readonly double[] Basis = CreateBasis();

    private static double[] CreateBasis()
    {
        var b = new double[64];
        for (var u = 0; u < 8; u++)
            for (var x = 0; x < 8; x++)
                b[(u * 8) + x] = (u == 0 ? Math.Sqrt(0.5) : 1.0) / 2 * Math.Cos(((2 * x) + 1) * u * Math.PI / 16);
        return b;
    }

    // The same basis in single precision, one Vector256 per row u (Basis[u·8 + 0..7]) for the inverse transform.
    private static readonly Vector256<float>[] BasisRows =
        [.. Enumerable.Range(0, 8).Select(u => Vector256.Create([.. Basis.Skip(u * 8).Take(8).Select(b => (float)b)]))];

    /// <summary>
    /// Coefficients (row-major, v·8+u) to samples (y·8+x), before level shift: separable, eight lanes at a time
    /// (single precision is ample: the outputs are rounded to integers of at most 12 bits).
    /// </summary>
    public static void Inverse(int[] coefficients, float[] samples)
    {
        Span<Vector256<float>> rows = stackalloc Vector256<float>[8];
        for (var v = 0; v < 8; v++)
        {
            var acc = Vector256<float>.Zero;
            for (var u = 0; u < 8; u++)
            {
                var c = coefficients[(v * 8) + u];
                if (c != 0) acc += BasisRows[u] * c; // most coefficients of a quantized block are zero
            }
            rows[v] = acc;
        }
        for (var y = 0; y < 8; y++)
        {
            var acc = Vector256<float>.Zero;
            for (var v = 0; v < 8; v++) acc += rows[v] * (float)Basis[(v * 8) + y];
            acc.CopyTo(samples, y * 8);
        }
    }

    /// <summary>Samples (y·8+x, level-shifted) to coefficients (v·8+u).</summary>
    public static void Forward(double[] samples, double[] coefficients, double[] temp)
    {
        for (var y = 0; y < 8; y++)
            for (var u = 0; u < 8; u++)
            {
                double sum = 0;
                for (var x = 0; x < 8; x++) sum += Basis[(u * 8) + x] * samples[(y * 8) + x];
                temp[(y * 8) + u] = sum;
            }
        for (var v = 0; v < 8; v++)
            for (var u = 0; u < 8; u++)
            {
                double sum = 0;
                for (var y = 0; y < 8; y++) sum += Basis[(v * 8) + y] * temp[(y * 8) + u];
                coefficients[(v * 8) + u] = sum;
            }
    }
}
