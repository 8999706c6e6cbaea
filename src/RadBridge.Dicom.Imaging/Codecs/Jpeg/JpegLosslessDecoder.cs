using System.Buffers.Binary;

namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Decoder for lossless JPEG, process 14 (T.81 Annex H, SOF3, Huffman): each sample is a prediction from its
/// decoded neighbours (selection values 1–7) plus a Huffman-coded difference, modulo 2^16. Covers DICOM's
/// 1.2.840.10008.1.2.4.57 and, as the special case of predictor 1, 1.2.840.10008.1.2.4.70 (SV1).
/// </summary>
internal static class JpegLosslessDecoder
{
    public static void Decode(ReadOnlySpan<byte> data, PixelDataInfo info, Span<byte> destination)
    {
        var stream = new JpegStream();
        ushort[][]? planes = null;
        bool[]? seen = null;
        var pointTransform = new int[info.SamplesPerPixel];
        while (stream.NextScan(data) is { } scan)
        {
            var frame = stream.Frame!;
            if (planes is null)
            {
                if (frame.Marker != JpegMarker.Sof3LosslessHuffman)
                    throw new JpegFormatException($"{JpegMarker.Describe(frame.Marker)} is not lossless JPEG process 14 (SOF3)");
                if (frame.Precision is < 2 or > 16) throw new JpegFormatException($"lossless sample precision {frame.Precision} (2–16 allowed)");
                frame.CheckAgainst(info);
                if (frame.Components.Any(c => c.H != 1 || c.V != 1))
                    throw new JpegFormatException("lossless components with sampling factors other than 1x1 are not supported");
                planes = new ushort[frame.Components.Length][];
                for (var i = 0; i < planes.Length; i++) planes[i] = new ushort[frame.Width * frame.Height];
                seen = new bool[planes.Length];
            }
            DecodeScan(data, stream, scan, frame, planes);
            foreach (var c in scan.ComponentIndexes)
            {
                seen![c] = true;
                pointTransform[c] = scan.Al;
            }
        }
        if (planes is null) throw new JpegFormatException("no scan before the end of the codestream");
        var missing = Array.IndexOf(seen!, false);
        if (missing >= 0) throw new JpegFormatException($"component {stream.Frame!.Components[missing].Id} has no scan");

        var n = planes.Length;
        var pixels = info.Rows * info.Columns;
        if (info.BytesPerSample == 1)
        {
            for (var c = 0; c < n; c++)
                for (int i = 0, o = c; i < pixels; i++, o += n) destination[o] = (byte)(planes[c][i] << pointTransform[c]);
        }
        else
        {
            for (var c = 0; c < n; c++)
                for (int i = 0, o = 2 * c; i < pixels; i++, o += 2 * n)
                    BinaryPrimitives.WriteUInt16LittleEndian(destination[o..], (ushort)(planes[c][i] << pointTransform[c]));
        }
    }

    private static void DecodeScan(ReadOnlySpan<byte> data, JpegStream stream, JpegScanHeader scan, JpegFrameHeader frame, ushort[][] planes)
    {
        int predictor = scan.Ss, pt = scan.Al, ns = scan.ComponentIndexes.Length;
        if (predictor > 7) throw new JpegFormatException($"predictor selection value {predictor} (0–7 allowed)");
        if (pt >= frame.Precision) throw new JpegFormatException($"point transform {pt} with sample precision {frame.Precision}");
        var tables = new JpegHuffmanTable[ns];
        var scanPlanes = new ushort[ns][];
        for (var i = 0; i < ns; i++)
        {
            tables[i] = stream.DcTables[scan.DcTables[i]] ?? throw new JpegFormatException($"scan uses Huffman table {scan.DcTables[i]}, which is not defined");
            scanPlanes[i] = planes[scan.ComponentIndexes[i]];
        }
        int width = frame.Width, height = frame.Height;
        var initial = 1 << (frame.Precision - pt - 1);
        var restartInterval = stream.RestartInterval;
        var toRestart = restartInterval;
        // Where prediction last started afresh (start of image or of a restart interval): that sample takes the
        // initial value and the rest of its row predicts from the left only (T.81 H.1.2.1).
        int freshRow = 0, freshColumn = 0;
        var reader = new JpegBitReader(data, stream.Position);
        for (var y = 0; y < height; y++)
        {
            var row = y * width;
            for (var x = 0; x < width; x++)
            {
                if (restartInterval > 0)
                {
                    if (toRestart == 0)
                    {
                        reader.Restart();
                        toRestart = restartInterval;
                        freshRow = y;
                        freshColumn = x;
                    }
                    toRestart--;
                }
                var i = row + x;
                for (var c = 0; c < ns; c++)
                {
                    var plane = scanPlanes[c];
                    int prediction;
                    if (y == freshRow)
                        prediction = x == freshColumn ? initial : plane[i - 1];
                    else if (x == 0)
                        prediction = plane[i - width];
                    else
                        prediction = Predict(predictor, plane[i - 1], plane[i - width], plane[i - width - 1]);
                    var ssss = tables[c].Decode(ref reader);
                    int difference = ssss switch
                    {
                        16 => 32768,
                        > 16 => throw new JpegFormatException($"difference category {ssss} (0–16 allowed)"),
                        _ => reader.ReceiveExtend(ssss),
                    };
                    plane[i] = (ushort)(prediction + difference);
                }
            }
        }
        reader.CheckNotPastEnd();
        stream.Position = reader.Position;
    }

    /// <summary>T.81 Table H.1, in integer arithmetic as the reference implementation does it.</summary>
    internal static int Predict(int selection, int ra, int rb, int rc) => selection switch
    {
        1 => ra,
        2 => rb,
        3 => rc,
        4 => ra + rb - rc,
        5 => ra + ((rb - rc) >> 1),
        6 => rb + ((ra - rc) >> 1),
        7 => (ra + rb) >> 1,
        _ => 0,
    };
}
