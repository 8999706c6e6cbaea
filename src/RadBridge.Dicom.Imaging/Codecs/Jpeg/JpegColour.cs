namespace RadBridge.Dicom.Imaging.Codecs.Jpeg;

/// <summary>
/// Whether a three-component DCT stream is converted from YCbCr to RGB on decoding. The data set's Photometric
/// Interpretation decides (PS3.5 §8.2.1: YBR_FULL_422 / YBR_FULL for colour-transformed JPEG, RGB for streams
/// without the transform), not the JFIF/Adobe markers: DCMTK and GDCM decide the same way, and streams labelled RGB
/// without any marker that says so are common.
/// </summary>
internal static class JpegColour
{
    public static bool IsYbr(PixelDataInfo info) => info.PhotometricInterpretation.StartsWith("YBR", StringComparison.Ordinal);
}
