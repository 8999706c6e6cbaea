namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// Display-ready pixels: grey (1 channel, 8 or 16 bits, 16-bit samples in machine order) or RGB (3 channels, 8 bits),
/// rows top to bottom without padding.
/// </summary>
public sealed class RenderedImage
{
    public RenderedImage(int width, int height, int channels, int bitsPerSample, byte[] pixels)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (width <= 0 || height <= 0) throw new ArgumentOutOfRangeException(nameof(width), "image must have pixels");
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), "1 (grey) or 3 (RGB)");
        if (bitsPerSample is not (8 or 16) || bitsPerSample == 16 && channels != 1)
            throw new ArgumentOutOfRangeException(nameof(bitsPerSample), "8, or 16 for grey");
        if (pixels.LongLength != (long)width * height * channels * (bitsPerSample / 8))
            throw new ArgumentException("pixel buffer does not match the size", nameof(pixels));
        Width = width;
        Height = height;
        Channels = channels;
        BitsPerSample = bitsPerSample;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public int Channels { get; }
    public int BitsPerSample { get; }
    public int BytesPerPixel => Channels * BitsPerSample / 8;
    public int Stride => Width * BytesPerPixel;
#pragma warning disable CA1819 // the pixel buffer is the point of this type; callers write and read it in place
    public byte[] Pixels { get; }
#pragma warning restore CA1819
}
