namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>One image component of a frame header (T.81 B.2.2): identifier, sampling factors, quantization table.</summary>
internal sealed record JpegComponent(byte Id, int H, int V, int QuantTable);

/// <summary>A frame header (SOFn segment, T.81 B.2.2).</summary>
internal sealed class JpegFrameHeader
{
    public required byte Marker { get; init; }
    public required int Precision { get; init; }
    public required int Height { get; init; }
    public required int Width { get; init; }
    public required JpegComponent[] Components { get; init; }
    public int MaxH => Components.Max(c => c.H);
    public int MaxV => Components.Max(c => c.V);

    public static JpegFrameHeader Parse(byte marker, ReadOnlySpan<byte> s)
    {
        if (s.Length < 6) throw new JpegFormatException($"{JpegMarker.Describe(marker)} segment is {s.Length} bytes, too short");
        int nf = s[5];
        if (nf == 0 || s.Length < 6 + 3 * nf) throw new JpegFormatException($"{JpegMarker.Describe(marker)} declares {nf} components in {s.Length} bytes");
        var components = new JpegComponent[nf];
        for (var i = 0; i < nf; i++)
        {
            var c = s.Slice(6 + 3 * i, 3);
            int h = c[1] >> 4, v = c[1] & 15;
            if (h is < 1 or > 4 || v is < 1 or > 4) throw new JpegFormatException($"component {c[0]} has sampling factors {h}x{v} (1–4 allowed)");
            if (c[2] > 3) throw new JpegFormatException($"component {c[0]} uses quantization table {c[2]} (0–3 allowed)");
            components[i] = new JpegComponent(c[0], h, v, c[2]);
        }
        return new JpegFrameHeader
        {
            Marker = marker, Precision = s[0], Height = (s[1] << 8) | s[2], Width = (s[3] << 8) | s[4], Components = components,
        };
    }

    /// <summary>
    /// Checks the frame against the data set's Image Pixel module before any buffer is sized from it, so a corrupt
    /// or hostile header cannot make the decoder allocate more than the data set already promised.
    /// </summary>
    public void CheckAgainst(PixelDataInfo info)
    {
        // Height 0 means "defined later by DNL" (T.81 B.2.2); DICOM encoders do not use it.
        if (Height == 0) throw new JpegFormatException("frame height 0 (DNL marker) is not supported");
        if (Width != info.Columns || Height != info.Rows || Components.Length != info.SamplesPerPixel)
            throw new JpegFormatException(
                $"{JpegMarker.Describe(Marker)} says {Width}x{Height} with {Components.Length} component(s), " +
                $"the data set {info.Columns}x{info.Rows} with {info.SamplesPerPixel} sample(s) per pixel");
        if (Precision > info.BitsAllocated)
            throw new JpegFormatException($"sample precision {Precision} exceeds Bits Allocated {info.BitsAllocated}");
    }
}

/// <summary>A scan header (SOS segment, T.81 B.2.3).</summary>
internal sealed class JpegScanHeader
{
    /// <summary>Index into <see cref="JpegFrameHeader.Components"/> of each component in the scan, in scan order.</summary>
    public required int[] ComponentIndexes { get; init; }
    public required int[] DcTables { get; init; }
    public required int[] AcTables { get; init; }
    /// <summary>Spectral selection start; the predictor selection value in lossless mode.</summary>
    public required int Ss { get; init; }
    public required int Se { get; init; }
    public required int Ah { get; init; }
    /// <summary>Successive approximation low bit; the point transform in lossless mode.</summary>
    public required int Al { get; init; }

    public static JpegScanHeader Parse(ReadOnlySpan<byte> s, JpegFrameHeader frame)
    {
        if (s.Length < 1) throw new JpegFormatException("SOS segment is empty");
        int ns = s[0];
        if (ns is < 1 or > 4 || s.Length < 1 + 2 * ns + 3) throw new JpegFormatException($"SOS declares {ns} components in {s.Length} bytes");
        var indexes = new int[ns];
        var dc = new int[ns];
        var ac = new int[ns];
        for (var i = 0; i < ns; i++)
        {
            var id = s[1 + 2 * i];
            var index = Array.FindIndex(frame.Components, c => c.Id == id);
            if (index < 0) throw new JpegFormatException($"SOS names component {id}, which the frame header does not define");
            indexes[i] = index;
            dc[i] = s[2 + 2 * i] >> 4;
            ac[i] = s[2 + 2 * i] & 15;
            if (dc[i] > 3 || ac[i] > 3) throw new JpegFormatException($"SOS selects Huffman table {dc[i]}/{ac[i]} (0–3 allowed)");
        }
        var p = 1 + 2 * ns;
        return new JpegScanHeader
        {
            ComponentIndexes = indexes, DcTables = dc, AcTables = ac,
            Ss = s[p], Se = s[p + 1], Ah = s[p + 2] >> 4, Al = s[p + 2] & 15,
        };
    }
}
