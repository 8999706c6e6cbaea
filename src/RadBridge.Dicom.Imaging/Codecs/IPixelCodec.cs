namespace RadBridge.Dicom.Imaging.Codecs;

/// <summary>
/// Decodes and encodes the frames of one family of encapsulated transfer syntaxes. Codecs are stateless and
/// thread-safe; the <see cref="PixelCodecRegistry"/> picks one by transfer syntax UID.
/// </summary>
public interface IPixelCodec
{
    /// <summary>Short name for messages, e.g. "JPEG-LS (CharLS)".</summary>
    string Name { get; }

    /// <summary>The transfer syntax UIDs this codec handles.</summary>
    IReadOnlyCollection<string> TransferSyntaxUids { get; }

    /// <summary>True when <see cref="Encode"/> is supported for the given transfer syntax.</summary>
    bool CanEncode(string transferSyntaxUid);

    /// <summary>
    /// Decodes one frame's codestream into <paramref name="destination"/>: samples little endian with the width of
    /// Bits Allocated, colour-by-pixel (planar configuration 0) whatever the stream's interleave, exactly
    /// <c>Rows × Columns × SamplesPerPixel × BytesPerSample</c> bytes. Returns the photometric interpretation of
    /// the decoded samples (e.g. RGB for a JPEG stream that was YCbCr, as PS3.5 §8.2.1 and §8.2.4 describe).
    /// </summary>
    /// <exception cref="PixelCodecException">The codestream is corrupt or does not match <paramref name="info"/>.</exception>
    /// <exception cref="CodecUnavailableException">The native library the codec needs is not installed.</exception>
    string Decode(string transferSyntaxUid, ReadOnlySpan<byte> encoded, PixelDataInfo info, int frame, Span<byte> destination);

    /// <summary>
    /// Encodes one native frame (layout as <see cref="Decode"/> produces: colour-by-pixel, little endian).
    /// Returns the codestream (not padded to even length; the caller pads fragments) and the photometric
    /// interpretation the encoded data must be labelled with.
    /// </summary>
    EncodedFrame Encode(string transferSyntaxUid, ReadOnlySpan<byte> frame, PixelDataInfo info, PixelEncodeOptions options);
}

/// <summary>One encoded frame and the photometric interpretation of what it holds.</summary>
public sealed record EncodedFrame(byte[] Data, string PhotometricInterpretation);

/// <summary>Encoder settings; lossless syntaxes ignore the lossy ones.</summary>
public sealed record PixelEncodeOptions
{
    public static PixelEncodeOptions Default { get; } = new();

    /// <summary>1–100 for JPEG baseline/extended; higher is better. Default 90.</summary>
    public int Quality { get; init; } = 90;

    /// <summary>Target compression ratio for lossy JPEG 2000 / HTJ2K (e.g. 10 for 10:1); 0 lets the codec choose.</summary>
    public double CompressionRatio { get; init; }

    /// <summary>JPEG-LS NEAR parameter for near-lossless (.81); 0 is lossless.</summary>
    public int NearLossless { get; init; } = 2;
}
