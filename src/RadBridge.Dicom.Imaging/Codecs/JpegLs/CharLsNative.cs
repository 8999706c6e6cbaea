using System.Runtime.InteropServices;

namespace RadBridge.Dicom.Imaging.Codecs.JpegLs;

/// <summary>
/// The part of CharLS 2.x's C API (charls/charls_jpegls_decoder.h, charls_jpegls_encoder.h) that the JPEG-LS codec
/// uses. Every function returns a charls_jpegls_errc (0 is success) and never throws across the boundary.
/// </summary>
internal static unsafe partial class CharLsNative
{
    /// <summary>charls_frame_info: width, height, bits per sample, component count.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct FrameInfo
    {
        public uint Width;
        public uint Height;
        public int BitsPerSample;
        public int ComponentCount;
    }

    /// <summary>charls_interleave_mode.</summary>
    public const int InterleaveNone = 0;
    public const int InterleaveLine = 1;
    public const int InterleaveSample = 2;

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_create")]
    public static partial IntPtr DecoderCreate();

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_destroy")]
    public static partial void DecoderDestroy(IntPtr decoder);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_set_source_buffer")]
    public static partial int DecoderSetSourceBuffer(IntPtr decoder, byte* source, nuint size);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_read_header")]
    public static partial int DecoderReadHeader(IntPtr decoder);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_get_frame_info")]
    public static partial int DecoderGetFrameInfo(IntPtr decoder, out FrameInfo frameInfo);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_get_interleave_mode")]
    public static partial int DecoderGetInterleaveMode(IntPtr decoder, out int interleaveMode);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_get_near_lossless")]
    public static partial int DecoderGetNearLossless(IntPtr decoder, int component, out int nearLossless);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_get_destination_size")]
    public static partial int DecoderGetDestinationSize(IntPtr decoder, uint stride, out nuint size);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_decoder_decode_to_buffer")]
    public static partial int DecoderDecodeToBuffer(IntPtr decoder, byte* destination, nuint size, uint stride);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_encoder_create")]
    public static partial IntPtr EncoderCreate();

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_encoder_destroy")]
    public static partial void EncoderDestroy(IntPtr encoder);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_encoder_set_frame_info")]
    public static partial int EncoderSetFrameInfo(IntPtr encoder, in FrameInfo frameInfo);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_encoder_set_near_lossless")]
    public static partial int EncoderSetNearLossless(IntPtr encoder, int nearLossless);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_encoder_set_interleave_mode")]
    public static partial int EncoderSetInterleaveMode(IntPtr encoder, int interleaveMode);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_encoder_get_estimated_destination_size")]
    public static partial int EncoderGetEstimatedDestinationSize(IntPtr encoder, out nuint size);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_encoder_set_destination_buffer")]
    public static partial int EncoderSetDestinationBuffer(IntPtr encoder, byte* destination, nuint size);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_encoder_encode_from_buffer")]
    public static partial int EncoderEncodeFromBuffer(IntPtr encoder, byte* source, nuint size, uint stride);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_jpegls_encoder_get_bytes_written")]
    public static partial int EncoderGetBytesWritten(IntPtr encoder, out nuint bytesWritten);

    [LibraryImport(NativeCodecLibrary.CharLS, EntryPoint = "charls_get_error_message")]
    private static partial IntPtr GetErrorMessage(int error);

    /// <summary>CharLS's text for an error code.</summary>
    public static string Message(int error) => Marshal.PtrToStringUTF8(GetErrorMessage(error)) ?? $"CharLS error {error}";
}
