namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>
/// Where a sidecar's fact cannot apply to our reading of a sample, each with the reason. Kept short: every entry is
/// a documented rule, not a bug being hidden.
/// </summary>
internal static class SampleExceptions
{
    /// <summary>
    /// True when reading VR <paramref name="read"/> for top-level <paramref name="tag"/> where the sidecar (pydicom)
    /// says <paramref name="expected"/> is justified.
    /// </summary>
    public static bool AcceptsVR(DicomDataset dataset, DicomTag tag, string expected, string read)
    {
        if (!tag.IsPrivate) return false;

        // A private group length (gggg,0000): every group length is UL (PS3.5 §7.2); pydicom's dictionary has no
        // entry for private ones and says UN.
        if (tag.IsGroupLength) return read == "UL" && expected == "UN";

        // A private element whose file gives no VR (Implicit VR) or UN: the VR comes from a private dictionary, and
        // pydicom's (from GDCM) and ours (DCMTK's private.dic) know different vendors. Either side may know it: we
        // must then read exactly our dictionary's VR, and UN where our dictionary does not know the element.
        var ours = DicomDictionary.Default.Find(tag, dataset.GetPrivateCreator(tag));
        if (read == "UN") return ours is null;
        return expected == "UN" && ours is not null && ours.VR.Code() == read;
    }
}
