namespace RadBridge.Dicom.Tests.Dictionary;

public class DicomDictionaryTests
{
    private static readonly DicomDictionary Dict = DicomDictionary.Default;

    [Fact]
    public void Patient_name_is_PN_with_VM_1_and_the_PS36_name()
    {
        var e = Dict.Find(new DicomTag(0x0010, 0x0010));
        Assert.NotNull(e);
        Assert.Equal("PatientName", e.Keyword);
        Assert.Equal("Patient's Name", e.Name);
        Assert.Equal(DicomVR.PN, e.VR);
        Assert.Equal("1", e.VM);
        Assert.False(e.IsRetired);
        Assert.Null(e.PrivateCreator);
        Assert.Equal(0xFFFFFFFFu, e.Mask);
    }

    [Fact]
    public void Pixel_data_is_OW_or_OB_and_read_as_OW_with_implicit_VR()
    {
        var e = Dict.Find(DicomTags.PixelData);
        Assert.NotNull(e);
        Assert.Equal([DicomVR.OW, DicomVR.OB], e.VRs);
        Assert.Equal(DicomVR.OW, Dict.GetImplicitVR(new DicomTag(0x7FE0, 0x0010)));
    }

    [Theory]
    [InlineData(0x6000)]
    [InlineData(0x6002)]
    [InlineData(0x60FE)]
    public void Overlay_data_is_found_in_every_even_60xx_group(int group)
    {
        var e = Dict.Find(new DicomTag((ushort)group, 0x3000));
        Assert.NotNull(e);
        Assert.Equal("OverlayData", e.Keyword);
        Assert.Equal(new DicomTag(0x6000, 0x3000), e.Tag);
        Assert.Equal(0xFF00FFFFu, e.Mask);
        Assert.Equal(DicomVR.OW, e.VR);
        Assert.Contains(DicomVR.OB, e.VRs);
    }

    [Fact]
    public void Odd_60xx_groups_are_private_and_not_overlays() =>
        Assert.Null(Dict.Find(new DicomTag(0x6001, 0x3000)));

    [Theory]
    [InlineData(0x5000)]
    [InlineData(0x501E)]
    public void Curve_number_of_points_is_a_retired_50xx_attribute(int group)
    {
        var e = Dict.Find(new DicomTag((ushort)group, 0x0010));
        Assert.NotNull(e);
        Assert.Equal("NumberOfPoints", e.Keyword);
        Assert.Equal(DicomVR.US, e.VR);
        Assert.True(e.IsRetired);
        Assert.Equal(0xFF00FFFFu, e.Mask);
    }

    [Fact]
    public void Variable_pixel_data_repeats_over_7Fxx()
    {
        var e = Dict.Find(new DicomTag(0x7F02, 0x0010));
        Assert.NotNull(e);
        Assert.Equal("VariablePixelData", e.Keyword);
        Assert.True(e.IsRetired);
    }

    [Fact]
    public void Retired_attributes_are_flagged_and_current_ones_are_not()
    {
        Assert.True(Dict.Find(new DicomTag(0x0008, 0x0040))!.IsRetired); // Data Set Type
        Assert.True(Dict.Find("RecognitionCode")!.IsRetired);
        Assert.False(Dict.Find("StudyInstanceUID")!.IsRetired);
    }

    [Theory]
    [InlineData(0x0020, 0x3100, "SourceImageIDs")]             // (0020,31xx)
    [InlineData(0x0020, 0x31FF, "SourceImageIDs")]
    [InlineData(0x0028, 0x0400, "TransformLabel")]             // the exact tag wins over (0028,04x0)
    [InlineData(0x0028, 0x0410, "RowsForNthOrderCoefficients")] // (0028,04x0)
    [InlineData(0x0028, 0x04F3, "CoefficientCodingPointers")]   // (0028,04x3)
    [InlineData(0x0028, 0x0858, "ImageDataLocation")]           // (0028,08x8)
    [InlineData(0x1000, 0x0010, "EscapeTriplet")]               // (1000,xxx0)
    [InlineData(0x1000, 0xABC5, "ShiftTableTriplet")]           // (1000,xxx5)
    [InlineData(0x1010, 0x1234, "ZonalMap")]                    // (1010,xxxx)
    public void Element_repeating_forms_of_PS36_are_found(int group, int element, string keyword) =>
        Assert.Equal(keyword, Dict.Find(new DicomTag((ushort)group, (ushort)element))?.Keyword);

    [Fact]
    public void Pseudo_VRs_become_the_PS36_lists_with_the_implicit_VR_first()
    {
        Assert.Equal([DicomVR.US, DicomVR.SS], Dict.Find("SmallestImagePixelValue")!.VRs); // dcmtk "xs"
        Assert.Equal([DicomVR.OW, DicomVR.US, DicomVR.SS], Dict.Find("LUTData")!.VRs);      // dcmtk "lt"
        Assert.Equal([DicomVR.UL], Dict.Find("OffsetOfTheNextDirectoryRecord")!.VRs);      // dcmtk "up"
        Assert.Equal([DicomVR.None], Dict.Find(DicomTag.Item)!.VRs);                       // dcmtk "na"
    }

    [Fact]
    public void Keywords_find_tags_and_DicomTags_agrees()
    {
        Assert.Equal(new DicomTag(0x0010, 0x0020), Dict.Find("PatientID")!.Tag);
        Assert.Equal(DicomTags.StudyInstanceUID, DicomTag.Parse("StudyInstanceUID"));
        Assert.Equal(new DicomTag(0x0020, 0x000D), DicomTags.StudyInstanceUID);
        Assert.Equal(new DicomTag(0x6000, 0x3000), Dict.Find("OverlayData")!.Tag);
        Assert.Null(Dict.Find("patientname"));
    }

    [Fact]
    public void Siemens_CSA_header_is_found_by_creator_in_any_block()
    {
        var inBlock10 = Dict.Find(new DicomTag(0x0029, 0x1010), "SIEMENS CSA HEADER");
        Assert.NotNull(inBlock10);
        Assert.Equal("CSAImageHeaderInfo", inBlock10.Keyword);
        Assert.Equal(DicomVR.OB, inBlock10.VR);
        Assert.Equal("SIEMENS CSA HEADER", inBlock10.PrivateCreator);
        Assert.Equal(0xFFFF00FFu, inBlock10.Mask);
        Assert.Same(inBlock10, Dict.Find(new DicomTag(0x0029, 0x1110), "SIEMENS CSA HEADER"));
        Assert.Equal(DicomVR.OB, Dict.GetImplicitVR(new DicomTag(0x0029, 0x1210), "SIEMENS CSA HEADER"));
    }

    [Fact]
    public void Private_creator_is_matched_without_its_padding()
    {
        Assert.Equal("FullFidelity", Dict.Find(new DicomTag(0x0009, 0x1001), "GEMS_IDEN_01 ")?.Keyword);
        Assert.Equal("FullFidelity", Dict.Find(new DicomTag(0x0009, 0x1001), "GEMS_IDEN_01\0")?.Keyword);
        Assert.Null(Dict.Find(new DicomTag(0x0009, 0x1001), "SOMEONE ELSE"));
    }

    [Fact]
    public void Fixed_private_elements_keep_their_block()
    {
        // private.dic defines (0019,"PHILIPS MR/PART",1000) and (…,1100) as different attributes.
        Assert.Equal("FieldOfView", Dict.Find(new DicomTag(0x0019, 0x1000), "PHILIPS MR/PART")?.Keyword);
        Assert.Equal("NumberOfStacks", Dict.Find(new DicomTag(0x0019, 0x1100), "PHILIPS MR/PART")?.Keyword);
    }

    [Fact]
    public void Private_entries_over_a_range_of_odd_groups_are_found()
    {
        var e = Dict.Find(new DicomTag(0x7003, 0x1104), "DLX_ANNOT_01");
        Assert.Equal("TextAnnotation", e?.Keyword);
    }

    [Fact]
    public void Private_tags_without_creator_and_creator_elements_have_no_entry_but_a_VR()
    {
        Assert.Null(Dict.Find(new DicomTag(0x0029, 0x1010)));
        Assert.Null(Dict.Find(new DicomTag(0x0029, 0x0010), "SIEMENS CSA HEADER"));
        Assert.Equal(DicomVR.LO, Dict.GetImplicitVR(new DicomTag(0x0029, 0x0010)));
        Assert.Equal(DicomVR.UN, Dict.GetImplicitVR(new DicomTag(0x0029, 0x1010)));
        Assert.Equal(DicomVR.UL, Dict.GetImplicitVR(new DicomTag(0x0009, 0x0000)));
        Assert.Equal(DicomVR.UL, Dict.GetImplicitVR(new DicomTag(0x0008, 0x0000)));
    }

    [Fact]
    public void Default_dictionary_holds_every_generated_row()
    {
        Assert.True(Dict.Count > 4000, $"only {Dict.Count} entries");
        Assert.Equal(DicomDictionaryData.EntryCount, Dict.Count);
    }

    [Fact]
    public void A_dictionary_of_custom_entries_uses_the_same_matching()
    {
        var dict = new DicomDictionary(
        [
            new(new DicomTag(0x6000, 0x0010), 0xFF00FFFF, [DicomVR.US], "1", "OverlayRows", "Overlay Rows", false, null),
            new(new DicomTag(0x0011, 0x0010), 0xFFFF00FF, [DicomVR.LO], "1", "Thing", "Thing", false, "ACME 1.0"),
        ]);
        Assert.Equal(2, dict.Count);
        Assert.Equal("OverlayRows", dict.Find(new DicomTag(0x6010, 0x0010))?.Keyword);
        Assert.Equal("Thing", dict.Find(new DicomTag(0x0011, 0x1310), "  ACME 1.0 ")?.Keyword);
    }
}
