using System.Runtime.InteropServices;
using RadBridge.Dicom.Imaging.Codecs.Native;

namespace RadBridge.Dicom.Imaging.Codecs.Jpeg2000;

/// <summary>
/// JPEG 2000 Lossless (1.2.840.10008.1.2.4.90) and JPEG 2000 (.91) through OpenJPEG 2.5 (Debian libopenjp2-7).
/// Encoding uses the reversible 5/3 wavelet for .90 and the irreversible 9/7 one for .91, with the
/// multi-component transform for RGB, so the result is labelled YBR_RCT or YBR_ICT (PS3.5 §8.2.4); decoding
/// undoes the transform and returns RGB for such data. OpenJPEG 2.5 also decodes HTJ2K codestreams, which
/// <see cref="Decode"/> accepts whatever the transfer syntax it is called for.
/// </summary>
public sealed class Jpeg2000Codec : IPixelCodec
{
    public const string LosslessUid = "1.2.840.10008.1.2.4.90";
    public const string LossyUid = "1.2.840.10008.1.2.4.91";

    public string Name => "JPEG 2000 (OpenJPEG)";

    public IReadOnlyCollection<string> TransferSyntaxUids { get; } = [LosslessUid, LossyUid];

    public bool CanEncode(string transferSyntaxUid) => TransferSyntaxUids.Contains(transferSyntaxUid);

    public string Decode(string transferSyntaxUid, ReadOnlySpan<byte> encoded, PixelDataInfo info, int frame, Span<byte> destination) =>
        DecodeCodestream(Name, encoded, info, frame, destination);

    /// <summary>Decodes a JPEG 2000 or HTJ2K codestream (or a JP2 file) with OpenJPEG; shared with the HTJ2K codec.</summary>
    internal static unsafe string DecodeCodestream(string codec, ReadOnlySpan<byte> encoded, PixelDataInfo info, int frame, Span<byte> destination)
    {
        NativeFrame.Validate(codec, frame, info, 16);
        NativeFrame.RequireLength(destination.Length, info, nameof(destination));
        J2kHeader header;
        try
        {
            header = J2kHeader.Read(encoded);
        }
        catch (FormatException ex)
        {
            throw new PixelCodecException(codec, frame, ex.Message);
        }
        header.Validate(codec, frame, info);
        NativeCodecLibrary.Require(NativeCodecLibrary.OpenJpeg, codec);

        var parameters = new byte[OpenJpegNative.DecoderParametersSize];
        var handle = OpenJpegNative.CreateDecompress(header.IsJp2 ? OpenJpegNative.CodecJp2 : OpenJpegNative.CodecJ2k);
        if (handle == IntPtr.Zero) throw new PixelCodecException(codec, frame, "OpenJPEG could not create a decoder");
        OpenJpegNative.Image* image = null;
        var stream = IntPtr.Zero;
        fixed (byte* source = encoded)
        using (var callbacks = OpenJpegCallbacks.ForReading(source, encoded.Length))
        {
            try
            {
                if (!callbacks.AttachMessages(handle)) throw new PixelCodecException(codec, frame, "OpenJPEG refused the message handlers");
                fixed (byte* p = parameters)
                {
                    OpenJpegNative.SetDefaultDecoderParameters(p);
                    if (OpenJpegNative.SetupDecoder(handle, p) == 0) throw new PixelCodecException(codec, frame, callbacks.Describe("decoder setup failed"));
                }
                // Strict: a truncated codestream is an error, not a partially decoded image.
                if (OpenJpegNative.DecoderSetStrictMode(handle, 1) == 0) throw new PixelCodecException(codec, frame, callbacks.Describe("strict mode refused"));
                stream = callbacks.CreateStream();
                if (stream == IntPtr.Zero) throw new PixelCodecException(codec, frame, "OpenJPEG could not create a stream");
                if (OpenJpegNative.ReadHeader(stream, handle, out image) == 0 || image is null)
                    throw new PixelCodecException(codec, frame, callbacks.Describe("cannot read the codestream header"));
                if (OpenJpegNative.Decode(handle, stream, image) == 0 || OpenJpegNative.EndDecompress(handle, stream) == 0)
                    throw new PixelCodecException(codec, frame, callbacks.Describe("cannot decode the codestream"));
                CopyComponents(codec, frame, image, info, destination);
            }
            finally
            {
                if (image is not null) OpenJpegNative.ImageDestroy(image);
                if (stream != IntPtr.Zero) OpenJpegNative.StreamDestroy(stream);
                OpenJpegNative.DestroyCodec(handle);
            }
        }
        NativeFrame.NormalizeToBitsStored(destination, info);
        // OpenJPEG has undone the multi-component transform: the samples are RGB (PS3.5 §8.2.4).
        return info.PhotometricInterpretation is "YBR_RCT" or "YBR_ICT" ? "RGB" : info.PhotometricInterpretation;
    }

    private static unsafe void CopyComponents(string codec, int frame, OpenJpegNative.Image* image, PixelDataInfo info, Span<byte> destination)
    {
        if (image->NumComps != info.SamplesPerPixel)
            throw new PixelCodecException(codec, frame, $"decoded image has {image->NumComps} components, expected {info.SamplesPerPixel}");
        var pixels = info.Rows * info.Columns;
        var samples = info.SamplesPerPixel;
        for (var c = 0; c < samples; c++)
        {
            var comp = image->Comps[c];
            if (comp.W != info.Columns || comp.H != info.Rows || comp.Data is null || comp.Prec is < 1 or > 16)
                throw new PixelCodecException(codec, frame, $"decoded component {c} is {comp.W}x{comp.H} with {comp.Prec} bits");
            // Lossy decoding can overshoot the component's range: clamp as the reference decoder does.
            var min = comp.Sgnd != 0 ? -(1 << ((int)comp.Prec - 1)) : 0;
            var max = comp.Sgnd != 0 ? (1 << ((int)comp.Prec - 1)) - 1 : (1 << (int)comp.Prec) - 1;
            var data = new ReadOnlySpan<int>(comp.Data, pixels);
            for (var p = 0; p < pixels; p++)
                NativeFrame.WriteSample(destination, p * samples + c, Math.Clamp(data[p], min, max), info.BitsAllocated);
        }
    }

    public unsafe EncodedFrame Encode(string transferSyntaxUid, ReadOnlySpan<byte> frame, PixelDataInfo info, PixelEncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!CanEncode(transferSyntaxUid)) throw new ArgumentException($"{Name} does not encode {transferSyntaxUid}", nameof(transferSyntaxUid));
        NativeFrame.Validate(Name, 0, info, 16);
        NativeFrame.RequireLength(frame.Length, info, nameof(frame));
        if (info.PhotometricInterpretation.StartsWith("YBR_", StringComparison.Ordinal))
            throw new PixelCodecException(Name, 0, $"{info.PhotometricInterpretation} data cannot be JPEG 2000 encoded; convert to RGB first");
        if (options.CompressionRatio < 0) throw new ArgumentOutOfRangeException(nameof(options), "CompressionRatio must not be negative");
        NativeCodecLibrary.Require(NativeCodecLibrary.OpenJpeg, Name);

        var lossy = transferSyntaxUid == LossyUid;
        var colour = info.SamplesPerPixel == 3 && info.PhotometricInterpretation == "RGB";
        var componentParameters = stackalloc OpenJpegNative.ImageComponentParameters[info.SamplesPerPixel];
        for (var c = 0; c < info.SamplesPerPixel; c++)
        {
            componentParameters[c] = new OpenJpegNative.ImageComponentParameters
            {
                Dx = 1, Dy = 1, W = (uint)info.Columns, H = (uint)info.Rows, Prec = (uint)info.BitsStored, Bpp = (uint)info.BitsStored,
                Sgnd = info.IsSigned ? 1u : 0u,
            };
        }
        var image = OpenJpegNative.ImageCreate((uint)info.SamplesPerPixel, componentParameters,
            info.SamplesPerPixel == 3 ? OpenJpegNative.ColorSpaceSrgb : OpenJpegNative.ColorSpaceGray);
        if (image is null) throw new PixelCodecException(Name, 0, "OpenJPEG could not allocate the image");
        var handle = IntPtr.Zero;
        var stream = IntPtr.Zero;
        using var callbacks = OpenJpegCallbacks.ForWriting();
        try
        {
            image->X0 = 0;
            image->Y0 = 0;
            image->X1 = (uint)info.Columns;
            image->Y1 = (uint)info.Rows;
            var pixels = info.Rows * info.Columns;
            for (var c = 0; c < info.SamplesPerPixel; c++)
            {
                var data = new Span<int>(image->Comps[c].Data, pixels);
                for (var p = 0; p < pixels; p++)
                    data[p] = NativeFrame.Fit(NativeFrame.ReadSample(frame, p * info.SamplesPerPixel + c, info, false), info.BitsStored, info.IsSigned);
            }

            var parameters = new byte[OpenJpegEncoderParameters.Size];
            fixed (byte* p = parameters)
            {
                OpenJpegNative.SetDefaultEncoderParameters(p);
                WriteInt(p, OpenJpegEncoderParameters.TcpNumLayers, 1);
                WriteInt(p, OpenJpegEncoderParameters.CpDistoAlloc, 1);
                *(float*)(p + OpenJpegEncoderParameters.TcpRates) = lossy ? (float)options.CompressionRatio : 0f;
                WriteInt(p, OpenJpegEncoderParameters.Irreversible, lossy ? 1 : 0);
                WriteInt(p, OpenJpegEncoderParameters.NumResolution, Resolutions(info.Columns, info.Rows));
                p[OpenJpegEncoderParameters.TcpMct] = (byte)(colour ? 1 : 0);

                handle = OpenJpegNative.CreateCompress(OpenJpegNative.CodecJ2k);
                if (handle == IntPtr.Zero) throw new PixelCodecException(Name, 0, "OpenJPEG could not create an encoder");
                if (!callbacks.AttachMessages(handle)) throw new PixelCodecException(Name, 0, "OpenJPEG refused the message handlers");
                if (OpenJpegNative.SetupEncoder(handle, p, image) == 0) throw new PixelCodecException(Name, 0, callbacks.Describe("encoder setup failed"));
            }
            stream = callbacks.CreateStream();
            if (stream == IntPtr.Zero) throw new PixelCodecException(Name, 0, "OpenJPEG could not create a stream");
            if (OpenJpegNative.StartCompress(handle, image, stream) == 0 || OpenJpegNative.Encode(handle, stream) == 0 ||
                OpenJpegNative.EndCompress(handle, stream) == 0)
                throw new PixelCodecException(Name, 0, callbacks.Describe("encoding failed"));
        }
        finally
        {
            if (stream != IntPtr.Zero) OpenJpegNative.StreamDestroy(stream);
            if (handle != IntPtr.Zero) OpenJpegNative.DestroyCodec(handle);
            OpenJpegNative.ImageDestroy(image);
        }
        var photometric = colour ? (lossy ? "YBR_ICT" : "YBR_RCT") : info.PhotometricInterpretation;
        return new EncodedFrame(callbacks.Written, photometric);
    }

    /// <summary>OpenJPEG's default of 6 resolutions (5 decompositions), fewer for images smaller than 32 pixels a side.</summary>
    internal static int Resolutions(int width, int height)
    {
        var levels = 0;
        for (var side = Math.Min(width, height); side > 1 && levels < 5; side >>= 1) levels++;
        return levels + 1;
    }

    private static unsafe void WriteInt(byte* block, int offset, int value) => *(int*)(block + offset) = value;

    /// <summary>The OpenJPEG version string, for the conformance listing and benchmarks.</summary>
    public static string LibraryVersion()
    {
        NativeCodecLibrary.Require(NativeCodecLibrary.OpenJpeg, "JPEG 2000 (OpenJPEG)");
        return Marshal.PtrToStringUTF8(OpenJpegNative.Version()) ?? "";
    }
}
