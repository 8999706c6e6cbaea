namespace RadBridge.Dicom.Tests.Conformance.Bugs;

/// <summary>
/// Bug: a private element stored as explicit UN took the VR of our private dictionary on reading, so rewriting the
/// file changed its header (UN with a 32-bit length became e.g. FL with a 16-bit one) and pydicom, which does not
/// know those Philips elements, saw different data (found on MR-JPEGLosslessSV1.dcm).
/// </summary>
public class ExplicitUNPrivateElementsRewrittenWithDictionaryVR
{
    [Fact]
    public void A_private_element_stored_as_UN_stays_UN_and_is_rewritten_as_stored()
    {
        var path = TestPaths.Sample("MR-JPEGLosslessSV1.dcm");
        var file = DicomFile.Open(path);
        var chemicalShift = new DicomTag(0x2001, 0x1001);

        Assert.NotNull(DicomDictionary.Default.Find(chemicalShift, file.Dataset.GetPrivateCreator(chemicalShift)));
        Assert.Equal(DicomVR.UN, file.Dataset[chemicalShift]!.VR);

        var written = new MemoryStream();
        file.WriteTo(written);
        Assert.Equal(Part10Layout.DatasetBytes(File.ReadAllBytes(path), false), Part10Layout.DatasetBytes(written.ToArray(), false));
    }

    [Fact]
    public void A_standard_attribute_stored_as_UN_still_takes_its_dictionary_VR()
    {
        // explicit_VR-UN.dcm stores nearly every attribute as UN; Rows must still read as US.
        var file = DicomFile.Open(TestPaths.Sample("explicit_VR-UN.dcm"));

        Assert.Equal(DicomVR.US, file.Dataset[DicomTags.Rows]!.VR);
        Assert.Equal(512, file.Dataset.GetValue<int>(DicomTags.Rows));
    }
}
