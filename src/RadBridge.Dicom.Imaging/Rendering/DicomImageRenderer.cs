using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// Turns one decoded frame (the layout <see cref="Codecs.IPixelCodec.Decode"/> produces: little-endian samples of
/// Bits Allocated width, colour-by-pixel, 1-bit samples one per byte) into display pixels: grey through the
/// Modality/VOI/presentation chain, palette colour through its tables, YBR to RGB; then overlays and scaling.
/// Integer samples of up to 16 bits go through one precomputed table, so each pixel costs one lookup.
/// </summary>
public static class DicomImageRenderer
{
    /// <summary>Decodes frame <paramref name="frame"/> (0-based) of <paramref name="pixelData"/> and renders it.</summary>
    /// <param name="pixelData">The image's frames.</param>
    /// <param name="dataset">The data set <paramref name="pixelData"/> was created from (LUTs, windows, overlays).</param>
    /// <param name="frame">0-based frame number.</param>
    /// <param name="options">Window, overlays, output depth and size; <see cref="RenderOptions.Default"/> when null.</param>
    /// <exception cref="RenderingException">The frame number is out of range, or the image cannot be rendered.</exception>
    public static RenderedImage RenderFrame(DicomPixelData pixelData, DicomDataset dataset, int frame = 0, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pixelData);
        if (frame < 0 || frame >= pixelData.FrameCount)
            throw new RenderingException($"frame {frame + 1} asked for, the image has {pixelData.FrameCount}");
        var decoded = pixelData.DecodeFrame(frame);
        return Render(dataset, pixelData.Info, decoded.Data, decoded.PhotometricInterpretation, frame, options);
    }

    /// <param name="dataset">The image's data set (LUTs, windows, overlays).</param>
    /// <param name="info">The pixel description the frame was decoded with.</param>
    /// <param name="frame">The decoded frame.</param>
    /// <param name="photometric">Photometric interpretation of the decoded samples (may differ from the stored one, e.g. RGB from JPEG).</param>
    /// <param name="frameIndex">0-based frame number, for multi-frame overlays.</param>
    /// <param name="options">Window, overlays, output depth and size; <see cref="RenderOptions.Default"/> when null.</param>
    /// <exception cref="RenderingException">The frame or the attributes that describe it cannot be rendered.</exception>
    public static RenderedImage Render(DicomDataset dataset, PixelDataInfo info, ReadOnlySpan<byte> frame, string photometric,
        int frameIndex = 0, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(photometric);
        options ??= RenderOptions.Default;
        if (options.GreyBits is not (8 or 16)) throw new RenderingException($"grey output of {options.GreyBits} bits: 8 or 16 are possible");
        if (info.Rows <= 0 || info.Columns <= 0) throw new RenderingException($"image of {info.Rows}×{info.Columns} pixels has nothing to render");
        var bytesPerSample = info.BitsAllocated <= 8 ? 1 : info.BitsAllocated / 8;
        if (info.BitsAllocated is not (1 or 8 or 16 or 32 or 64))
            throw new RenderingException($"Bits Allocated {info.BitsAllocated} cannot be rendered (1, 8, 16, 32 or 64)");
        var pixels = (long)info.Rows * info.Columns;
        var samples = photometric.Trim().ToUpperInvariant() switch
        {
            "MONOCHROME1" or "MONOCHROME2" or "PALETTE COLOR" => 1,
            _ => 3,
        };
        var needed = pixels * samples * bytesPerSample;
        if (frame.Length < needed)
            throw new RenderingException($"decoded frame has {frame.Length} bytes, {info.Rows}×{info.Columns}×{samples} samples of {bytesPerSample} bytes need {needed}");
        frame = frame[..(int)needed];

        var pi = photometric.Trim().ToUpperInvariant();
        var image = pi switch
        {
            "MONOCHROME1" or "MONOCHROME2" => RenderGrey(dataset, info, frame, pi, options),
            "PALETTE COLOR" => RenderPalette(dataset, info, frame),
            "RGB" or "YBR_FULL" or "YBR_FULL_422" or "YBR_ICT" or "YBR_PARTIAL_422" or "YBR_PARTIAL_420" => RenderColour(info, frame, pi),
            _ => throw new RenderingException($"photometric interpretation {photometric} cannot be rendered"),
        };

        if (options.BurnOverlays)
            foreach (var plane in OverlayPlane.FromDataset(dataset))
                plane.BurnInto(image, frameIndex);

        if (options.FitInto is { } box)
        {
            var (w, h) = ImageScaler.FitSize(image.Width, image.Height, box.Width, box.Height);
            if (w != image.Width || h != image.Height) image = ImageScaler.Resize(image, w, h);
        }
        return image;
    }

    /// <summary>Chooses the grey pipeline the options ask for; histogram windows come from <paramref name="frame"/>.</summary>
    public static GreyscalePipeline CreateGreyPipeline(DicomDataset dataset, PixelDataInfo info, ReadOnlySpan<byte> frame, string photometric, RenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(options);
        var modality = ModalityLut.FromDataset(dataset, info.IsSigned);
        var invert = GreyscalePipeline.IsInverted(dataset, photometric);
        var layout = new StoredValueLayout(info);
        var (modMin, _) = modality.OutputRange(layout.MinValue, layout.MaxValue);
        VoiTransform? voi = null;
        if (options.Window is { } explicitWindow) voi = VoiTransform.FromWindow(explicitWindow);
        else
        {
            var source = options.VoiSource;
            if (source is VoiSource.Auto or VoiSource.Window)
            {
                var windows = WindowLevel.FromDataset(dataset);
                if (options.VoiIndex < windows.Count) voi = VoiTransform.FromWindow(windows[options.VoiIndex]);
                else if (source == VoiSource.Window)
                    throw new RenderingException($"window {options.VoiIndex + 1} asked for, the data set has {windows.Count}");
            }
            if (voi is null && source is VoiSource.Auto or VoiSource.LutSequence)
            {
                var tables = VoiTransform.LutSequenceFromDataset(dataset, modMin < 0);
                if (options.VoiIndex < tables.Count) voi = VoiTransform.FromTable(tables[options.VoiIndex]);
                else if (source == VoiSource.LutSequence)
                    throw new RenderingException($"VOI LUT {options.VoiIndex + 1} asked for, the data set has {tables.Count}");
            }
            if (voi is null)
            {
                var (lo, hi) = source == VoiSource.MinMax
                    ? ModalityHistogram.Percentiles(dataset, info, frame, modality, 0, 100, skipPadding: false)
                    : ModalityHistogram.Percentiles(dataset, info, frame, modality, options.HistogramPercentiles.Low, options.HistogramPercentiles.High, skipPadding: true);
                voi = VoiTransform.FromRange(lo, hi);
            }
        }
        return new GreyscalePipeline(modality, voi, invert);
    }

    private static RenderedImage RenderGrey(DicomDataset dataset, PixelDataInfo info, ReadOnlySpan<byte> frame, string photometric, RenderOptions options)
    {
        var pipeline = CreateGreyPipeline(dataset, info, frame, photometric, options);
        var pixels = info.Rows * info.Columns;
        var outMax = options.GreyBits == 8 ? 255 : 65535;
        var output = new byte[pixels * options.GreyBits / 8];
        var layout = new StoredValueLayout(info);

        if (info.BitsAllocated <= 16 && info.PixelDataTag == DicomTags.PixelData)
        {
            // One table indexed by the raw sample: masking, sign, Modality, VOI and polarity in a single lookup.
            var size = info.BitsAllocated <= 8 ? 256 : 65536;
            var byStored = new ushort[1 << layout.BitsStored];
            for (var i = 0; i < byStored.Length; i++)
                byStored[i] = ToOutput(pipeline.Map(layout.MinValue + i), outMax);
            var lut = new ushort[size];
            for (var raw = 0; raw < size; raw++) lut[raw] = byStored[layout.Extract((uint)raw) - layout.MinValue];

            if (options.GreyBits == 8)
            {
                var lut8 = new byte[size];
                for (var i = 0; i < size; i++) lut8[i] = (byte)lut[i];
                if (size == 256) for (var i = 0; i < pixels; i++) output[i] = lut8[frame[i]];
                else
                {
                    var src = MemoryMarshal.Cast<byte, ushort>(frame);
                    if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("rendering assumes a little-endian machine");
                    for (var i = 0; i < pixels; i++) output[i] = lut8[src[i]];
                }
            }
            else
            {
                var dst = MemoryMarshal.Cast<byte, ushort>(output.AsSpan());
                if (size == 256) for (var i = 0; i < pixels; i++) dst[i] = lut[frame[i]];
                else
                {
                    var src = MemoryMarshal.Cast<byte, ushort>(frame);
                    for (var i = 0; i < pixels; i++) dst[i] = lut[src[i]];
                }
            }
        }
        else
        {
            // 32-bit integers and float/double samples: no table can cover them, map each pixel.
            for (var i = 0; i < pixels; i++)
            {
                var v = ToOutput(pipeline.Map(ModalityHistogram.ReadSample(info, layout, frame, i)), outMax);
                if (options.GreyBits == 8) output[i] = (byte)v;
                else BinaryPrimitives.WriteUInt16LittleEndian(output.AsSpan(i * 2), v);
            }
        }
        return new RenderedImage(info.Columns, info.Rows, 1, options.GreyBits, output);
    }

    private static ushort ToOutput(double v, int outMax)
    {
        if (!(v > 0)) return 0;
        return v >= 1 ? (ushort)outMax : (ushort)(v * outMax + 0.5);
    }

    private static RenderedImage RenderPalette(DicomDataset dataset, PixelDataInfo info, ReadOnlySpan<byte> frame)
    {
        if (info.BitsAllocated > 16) throw new RenderingException($"PALETTE COLOR with Bits Allocated {info.BitsAllocated}: 8 or 16 expected");
        var palette = PaletteColorLut.FromDataset(dataset, info.IsSigned);
        var layout = new StoredValueLayout(info);
        var size = info.BitsAllocated <= 8 ? 256 : 65536;
        var table = new byte[size * 3];
        for (var raw = 0; raw < size; raw++)
        {
            var (r, g, b) = palette.Lookup(layout.Extract((uint)raw));
            table[raw * 3] = r;
            table[raw * 3 + 1] = g;
            table[raw * 3 + 2] = b;
        }
        var pixels = info.Rows * info.Columns;
        var output = new byte[pixels * 3];
        if (size == 256)
            for (var i = 0; i < pixels; i++) table.AsSpan(frame[i] * 3, 3).CopyTo(output.AsSpan(i * 3));
        else
        {
            var src = MemoryMarshal.Cast<byte, ushort>(frame);
            for (var i = 0; i < pixels; i++) table.AsSpan(src[i] * 3, 3).CopyTo(output.AsSpan(i * 3));
        }
        return new RenderedImage(info.Columns, info.Rows, 3, 8, output);
    }

    private static RenderedImage RenderColour(PixelDataInfo info, ReadOnlySpan<byte> frame, string photometric)
    {
        if (info.BitsAllocated is not (8 or 16)) throw new RenderingException($"{photometric} with Bits Allocated {info.BitsAllocated}: 8 or 16 expected");
        var pixels = info.Rows * info.Columns;
        var output = new byte[pixels * 3];
        if (info.BitsAllocated == 8) frame.CopyTo(output);
        else
        {
            // Wider samples are scaled from their Bits Stored range to 8 bits.
            var layout = new StoredValueLayout(info);
            var max = (double)layout.MaxValue;
            var src = MemoryMarshal.Cast<byte, ushort>(frame);
            var lut = new byte[65536];
            for (var raw = 0; raw < lut.Length; raw++) lut[raw] = (byte)Math.Clamp(Math.Round(layout.Extract((uint)raw) * 255 / max), 0, 255);
            for (var i = 0; i < output.Length; i++) output[i] = lut[src[i]];
        }
        if (photometric is "YBR_FULL" or "YBR_FULL_422" or "YBR_ICT" or "YBR_PARTIAL_422" or "YBR_PARTIAL_420")
        {
            var partial = photometric.StartsWith("YBR_PARTIAL", StringComparison.Ordinal);
            for (var i = 0; i < output.Length; i += 3)
            {
                var (r, g, b) = partial
                    ? ColorConversion.FromYbrPartial(output[i], output[i + 1], output[i + 2])
                    : ColorConversion.FromYbrFull(output[i], output[i + 1], output[i + 2]);
                output[i] = r;
                output[i + 1] = g;
                output[i + 2] = b;
            }
        }
        return new RenderedImage(info.Columns, info.Rows, 3, 8, output);
    }
}
