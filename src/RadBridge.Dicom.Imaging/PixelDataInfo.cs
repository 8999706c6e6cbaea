namespace RadBridge.Dicom.Imaging;

/// <summary>
/// The Image Pixel module attributes that say how stored pixel values are laid out (PS3.3 C.7.6.3), read once
/// from a data set and handed to frame access and codecs.
/// </summary>
public sealed record PixelDataInfo
{
    public required int Rows { get; init; }
    public required int Columns { get; init; }
    /// <summary>1 for grey and palette, 3 for colour.</summary>
    public required int SamplesPerPixel { get; init; }
    /// <summary>1, 8, 16, 32 (integer) or 32/64 for Float/Double Float Pixel Data.</summary>
    public required int BitsAllocated { get; init; }
    public required int BitsStored { get; init; }
    public required int HighBit { get; init; }
    /// <summary>True for Pixel Representation 1 (two's complement).</summary>
    public required bool IsSigned { get; init; }
    /// <summary>As stored, e.g. MONOCHROME2, RGB, YBR_FULL_422, PALETTE COLOR.</summary>
    public required string PhotometricInterpretation { get; init; }
    /// <summary>0 colour-by-pixel (R1G1B1R2…), 1 colour-by-plane (R…G…B…). Only meaningful for 3 samples.</summary>
    public int PlanarConfiguration { get; init; }
    public int NumberOfFrames { get; init; } = 1;
    /// <summary>Which pixel data element holds the pixels: (7FE0,0010), (7FE0,0008) float or (7FE0,0009) double.</summary>
    public DicomTag PixelDataTag { get; init; } = DicomTags.PixelData;

    /// <summary>True for Float (7FE0,0008) and Double Float (7FE0,0009) Pixel Data: IEEE values, no masking.</summary>
    public bool IsFloat => PixelDataTag != DicomTags.PixelData;

    /// <summary>
    /// Bytes of one decoded frame: <c>Rows × Columns × SamplesPerPixel × BytesPerSample</c>, colour-by-pixel. Bits
    /// Allocated 1 pixels are unpacked to one byte each and YBR_FULL_422 is expanded to three samples per pixel, so
    /// the decoded layout is the same for every transfer syntax (and what the pixel hash is computed over).
    /// </summary>
    public long DecodedFrameLength => (long)Rows * Columns * SamplesPerPixel * BytesPerSample;

    /// <summary>
    /// Reads the Image Pixel module of <paramref name="dataset"/> and checks it is self-consistent.
    /// </summary>
    /// <exception cref="DicomException">An attribute is missing, malformed or contradicts another; the message names it.</exception>
    public static PixelDataInfo FromDataset(DicomDataset dataset) => PixelDataInfoReader.Read(dataset);

    /// <summary>Bytes of one sample as stored natively (1 for Bits Allocated 1 and 8).</summary>
    public int BytesPerSample => BitsAllocated <= 8 ? 1 : BitsAllocated / 8;

    /// <summary>
    /// Bytes of one native (uncompressed) frame. Bits Allocated 1 frames are packed bits; YBR_FULL_422 native
    /// frames hold two luminance and one chroma pair per two pixels.
    /// </summary>
    public long FrameLength
    {
        get
        {
            long pixels = (long)Rows * Columns;
            if (BitsAllocated == 1) return (pixels * SamplesPerPixel + 7) / 8;
            if (PhotometricInterpretation == "YBR_FULL_422") return pixels * 2 * BytesPerSample;
            return pixels * SamplesPerPixel * BytesPerSample;
        }
    }
}
