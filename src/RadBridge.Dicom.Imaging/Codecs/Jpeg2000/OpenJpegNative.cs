using System.Runtime.InteropServices;

namespace RadBridge.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>
/// The part of OpenJPEG 2.5's API (openjpeg-2.5/openjpeg.h) the JPEG 2000 codec uses. The small structs are
/// mirrored field by field; opj_cparameters_t (18 KB, mostly file names and JPWL arrays) is not: see
/// <see cref="OpenJpegEncoderParameters"/>. Layouts are checked against the installed header by a test.
/// </summary>
internal static unsafe partial class OpenJpegNative
{
    public const int CodecJ2k = 0;   // OPJ_CODEC_J2K: raw codestream, what DICOM encapsulates
    public const int CodecJp2 = 2;   // OPJ_CODEC_JP2: file format, found in some non-conformant data sets
    public const int ColorSpaceSrgb = 1;
    public const int ColorSpaceGray = 2;
    public const nuint StreamChunkSize = 0x100000; // OPJ_J2K_STREAM_CHUNK_SIZE

    /// <summary>opj_image_comp_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ImageComponent
    {
        public uint Dx, Dy, W, H, X0, Y0, Prec, Bpp, Sgnd, ResnoDecoded, Factor;
        public int* Data;
        public ushort Alpha;
    }

    /// <summary>opj_image_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Image
    {
        public uint X0, Y0, X1, Y1, NumComps;
        public int ColorSpace;
        public ImageComponent* Comps;
        public byte* IccProfileBuf;
        public uint IccProfileLen;
    }

    /// <summary>opj_image_cmptparm_t.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct ImageComponentParameters
    {
        public uint Dx, Dy, W, H, X0, Y0, Prec, Bpp, Sgnd;
    }

    /// <summary>sizeof(opj_dparameters_t) is 8252 on LP64; the decoder parameters are only defaulted and passed on.</summary>
    public const int DecoderParametersSize = 8252;

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_version")]
    public static partial IntPtr Version();

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_create_decompress")]
    public static partial IntPtr CreateDecompress(int format);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_create_compress")]
    public static partial IntPtr CreateCompress(int format);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_destroy_codec")]
    public static partial void DestroyCodec(IntPtr codec);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_set_info_handler")]
    public static partial int SetInfoHandler(IntPtr codec, delegate* unmanaged<byte*, IntPtr, void> handler, IntPtr userData);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_set_warning_handler")]
    public static partial int SetWarningHandler(IntPtr codec, delegate* unmanaged<byte*, IntPtr, void> handler, IntPtr userData);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_set_error_handler")]
    public static partial int SetErrorHandler(IntPtr codec, delegate* unmanaged<byte*, IntPtr, void> handler, IntPtr userData);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_set_default_decoder_parameters")]
    public static partial void SetDefaultDecoderParameters(byte* parameters);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_setup_decoder")]
    public static partial int SetupDecoder(IntPtr codec, byte* parameters);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_decoder_set_strict_mode")]
    public static partial int DecoderSetStrictMode(IntPtr codec, int strict);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_read_header")]
    public static partial int ReadHeader(IntPtr stream, IntPtr codec, out Image* image);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_decode")]
    public static partial int Decode(IntPtr codec, IntPtr stream, Image* image);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_end_decompress")]
    public static partial int EndDecompress(IntPtr codec, IntPtr stream);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_set_default_encoder_parameters")]
    public static partial void SetDefaultEncoderParameters(byte* parameters);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_setup_encoder")]
    public static partial int SetupEncoder(IntPtr codec, byte* parameters, Image* image);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_start_compress")]
    public static partial int StartCompress(IntPtr codec, Image* image, IntPtr stream);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_encode")]
    public static partial int Encode(IntPtr codec, IntPtr stream);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_end_compress")]
    public static partial int EndCompress(IntPtr codec, IntPtr stream);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_image_create")]
    public static partial Image* ImageCreate(uint numComps, ImageComponentParameters* parameters, int colorSpace);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_image_destroy")]
    public static partial void ImageDestroy(Image* image);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_create")]
    public static partial IntPtr StreamCreate(nuint bufferSize, int isInput);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_destroy")]
    public static partial void StreamDestroy(IntPtr stream);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_read_function")]
    public static partial void StreamSetReadFunction(IntPtr stream, delegate* unmanaged<byte*, nuint, IntPtr, nuint> read);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_write_function")]
    public static partial void StreamSetWriteFunction(IntPtr stream, delegate* unmanaged<byte*, nuint, IntPtr, nuint> write);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_skip_function")]
    public static partial void StreamSetSkipFunction(IntPtr stream, delegate* unmanaged<long, IntPtr, long> skip);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_seek_function")]
    public static partial void StreamSetSeekFunction(IntPtr stream, delegate* unmanaged<long, IntPtr, int> seek);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_user_data")]
    public static partial void StreamSetUserData(IntPtr stream, IntPtr userData, IntPtr freeFunction);

    [LibraryImport(NativeCodecLibrary.OpenJpeg, EntryPoint = "opj_stream_set_user_data_length")]
    public static partial void StreamSetUserDataLength(IntPtr stream, ulong length);
}
