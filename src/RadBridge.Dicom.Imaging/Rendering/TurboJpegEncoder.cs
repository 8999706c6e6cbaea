using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Codecs.Jpeg;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// JPEG output of rendered images through libjpeg-turbo's TurboJPEG API (package libturbojpeg0), with the JPEG codec's
/// declarations (<see cref="TurboJpegNative"/>), loaded lazily through <see cref="NativeCodecLibrary.TurboJpeg"/>. One compressor handle per thread is kept, since creating one costs
/// more than compressing a thumbnail. 8-bit grey and RGB only (baseline JPEG).
/// </summary>
public static class TurboJpegEncoder
{
    private const int Subsampling420 = 2;   // TJSAMP_420
    private const int Subsampling444 = 0;   // TJSAMP_444

    [ThreadStatic] private static IntPtr t_handle;

    /// <summary>True when libturbojpeg can be loaded.</summary>
    public static bool IsAvailable => NativeCodecLibrary.IsAvailable(NativeCodecLibrary.TurboJpeg);

    /// <summary>The JPEG (JFIF) file of <paramref name="image"/>.</summary>
    /// <param name="image">8-bit grey or RGB.</param>
    /// <param name="quality">1–100.</param>
    /// <param name="chromaSubsampling">4:2:0 for colour (smaller); false keeps 4:4:4.</param>
    /// <exception cref="CodecUnavailableException">libturbojpeg is not installed.</exception>
    /// <exception cref="RenderingException">16-bit input, or the library reports an error.</exception>
    public static byte[] Encode(RenderedImage image, int quality = 90, bool chromaSubsampling = true)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.BitsPerSample != 8) throw new RenderingException("JPEG output needs 8-bit samples; render with 8-bit grey");
        if (quality is < 1 or > 100) throw new RenderingException($"JPEG quality {quality}: 1–100");
        NativeCodecLibrary.Require(NativeCodecLibrary.TurboJpeg, "JPEG output (libjpeg-turbo)");
        if (t_handle == IntPtr.Zero)
        {
            t_handle = TurboJpegNative.InitCompress();
            if (t_handle == IntPtr.Zero) throw new RenderingException("libturbojpeg: tjInitCompress failed");
        }
        var grey = image.Channels == 1;
        var subsampling = grey ? TurboJpegNative.SubsamplingGray : chromaSubsampling ? Subsampling420 : Subsampling444;
        IntPtr buffer = IntPtr.Zero;
        nuint size = 0;
        unsafe
        {
            fixed (byte* src = image.Pixels)
            {
                var rc = TurboJpegNative.Compress2(t_handle, src, image.Width, image.Stride, image.Height,
                    grey ? TurboJpegNative.PixelFormatGray : TurboJpegNative.PixelFormatRgb, ref buffer, ref size, subsampling, quality, 0);
                try
                {
                    if (rc != 0) throw new RenderingException($"libturbojpeg: {TurboJpegNative.LastError(t_handle)}");
                    return new ReadOnlySpan<byte>((void*)buffer, checked((int)size)).ToArray();
                }
                finally
                {
                    if (buffer != IntPtr.Zero) TurboJpegNative.Free(buffer);
                }
            }
        }
    }
}
