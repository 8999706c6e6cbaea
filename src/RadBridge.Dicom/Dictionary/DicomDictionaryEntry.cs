namespace RadBridge.Dicom;

/// <summary>One attribute of the data dictionary (PS3.6 §6, or a private dictionary).</summary>
/// <param name="Tag">The tag; for repeating forms (50xx, 60xx, 7Fxx groups; (0020,31xx), (1000,xxx0)… elements) and private blocks the base tag, whose masked-out digits are 0 (private: (gggg,00yy)).</param>
/// <param name="Mask">Bits of the tag value that must match: 0xFFFFFFFF for a plain tag (and a fixed private element), 0xFF00FFFF for a 50xx/60xx/7Fxx repeating group, a mask over the element for PS3.6's element forms (0xFFFFFF00 for (0020,31xx), 0xFFFF000F for (1000,xxx0)), 0xFFFF00FF for a private element (element low byte only, block-relative).</param>
/// <param name="VRs">Allowed VRs; the first is the one assumed when reading Implicit VR data. <see cref="DicomVR.None"/> alone for items and delimitation items.</param>
/// <param name="VM">Value multiplicity as the dictionary states it ("1", "1-n", "2-2n", …).</param>
/// <param name="Keyword">The keyword (e.g. PatientName).</param>
/// <param name="Name">The attribute name (e.g. Patient's Name).</param>
/// <param name="IsRetired">True for retired attributes.</param>
/// <param name="PrivateCreator">For private attributes, the private creator string that owns them; null for standard ones.</param>
public sealed record DicomDictionaryEntry(
    DicomTag Tag,
    uint Mask,
    IReadOnlyList<DicomVR> VRs,
    string VM,
    string Keyword,
    string Name,
    bool IsRetired,
    string? PrivateCreator)
{
    /// <summary>The VR assumed for Implicit VR encoding.</summary>
    public DicomVR VR => VRs.Count > 0 ? VRs[0] : DicomVR.UN;
}
