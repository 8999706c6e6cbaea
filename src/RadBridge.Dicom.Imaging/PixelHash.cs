using System.Security.Cryptography;

namespace RadBridge.Dicom.Imaging;

/// <summary>
/// The SHA-256 of an image's decoded stored pixel values, as the shared samples define it (dicom-samples README,
/// "Pixel hash definition"): all frames in order, each in the decoded layout of <see cref="DicomPixelData"/>
/// (colour-by-pixel, little endian at Bits Allocated width, masked/sign-extended to Bits Stored, 1-bit unpacked,
/// YBR_FULL_422 expanded, no LUTs applied). Two encodings of the same pixels hash alike.
/// </summary>
public static class PixelHash
{
    /// <summary>Lower-case hex SHA-256 over every frame; decodes one frame at a time.</summary>
    public static string Compute(DicomPixelData pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var frame = new byte[checked((int)pixels.DecodedFrameLength)];
        for (var i = 0; i < pixels.FrameCount; i++)
        {
            pixels.DecodeFrame(i, frame);
            hash.AppendData(frame);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>Asynchronous <see cref="Compute(DicomPixelData)"/>.</summary>
    public static async Task<string> ComputeAsync(DicomPixelData pixels, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var frame = new byte[checked((int)pixels.DecodedFrameLength)];
        for (var i = 0; i < pixels.FrameCount; i++)
        {
            await pixels.DecodeFrameAsync(i, frame, cancellationToken).ConfigureAwait(false);
            hash.AppendData(frame);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The pixel hash of a file's pixel data.</summary>
    public static string Compute(DicomFile file, Codecs.PixelCodecRegistry? registry = null) =>
        Compute(DicomPixelData.Create(file, registry));
}
