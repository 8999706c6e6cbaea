using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// 8-bit baseline (and extended/progressive 8-bit) JPEG through libjpeg-turbo: SIMD DCT and colour conversion,
/// the fast path for the bulk of DICOM JPEG traffic. Errors and warnings of the library both fail the frame, so
/// a truncated stream is never passed off as an image.
/// </summary>
internal static class TurboJpegCoder
{
    public const string Library = "libjpeg-turbo";

    public static unsafe string Decode(ReadOnlySpan<byte> data, PixelDataInfo info, Span<byte> destination)
    {
        var handle = TurboJpegNative.InitDecompress();
        if (handle == IntPtr.Zero) throw new JpegFormatException($"{Library}: cannot create a decompressor");
        try
        {
            fixed (byte* src = data)
            {
                if (TurboJpegNative.DecompressHeader3(handle, src, (nuint)data.Length, out var width, out var height, out var subsampling, out var colorspace) != 0)
                    throw new JpegFormatException($"{Library}: {TurboJpegNative.LastError(handle)}");
                if (colorspace is TurboJpegNative.ColorspaceCmyk or TurboJpegNative.ColorspaceYcck)
                    throw new JpegFormatException("four-component (CMYK/YCCK) JPEG is not a DICOM image");
                var components = colorspace == TurboJpegNative.ColorspaceGray ? 1 : 3;
                if (width != info.Columns || height != info.Rows || components != info.SamplesPerPixel)
                    throw new JpegFormatException($"the codestream is {width}x{height} with {components} component(s), the data set {info.Columns}x{info.Rows} with {info.SamplesPerPixel} sample(s) per pixel");
                if (components == 3 && colorspace == TurboJpegNative.ColorspaceYCbCr && !JpegColour.IsYbr(info))
                {
                    DecodeWithoutColourTransform(handle, src, data.Length, width, height, subsampling, destination, info.BytesPerSample);
                    return "RGB";
                }
                var format = components == 1 ? TurboJpegNative.PixelFormatGray : TurboJpegNative.PixelFormatRgb;
                var pitch = width * components;
                var flags = TurboJpegNative.FlagAccurateDct | TurboJpegNative.FlagStopOnWarning;
                if (info.BytesPerSample == 1)
                {
                    fixed (byte* dst = destination)
                        if (TurboJpegNative.Decompress2(handle, src, (nuint)data.Length, dst, width, pitch, height, format, flags) != 0)
                            throw new JpegFormatException($"{Library}: {TurboJpegNative.LastError(handle)}");
                }
                else
                {
                    // 8-bit JPEG in a 16-bit container (Bits Allocated 16, Bits Stored ≤ 8): widen each sample.
                    var narrow = new byte[pitch * height];
                    fixed (byte* dst = narrow)
                        if (TurboJpegNative.Decompress2(handle, src, (nuint)data.Length, dst, width, pitch, height, format, flags) != 0)
                            throw new JpegFormatException($"{Library}: {TurboJpegNative.LastError(handle)}");
                    for (var i = 0; i < narrow.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], narrow[i]);
                }
                return components == 1 ? info.PhotometricInterpretation : "RGB";
            }
        }
        finally
        {
            _ = TurboJpegNative.Destroy(handle);
        }
    }

    /// <summary>
    /// A stream the JPEG markers call YCbCr but the data set labels RGB: the samples are taken as they are, as
    /// DCMTK does (the data set's Photometric Interpretation decides, PS3.5 §8.2.1). Chroma planes that are
    /// subsampled are upsampled by replication.
    /// </summary>
    private static unsafe void DecodeWithoutColourTransform(IntPtr handle, byte* src, int length, int width, int height, int subsampling, Span<byte> destination, int bytesPerSample)
    {
        var planes = new byte[3][];
        var widths = stackalloc int[3];
        var heights = stackalloc int[3];
        for (var c = 0; c < 3; c++)
        {
            widths[c] = TurboJpegNative.PlaneWidth(c, width, subsampling);
            heights[c] = TurboJpegNative.PlaneHeight(c, height, subsampling);
            if (widths[c] <= 0 || heights[c] <= 0) throw new JpegFormatException($"{Library}: unsupported chroma subsampling {subsampling}");
            planes[c] = new byte[widths[c] * heights[c]];
        }
        fixed (byte* p0 = planes[0], p1 = planes[1], p2 = planes[2])
        {
            var pointers = stackalloc byte*[3] { p0, p1, p2 };
            if (TurboJpegNative.DecompressToYuvPlanes(handle, src, (nuint)length, pointers, width, widths, height, TurboJpegNative.FlagAccurateDct | TurboJpegNative.FlagStopOnWarning) != 0)
                throw new JpegFormatException($"{Library}: {TurboJpegNative.LastError(handle)}");
        }
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < 3; c++)
                {
                    var v = planes[c][(y * heights[c] / height * widths[c]) + (x * widths[c] / width)];
                    var o = (((y * width) + x) * 3) + c;
                    if (bytesPerSample == 1) destination[o] = v;
                    else BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * o)..], v);
                }
    }

    /// <summary>
    /// Encodes an 8-bit frame: grey as is, RGB as YCbCr with 4:2:2 chroma subsampling (labelled YBR_FULL_422,
    /// PS3.5 §8.2.1).
    /// </summary>
    public static unsafe EncodedFrame Encode(ReadOnlySpan<byte> frame, PixelDataInfo info, int quality)
    {
        var (format, subsampling, photometric) = info.SamplesPerPixel switch
        {
            1 => (TurboJpegNative.PixelFormatGray, TurboJpegNative.SubsamplingGray, info.PhotometricInterpretation),
            3 when info.PhotometricInterpretation == "RGB" => (TurboJpegNative.PixelFormatRgb, TurboJpegNative.Subsampling422, "YBR_FULL_422"),
            _ => throw new JpegFormatException($"8-bit JPEG encodes MONOCHROME or RGB frames, not {info.SamplesPerPixel} samples of {info.PhotometricInterpretation}"),
        };
        var pitch = info.Columns * info.SamplesPerPixel;
        if (frame.Length < (long)pitch * info.Rows) throw new JpegFormatException($"frame has {frame.Length} bytes, {(long)pitch * info.Rows} expected");
        var handle = TurboJpegNative.InitCompress();
        if (handle == IntPtr.Zero) throw new JpegFormatException($"{Library}: cannot create a compressor");
        var output = IntPtr.Zero;
        nuint size = 0;
        try
        {
            fixed (byte* src = frame)
                if (TurboJpegNative.Compress2(handle, src, info.Columns, pitch, info.Rows, format, ref output, ref size, subsampling, quality, TurboJpegNative.FlagAccurateDct) != 0)
                    throw new JpegFormatException($"{Library}: {TurboJpegNative.LastError(handle)}");
            var bytes = new byte[checked((int)size)];
            Marshal.Copy(output, bytes, 0, bytes.Length);
            return new EncodedFrame(bytes, photometric);
        }
        finally
        {
            if (output != IntPtr.Zero) TurboJpegNative.Free(output);
            _ = TurboJpegNative.Destroy(handle);
        }
    }
}
