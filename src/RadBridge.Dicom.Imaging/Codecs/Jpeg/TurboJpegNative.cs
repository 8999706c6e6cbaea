using System.Runtime.InteropServices;

namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// The parts of libjpeg-turbo's TurboJPEG 2.x C API (turbojpeg.h) the codec uses. <c>unsigned long</c> is 64-bit
/// on the LP64 Linux targets RadBridge runs on, hence <see cref="nuint"/>.
/// </summary>
internal static unsafe partial class TurboJpegNative
{
    public const int PixelFormatRgb = 0;   // TJPF_RGB
    public const int PixelFormatGray = 6;  // TJPF_GRAY
    public const int Subsampling422 = 1;   // TJSAMP_422
    public const int SubsamplingGray = 3;  // TJSAMP_GRAY
    public const int ColorspaceYCbCr = 1;  // TJCS_YCbCr
    public const int ColorspaceGray = 2;   // TJCS_GRAY
    public const int ColorspaceCmyk = 3;   // TJCS_CMYK
    public const int ColorspaceYcck = 4;   // TJCS_YCCK
    /// <summary>TJFLAG_ACCURATEDCT: the ISLOW integer DCT, as IJG's reference library (and so DCMTK) uses.</summary>
    public const int FlagAccurateDct = 4096;
    /// <summary>TJFLAG_STOPONWARNING: a warning (e.g. premature end of data) fails the call.</summary>
    public const int FlagStopOnWarning = 8192;

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjInitDecompress")]
    public static partial IntPtr InitDecompress();

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjInitCompress")]
    public static partial IntPtr InitCompress();

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjDestroy")]
    public static partial int Destroy(IntPtr handle);

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjDecompressHeader3")]
    public static partial int DecompressHeader3(IntPtr handle, byte* jpegBuf, nuint jpegSize, out int width, out int height, out int subsampling, out int colorspace);

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjDecompress2")]
    public static partial int Decompress2(IntPtr handle, byte* jpegBuf, nuint jpegSize, byte* dstBuf, int width, int pitch, int height, int pixelFormat, int flags);

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjDecompressToYUVPlanes")]
    public static partial int DecompressToYuvPlanes(IntPtr handle, byte* jpegBuf, nuint jpegSize, byte** dstPlanes, int width, int* strides, int height, int flags);

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjPlaneWidth")]
    public static partial int PlaneWidth(int componentId, int width, int subsampling);

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjPlaneHeight")]
    public static partial int PlaneHeight(int componentId, int height, int subsampling);

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjCompress2")]
    public static partial int Compress2(IntPtr handle, byte* srcBuf, int width, int pitch, int height, int pixelFormat, ref IntPtr jpegBuf, ref nuint jpegSize, int subsampling, int quality, int flags);

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjFree")]
    public static partial void Free(IntPtr buffer);

    [LibraryImport(NativeCodecLibrary.TurboJpeg, EntryPoint = "tjGetErrorStr2")]
    public static partial IntPtr GetErrorStr2(IntPtr handle);

    /// <summary>The handle's last error message (tjGetErrorStr2).</summary>
    public static string LastError(IntPtr handle) => Marshal.PtrToStringUTF8(GetErrorStr2(handle)) ?? "unknown libjpeg-turbo error";
}
