namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>VOI LUT Function (0028,1056): how Window Center/Width map modality values (PS3.3 C.11.2.1.3).</summary>
public enum VoiLutFunction
{
    /// <summary>LINEAR, the default (PS3.3 C.11.2.1.2.1).</summary>
    Linear,
    /// <summary>LINEAR_EXACT (C.11.2.1.3.2): the window's edges are exactly Center ± Width/2.</summary>
    LinearExact,
    /// <summary>SIGMOID (C.11.2.1.3.1).</summary>
    Sigmoid,
}
