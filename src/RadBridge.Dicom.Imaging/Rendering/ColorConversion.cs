namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>YCbCr to RGB as PS3.3 C.7.6.3.1.2 defines the photometric interpretations.</summary>
public static class ColorConversion
{
    /// <summary>YBR_FULL (and YBR_ICT, which uses the same matrix): full-range ITU-R BT.601.</summary>
    public static (byte R, byte G, byte B) FromYbrFull(int y, int cb, int cr)
    {
        double b = cb - 128, r = cr - 128;
        return (Clamp(y + 1.402 * r), Clamp(y - 0.344136 * b - 0.714136 * r), Clamp(y + 1.772 * b));
    }

    /// <summary>YBR_PARTIAL_422/420: luminance 16–235, chrominance 16–240.</summary>
    public static (byte R, byte G, byte B) FromYbrPartial(int y, int cb, int cr)
    {
        double yy = 1.1644 * (y - 16), b = cb - 128, r = cr - 128;
        return (Clamp(yy + 1.5960 * r), Clamp(yy - 0.3918 * b - 0.8130 * r), Clamp(yy + 2.0172 * b));
    }

    private static byte Clamp(double v) => v <= 0 ? (byte)0 : v >= 255 ? (byte)255 : (byte)(v + 0.5);
}
