namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// The JPEG transfer syntaxes of PS3.5 §8.2.1/§A.4.1: Baseline (.50), Extended 12-bit (.51), Lossless process 14
/// (.57) and Lossless SV1 (.70). Each frame goes to the coder its frame header calls for: 8-bit DCT to
/// libjpeg-turbo, 12-bit DCT and all lossless streams to the managed coders (Debian 12's libjpeg-turbo 2.1 has
/// neither; docs/ARCHITECTURE.md gives the measurements behind the split).
/// </summary>
public sealed class JpegCodec : IPixelCodec
{
    public const string Baseline = "1.2.840.10008.1.2.4.50";
    public const string Extended = "1.2.840.10008.1.2.4.51";
    public const string Lossless = "1.2.840.10008.1.2.4.57";
    public const string LosslessSV1 = "1.2.840.10008.1.2.4.70";

    /// <inheritdoc/>
    public string Name => "JPEG";

    /// <inheritdoc/>
    public IReadOnlyCollection<string> TransferSyntaxUids { get; } = [Baseline, Extended, Lossless, LosslessSV1];

    /// <inheritdoc/>
    public bool CanEncode(string transferSyntaxUid) => TransferSyntaxUids.Contains(transferSyntaxUid);

    /// <inheritdoc/>
    public string Decode(string transferSyntaxUid, ReadOnlySpan<byte> encoded, PixelDataInfo info, int frame, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(info);
        CheckSupported(transferSyntaxUid);
        var needed = (long)info.Rows * info.Columns * info.SamplesPerPixel * info.BytesPerSample;
        if (destination.Length < needed)
            throw new ArgumentException($"destination holds {destination.Length} bytes, the frame needs {needed}", nameof(destination));
        if (info.BitsAllocated is not (8 or 16))
            throw new PixelCodecException(Name, frame, $"Bits Allocated {info.BitsAllocated} (JPEG frames are 8 or 16)");
        try
        {
            // The frame header, not the transfer syntax, decides the coder: files labelled .50 that hold 12-bit
            // or lossless streams exist, and decoding what is there beats refusing it.
            var header = new JpegStream();
            _ = header.NextScan(encoded);
            var sof = header.Frame ?? throw new JpegFormatException("no frame header (SOF) before the first scan");
            if (sof.Marker == JpegMarker.Sof3LosslessHuffman)
            {
                JpegLosslessDecoder.Decode(encoded, info, destination);
                return info.PhotometricInterpretation == "YBR_FULL_422" ? "YBR_FULL" : info.PhotometricInterpretation;
            }
            if (sof.Precision == 8 && sof.Marker is JpegMarker.Sof0Baseline or JpegMarker.Sof1ExtendedHuffman or JpegMarker.Sof2ProgressiveHuffman)
            {
                NativeCodecLibrary.Require(NativeCodecLibrary.TurboJpeg, Name);
                return TurboJpegCoder.Decode(encoded, info, destination);
            }
            return JpegDctDecoder.Decode(encoded, info, destination);
        }
        catch (JpegFormatException ex)
        {
            throw new PixelCodecException(Name, frame, ex.Message);
        }
    }

    /// <inheritdoc/>
    public EncodedFrame Encode(string transferSyntaxUid, ReadOnlySpan<byte> frame, PixelDataInfo info, PixelEncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(options);
        CheckSupported(transferSyntaxUid);
        try
        {
            switch (transferSyntaxUid)
            {
                case Lossless or LosslessSV1:
                    var data = JpegLosslessEncoder.Encode(frame, info, transferSyntaxUid == LosslessSV1 ? 1 : 0);
                    // Lossless JPEG keeps every pixel's own samples and applies no colour transform.
                    return new EncodedFrame(data, info.PhotometricInterpretation == "YBR_FULL_422" ? "YBR_FULL" : info.PhotometricInterpretation);
                case Extended when info.BitsAllocated == 16:
                    return new EncodedFrame(JpegDctEncoder.Encode(frame, info, options.Quality), info.PhotometricInterpretation);
                default:
                    if (info.BitsAllocated != 8 || info.BitsStored > 8)
                        throw new JpegFormatException($"JPEG Baseline holds 8-bit samples, not Bits Allocated/Stored {info.BitsAllocated}/{info.BitsStored}");
                    if (options.Quality is < 1 or > 100) throw new JpegFormatException($"quality {options.Quality} (1–100)");
                    NativeCodecLibrary.Require(NativeCodecLibrary.TurboJpeg, Name);
                    return TurboJpegCoder.Encode(frame, info, options.Quality);
            }
        }
        catch (JpegFormatException ex)
        {
            throw new PixelCodecException($"{Name}: cannot encode for {DicomTransferSyntax.Lookup(transferSyntaxUid)}: {ex.Message}");
        }
    }

    private void CheckSupported(string transferSyntaxUid)
    {
        if (!TransferSyntaxUids.Contains(transferSyntaxUid))
            throw new UnsupportedTransferSyntaxException($"{Name} does not handle transfer syntax {transferSyntaxUid}");
    }
}
