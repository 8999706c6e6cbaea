namespace RadBridge.Dicom.Tests;

public class DicomTagTests
{
    [Theory]
    [InlineData("(0010,0010)", 0x00100010u)]
    [InlineData("0010,0020", 0x00100020u)]
    [InlineData("7FE00010", 0x7FE00010u)]
    public void Parse_accepts_the_usual_spellings(string text, uint expected) =>
        Assert.Equal(expected, DicomTag.Parse(text).Value);

    [Fact]
    public void Tags_sort_by_group_then_element()
    {
        var tags = new[] { new DicomTag(0x0010, 0x0010), new DicomTag(0x0008, 0x0020), new DicomTag(0x0008, 0x0005) };
        Array.Sort(tags);
        Assert.Equal(["(0008,0005)", "(0008,0020)", "(0010,0010)"], tags.Select(t => t.ToString()));
    }

    [Fact]
    public void Private_creator_of_a_private_element_is_found_by_its_block()
    {
        var t = new DicomTag(0x0029, 0x1010);
        Assert.True(t.IsPrivate);
        Assert.False(t.IsPrivateCreator);
        Assert.Equal(new DicomTag(0x0029, 0x0010), t.PrivateCreatorTag);
        Assert.True(new DicomTag(0x0029, 0x0010).IsPrivateCreator);
    }
}
