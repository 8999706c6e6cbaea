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
    public static bool AcceptsVR(DicomDataset dataset, bool explicitVR, DicomTag tag, string expected, string read)
    {
        if (!tag.IsPrivate) return false;

        // A private group length (gggg,0000): every group length is UL (PS3.5 §7.2); pydicom's dictionary has no
        // entry for private ones and says UN.
        if (tag.IsGroupLength) return read == "UL" && expected == "UN";

        // A private element stored as UN keeps UN (as DCMTK keeps it; pydicom 2.3.1 replaces it when its private
        // dictionary, from GDCM, knows the element).
        if (explicitVR) return read == "UN";

        // Implicit VR: the VR of a private element comes from a private dictionary, and pydicom's (GDCM's) and ours
        // (DCMTK's private.dic) know different vendors. We must read exactly our dictionary's VR, UN where it has none.
        var ours = DicomDictionary.Default.Find(tag, dataset.GetPrivateCreator(tag));
        return read == (ours?.VR.Code() ?? "UN");
    }
}
