namespace RadBridge.Dicom.Tests.Values;

public class DicomTextRulesTests
{
    [Theory]
    [InlineData(DicomVR.AE)]
    [InlineData(DicomVR.CS)]
    [InlineData(DicomVR.DS)]
    [InlineData(DicomVR.IS)]
    [InlineData(DicomVR.LO)]
    [InlineData(DicomVR.PN)]
    [InlineData(DicomVR.SH)]
    public void Leading_and_trailing_spaces_are_padding(DicomVR vr)
    {
        Assert.Equal("A B", DicomTextRules.TrimValue("  A B  ", vr));
        Assert.True(DicomTextRules.HasInsignificantLeadingSpaces(vr));
    }

    [Theory]
    [InlineData(DicomVR.LT)]
    [InlineData(DicomVR.ST)]
    [InlineData(DicomVR.UT)]
    [InlineData(DicomVR.UC)]
    [InlineData(DicomVR.DA)]
    [InlineData(DicomVR.DT)]
    [InlineData(DicomVR.TM)]
    [InlineData(DicomVR.AS)]
    [InlineData(DicomVR.UR)]
    [InlineData(DicomVR.UI)]
    public void Only_trailing_spaces_are_padding(DicomVR vr)
    {
        Assert.Equal("  A B", DicomTextRules.TrimValue("  A B  ", vr));
        Assert.False(DicomTextRules.HasInsignificantLeadingSpaces(vr));
    }

    [Fact]
    public void Nul_padding_is_removed()
    {
        Assert.Equal("1.2.3", DicomTextRules.TrimValue("1.2.3\0", DicomVR.UI));
        Assert.Equal("ABC", DicomTextRules.TrimValue("ABC\0", DicomVR.CS));
    }

    [Fact]
    public void Every_text_VR_has_a_rule_and_no_other_VR_does()
    {
        foreach (var vr in Enum.GetValues<DicomVR>())
        {
            if (vr.IsText()) Assert.Equal("x", DicomTextRules.TrimValue("x ", vr));
            else Assert.Throws<ArgumentOutOfRangeException>(() => DicomTextRules.TrimValue("x", vr));
        }
    }

    [Fact]
    public void Unchanged_value_is_returned_as_is()
    {
        const string value = "ABC";
        Assert.Same(value, DicomTextRules.TrimValue(value, DicomVR.CS));
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("A", new[] { "A" })]
    [InlineData("A\\B", new[] { "A", "B" })]
    [InlineData("\\", new[] { "", "" })]
    [InlineData("A\\\\C", new[] { "A", "", "C" })]
    [InlineData(" A \\ B ", new[] { " A ", " B " })]
    public void Split_on_backslash(string value, string[] expected) => Assert.Equal(expected, DicomValueSplitter.Split(value));

    [Fact]
    public void Split_with_VR_trims_each_value()
    {
        Assert.Equal(["ORIGINAL", "PRIMARY", "AXIAL"], DicomValueSplitter.Split(" ORIGINAL \\PRIMARY\\AXIAL ", DicomVR.CS));
        Assert.Equal(["0.5", "0.5"], DicomValueSplitter.Split("0.5\\0.5 ", DicomVR.DS));
        Assert.Equal(["1.2.3", "4.5"], DicomValueSplitter.Split("1.2.3\\4.5\0", DicomVR.UI));
        Assert.Equal(["Doe^John", "Roe^Jane"], DicomValueSplitter.Split("Doe^John\\Roe^Jane ", DicomVR.PN));
    }

    [Fact]
    public void Split_keeps_backslash_in_single_valued_text_VRs()
    {
        Assert.Equal(["  C:\\images\\a.dcm"], DicomValueSplitter.Split("  C:\\images\\a.dcm  ", DicomVR.LT));
        Assert.Equal(["a\\b"], DicomValueSplitter.Split("a\\b", DicomVR.UT));
        Assert.Equal(["a\\b"], DicomValueSplitter.Split("a\\b", DicomVR.ST));
        Assert.Equal(["http://x/a\\b"], DicomValueSplitter.Split("http://x/a\\b ", DicomVR.UR));
    }

    [Fact]
    public void Split_of_padding_only_has_no_values()
    {
        Assert.Empty(DicomValueSplitter.Split("  ", DicomVR.CS));
        Assert.Empty(DicomValueSplitter.Split("", DicomVR.LT));
        Assert.Equal(["", ""], DicomValueSplitter.Split(" \\ ", DicomVR.CS));
    }

    [Fact]
    public void Split_refuses_binary_VRs() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomValueSplitter.Split("1", DicomVR.US));
}
