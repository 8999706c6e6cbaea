using System.Runtime.InteropServices;

namespace RadBridge.Dicom.Imaging.Codecs.HtJ2k;

/// <summary>The C functions of native/openjph-shim/openjph_shim.cpp (libradbridge_openjph.so).</summary>
internal static unsafe partial class OpenJphShimNative
{
    [LibraryImport(NativeCodecLibrary.OpenJphShim, EntryPoint = "rb_ojph_encode")]
    public static partial int Encode(int* samples, uint width, uint height, uint components, uint bitDepth, int isSigned,
        int reversible, int colorTransform, float qstep, int rpcl, uint decompositions, out byte* output, out nuint outputSize,
        byte* message, nuint capacity);

    [LibraryImport(NativeCodecLibrary.OpenJphShim, EntryPoint = "rb_ojph_free")]
    public static partial void Free(byte* buffer);

    [LibraryImport(NativeCodecLibrary.OpenJphShim, EntryPoint = "rb_ojph_version")]
    private static partial IntPtr VersionText();

    public static string Version() => Marshal.PtrToStringUTF8(VersionText()) ?? "";
}
