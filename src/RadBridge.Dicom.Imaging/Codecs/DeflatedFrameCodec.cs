using System.IO.Compression;
using RadBridge.Dicom.Imaging.Frames;

namespace RadBridge.Dicom.Imaging.Codecs;

/// <summary>
/// Deflated Image Frame Compression (1.2.840.10008.1.2.8.1, PS3.5 §8.2.16 and §10.20): each frame is its native
/// bytes (PS3.5 §8.1, Bits Allocated 1 packed from the frame's first byte) compressed with raw deflate (RFC 1951).
/// </summary>
public sealed class DeflatedFrameCodec : IPixelCodec
{
    public const string TransferSyntaxUid = "1.2.840.10008.1.2.8.1";

    public string Name => "Deflated Image Frame";

    public IReadOnlyCollection<string> TransferSyntaxUids { get; } = [TransferSyntaxUid];

    public bool CanEncode(string transferSyntaxUid) => transferSyntaxUid == TransferSyntaxUid;

    /// <inheritdoc/>
    public string Decode(string transferSyntaxUid, ReadOnlySpan<byte> encoded, PixelDataInfo info, int frame, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(info);
        var native = new byte[checked((int)info.FrameLength)];
        int got;
        try
        {
            using var inflate = new DeflateStream(new MemoryStream(encoded.ToArray()), CompressionMode.Decompress);
            got = inflate.ReadAtLeast(native, native.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException ex)
        {
            throw new PixelCodecException(Name, frame, "the deflate stream is corrupt: " + ex.Message);
        }
        if (got < native.Length) throw new PixelCodecException(Name, frame, $"the stream inflates to {got} bytes; the frame needs {native.Length}");
        return NativeFrameLayout.ToDecoded(native, 0, info, destination);
    }

    /// <inheritdoc/>
    public EncodedFrame Encode(string transferSyntaxUid, ReadOnlySpan<byte> frame, PixelDataInfo info, PixelEncodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(info);
        var native = NativeFrameLayout.FromDecoded(frame, info);
        using var output = new MemoryStream();
        using (var deflate = new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(native);
        return new EncodedFrame(output.ToArray(), info.PhotometricInterpretation);
    }
}
