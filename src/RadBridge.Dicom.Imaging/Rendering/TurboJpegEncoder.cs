using System.Runtime.InteropServices;
using RadBridge.Dicom.Imaging.Codecs;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// JPEG output of rendered images through libjpeg-turbo's TurboJPEG API (package libturbojpeg0), loaded lazily through
/// <see cref="NativeCodecLibrary.TurboJpeg"/>. One compressor handle per thread is kept, since creating one costs
/// more than compressing a thumbnail. 8-bit grey and RGB only (baseline JPEG).
/// </summary>
public static partial class TurboJpegEncoder
{
    private const int PixelFormatRgb = 0;   // TJPF_RGB
    private const int PixelFormatGray = 6;  // TJPF_GRAY
    private const int Subsampling420 = 2;   // TJSAMP_420
    private const int Subsampling444 = 0;   // TJSAMP_444
    private const int SubsamplingGray = 3;  // TJSAMP_GRAY

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
            t_handle = tjInitCompress();
            if (t_handle == IntPtr.Zero) throw new RenderingException("libturbojpeg: tjInitCompress failed");
        }
        var grey = image.Channels == 1;
        var subsampling = grey ? SubsamplingGray : chromaSubsampling ? Subsampling420 : Subsampling444;
        IntPtr buffer = IntPtr.Zero;
        nuint size = 0;
        unsafe
        {
            fixed (byte* src = image.Pixels)
            {
                var rc = tjCompress2(t_handle, src, image.Width, image.Stride, image.Height, grey ? PixelFormatGray : PixelFormatRgb,
                    &buffer, &size, subsampling, quality, 0);
                try
                {
                    if (rc != 0) throw new RenderingException($"libturbojpeg: {Marshal.PtrToStringUTF8(tjGetErrorStr2(t_handle))}");
                    return new ReadOnlySpan<byte>((void*)buffer, checked((int)size)).ToArray();
                }
                finally
                {
                    if (buffer != IntPtr.Zero) tjFree(buffer);
                }
            }
        }
    }

    [LibraryImport(NativeCodecLibrary.TurboJpeg)]
    private static partial IntPtr tjInitCompress();

    [LibraryImport(NativeCodecLibrary.TurboJpeg)]
    private static unsafe partial int tjCompress2(IntPtr handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat,
        IntPtr* jpegBuf, nuint* jpegSize, int jpegSubsamp, int jpegQual, int flags);

    [LibraryImport(NativeCodecLibrary.TurboJpeg)]
    private static partial void tjFree(IntPtr buffer);

    [LibraryImport(NativeCodecLibrary.TurboJpeg)]
    private static partial IntPtr tjGetErrorStr2(IntPtr handle);
}
