namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// The grey rendering chain of PS3.4 N.2 / PS3.3 C.11 for one image: Modality LUT, VOI LUT, then the polarity
/// (MONOCHROME1, Presentation LUT Shape) to a display value in [0, 1].
/// </summary>
public sealed class GreyscalePipeline
{
    public GreyscalePipeline(ModalityLut modality, VoiTransform voi, bool invert)
    {
        Modality = modality ?? throw new ArgumentNullException(nameof(modality));
        Voi = voi ?? throw new ArgumentNullException(nameof(voi));
        Invert = invert;
    }

    public ModalityLut Modality { get; }
    public VoiTransform Voi { get; }
    /// <summary>
    /// Minimum is white: MONOCHROME1, or Presentation LUT Shape INVERSE. A MONOCHROME1 image's INVERSE shape restates
    /// its polarity and does not invert a second time.
    /// </summary>
    public bool Invert { get; }

    /// <summary>Display value in [0, 1] (0 black) of one stored value.</summary>
    public double Map(double stored)
    {
        var v = Voi.Apply(Modality.Apply(stored));
        return Invert ? 1 - v : v;
    }

    /// <summary>Whether the image shows minimum as white (see <see cref="Invert"/>).</summary>
    public static bool IsInverted(DicomDataset dataset, string photometric)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        return photometric == "MONOCHROME1" ||
               string.Equals(dataset.GetString(DicomTags.PresentationLUTShape), "INVERSE", StringComparison.OrdinalIgnoreCase);
    }
}
