using RadBridge.Dicom.Imaging.Codecs.Native;

namespace RadBridge.Dicom.Imaging.Codecs.JpegLs;

/// <summary>
/// JPEG-LS Lossless (1.2.840.10008.1.2.4.80) and Near-Lossless (.81) through CharLS 2.x (Debian libcharls2).
/// Decoding accepts every interleave mode and returns colour-by-pixel samples; encoding writes sample-interleaved
/// colour (PS3.5 §8.2.3 keeps the stream's colour space: no HP colour transform is applied).
/// </summary>
public sealed class JpegLsCodec : IPixelCodec
{
    public const string LosslessUid = "1.2.840.10008.1.2.4.80";
    public const string NearLosslessUid = "1.2.840.10008.1.2.4.81";

    public string Name => "JPEG-LS (CharLS)";

    public IReadOnlyCollection<string> TransferSyntaxUids { get; } = [LosslessUid, NearLosslessUid];

    public bool CanEncode(string transferSyntaxUid) => TransferSyntaxUids.Contains(transferSyntaxUid);

    public unsafe string Decode(string transferSyntaxUid, ReadOnlySpan<byte> encoded, PixelDataInfo info, int frame, Span<byte> destination)
    {
        NativeFrame.Validate(Name, frame, info, 16);
        NativeFrame.RequireLength(destination.Length, info, nameof(destination));
        RequireEndOfImage(encoded, frame);
        NativeCodecLibrary.Require(NativeCodecLibrary.CharLS, Name);

        var decoder = CharLsNative.DecoderCreate();
        if (decoder == IntPtr.Zero) throw new PixelCodecException(Name, frame, "CharLS could not create a decoder");
        try
        {
            fixed (byte* source = encoded)
            {
                Check(CharLsNative.DecoderSetSourceBuffer(decoder, source, (nuint)encoded.Length), frame, "reading the codestream");
                Check(CharLsNative.DecoderReadHeader(decoder), frame, "reading the header");
            }
            Check(CharLsNative.DecoderGetFrameInfo(decoder, out var fi), frame, "reading the frame header");
            Check(CharLsNative.DecoderGetInterleaveMode(decoder, out var interleave), frame, "reading the scan header");
            if (fi.Width != info.Columns || fi.Height != info.Rows || fi.ComponentCount != info.SamplesPerPixel)
                throw new PixelCodecException(Name, frame,
                    $"codestream is {fi.Width}x{fi.Height} with {fi.ComponentCount} components; the data set says {info.Columns}x{info.Rows} with {info.SamplesPerPixel}");
            if (fi.BitsPerSample > info.BitsAllocated)
                throw new PixelCodecException(Name, frame, $"codestream has {fi.BitsPerSample}-bit samples; Bits Allocated is {info.BitsAllocated}");

            var streamBytes = fi.BitsPerSample <= 8 ? 1 : 2;
            Check(CharLsNative.DecoderGetDestinationSize(decoder, 0, out var size), frame, "sizing the frame");
            var pixels = info.Rows * info.Columns;
            var expected = (long)pixels * info.SamplesPerPixel * streamBytes;
            if ((long)size != expected)
                throw new PixelCodecException(Name, frame, $"decoded frame would be {size} bytes, expected {expected}");

            // Decode straight into the destination when CharLS's layout already is ours.
            var direct = streamBytes == info.BytesPerSample && (info.SamplesPerPixel == 1 || interleave != CharLsNative.InterleaveNone);
            var buffer = direct ? destination : new byte[expected];
            fixed (byte* target = buffer)
            {
                Check(CharLsNative.DecoderDecodeToBuffer(decoder, target, (nuint)buffer.Length, 0), frame, "decoding");
            }
            if (!direct)
            {
                Span<byte> interleaved = buffer;
                if (info.SamplesPerPixel > 1 && interleave == CharLsNative.InterleaveNone)
                {
                    interleaved = new byte[buffer.Length];
                    NativeFrame.PlanarToInterleaved(buffer, interleaved, pixels, info.SamplesPerPixel, streamBytes);
                }
                if (streamBytes == info.BytesPerSample) interleaved.CopyTo(destination);
                else NativeFrame.Widen(interleaved, destination);
            }
            NativeFrame.NormalizeToBitsStored(destination, info);
            return info.PhotometricInterpretation;
        }
        finally
        {
            CharLsNative.DecoderDestroy(decoder);
        }
    }

    public unsafe EncodedFrame Encode(string transferSyntaxUid, ReadOnlySpan<byte> frame, PixelDataInfo info, PixelEncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!CanEncode(transferSyntaxUid)) throw new ArgumentException($"{Name} does not encode {transferSyntaxUid}", nameof(transferSyntaxUid));
        NativeFrame.Validate(Name, 0, info, 16);
        NativeFrame.RequireLength(frame.Length, info, nameof(frame));
        if (info.BitsStored < 2) throw new PixelCodecException(Name, 0, "JPEG-LS needs at least 2 bits per sample");
        if (info.PhotometricInterpretation.StartsWith("YBR_", StringComparison.Ordinal))
            throw new PixelCodecException(Name, 0, $"{info.PhotometricInterpretation} data cannot be JPEG-LS encoded; convert to RGB first");
        var near = transferSyntaxUid == NearLosslessUid ? options.NearLossless : 0;
        var maxNear = Math.Min(255, ((1 << info.BitsStored) - 1) / 2);
        if (near < 0 || near > maxNear)
            throw new ArgumentOutOfRangeException(nameof(options), $"NEAR {near} is outside 0..{maxNear} for {info.BitsStored}-bit samples");
        NativeCodecLibrary.Require(NativeCodecLibrary.CharLS, Name);

        // JPEG-LS codes unsigned P-bit samples: keep the Bits Stored low bits (two's complement for signed data),
        // which decoding sign-extends back.
        var bytes = info.BitsStored <= 8 ? 1 : 2;
        var source = new byte[(long)info.Rows * info.Columns * info.SamplesPerPixel * bytes];
        var count = source.Length / bytes;
        var mask = (1 << info.BitsStored) - 1;
        for (var i = 0; i < count; i++)
            NativeFrame.WriteSample(source, i, NativeFrame.ReadSample(frame, i, info, false) & mask, bytes * 8);

        var encoder = CharLsNative.EncoderCreate();
        if (encoder == IntPtr.Zero) throw new PixelCodecException(Name, 0, "CharLS could not create an encoder");
        try
        {
            var fi = new CharLsNative.FrameInfo
            {
                Width = (uint)info.Columns, Height = (uint)info.Rows, BitsPerSample = info.BitsStored, ComponentCount = info.SamplesPerPixel,
            };
            Check(CharLsNative.EncoderSetFrameInfo(encoder, fi), 0, "setting the frame");
            Check(CharLsNative.EncoderSetNearLossless(encoder, near), 0, "setting NEAR");
            Check(CharLsNative.EncoderSetInterleaveMode(encoder,
                info.SamplesPerPixel > 1 ? CharLsNative.InterleaveSample : CharLsNative.InterleaveNone), 0, "setting the interleave mode");
            Check(CharLsNative.EncoderGetEstimatedDestinationSize(encoder, out var estimate), 0, "sizing the codestream");
            var output = new byte[(int)estimate];
            nuint written;
            fixed (byte* target = output)
            fixed (byte* input = source)
            {
                Check(CharLsNative.EncoderSetDestinationBuffer(encoder, target, (nuint)output.Length), 0, "setting the output");
                Check(CharLsNative.EncoderEncodeFromBuffer(encoder, input, (nuint)source.Length, 0), 0, "encoding");
                Check(CharLsNative.EncoderGetBytesWritten(encoder, out written), 0, "finishing");
            }
            return new EncodedFrame(output.AsSpan(0, (int)written).ToArray(), info.PhotometricInterpretation);
        }
        finally
        {
            CharLsNative.EncoderDestroy(encoder);
        }
    }

    /// <summary>
    /// A truncated stream is refused here: CharLS 2.4 can spin for tens of seconds reading past the end of a scan
    /// that has no EOI marker, while a damaged stream that still ends with EOI fails fast.
    /// </summary>
    private void RequireEndOfImage(ReadOnlySpan<byte> encoded, int frame)
    {
        var end = encoded.Length;
        while (end > 0 && encoded[end - 1] is 0x00 or 0xFF) end--; // fragment padding, JPEG fill bytes
        if (end < 4 || encoded[0] != 0xFF || encoded[1] != 0xD8)
            throw new PixelCodecException(Name, frame, "codestream does not start with a JPEG SOI marker");
        if (encoded[end - 2] != 0xFF || encoded[end - 1] != 0xD9)
            throw new PixelCodecException(Name, frame, "codestream is truncated: it does not end with an EOI marker");
    }

    private void Check(int error, int frame, string step)
    {
        if (error != 0) throw new PixelCodecException(Name, frame, $"{step}: {CharLsNative.Message(error)}");
    }
}
