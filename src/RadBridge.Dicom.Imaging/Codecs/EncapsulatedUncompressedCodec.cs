using RadBridge.Dicom.Imaging.Frames;

namespace RadBridge.Dicom.Imaging.Codecs;

/// <summary>
/// Encapsulated Uncompressed Explicit VR Little Endian (1.2.840.10008.1.2.1.98, PS3.5 §A.4.11): native frames, one
/// per fragment, so frames can be located without computing their size.
/// </summary>
public sealed class EncapsulatedUncompressedCodec : IPixelCodec
{
    public const string TransferSyntaxUid = "1.2.840.10008.1.2.1.98";

    public string Name => "Encapsulated Uncompressed";

    public IReadOnlyCollection<string> TransferSyntaxUids { get; } = [TransferSyntaxUid];

    public bool CanEncode(string transferSyntaxUid) => transferSyntaxUid == TransferSyntaxUid;

    /// <inheritdoc/>
    public string Decode(string transferSyntaxUid, ReadOnlySpan<byte> encoded, PixelDataInfo info, int frame, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (encoded.Length < info.FrameLength)
            throw new PixelCodecException(Name, frame, $"the fragment has {encoded.Length} bytes; the frame needs {info.FrameLength}");
        return NativeFrameLayout.ToDecoded(encoded, 0, info, destination);
    }

    /// <inheritdoc/>
    public EncodedFrame Encode(string transferSyntaxUid, ReadOnlySpan<byte> frame, PixelDataInfo info, PixelEncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(info);
        return new EncodedFrame(NativeFrameLayout.FromDecoded(frame, info), info.PhotometricInterpretation);
    }
}
