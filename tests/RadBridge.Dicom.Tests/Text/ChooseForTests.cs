namespace RadBridge.Dicom.Tests.Text;

public class ChooseForTests
{
    [Theory]
    [InlineData("Smith^John", null, new string[0])]
    [InlineData("Buc^Jérôme", null, new[] { "ISO_IR 100" })]
    [InlineData("Buc^Jérôme", "GB18030", new[] { "ISO_IR 100" })]
    [InlineData("王^小东", null, new[] { "ISO_IR 192" })]
    [InlineData("王^小东", "GB18030", new[] { "GB18030" })]
    [InlineData("王^𠀀", "GB18030", new[] { "GB18030" })]
    [InlineData("王^𠀀", "GBK", new[] { "ISO_IR 192" })]
    [InlineData("王^小东", "GBK", new[] { "GBK" })]
    [InlineData("Buc^Jérôme", "ISO_IR 192", new[] { "ISO_IR 192" })]
    [InlineData("Διονυσίου", null, new[] { "ISO_IR 192" })]
    [InlineData("Διονυσίου", "ISO_IR 126", new[] { "ISO_IR 126" })]
    [InlineData("王^小东", "ISO 2022 IR 58", new[] { "ISO_IR 192" })]   // a preference for code extensions is not taken
    public void Chooses_the_smallest_fitting_character_set(string text, string? preferred, string[] expected) =>
        Assert.Equal(expected, DicomTextEncoding.ChooseFor(text, preferred));

    [Fact]
    public void Text_no_set_can_write_gets_UTF_8_whose_writing_then_reports_it()
    {
        // A lone surrogate (kept out of InlineData, whose serialization would replace it).
        var text = "王" + '\uD800';
        Assert.Equal(["ISO_IR 192"], DicomTextEncoding.ChooseFor(text, "GB18030"));
        Assert.Throws<DicomCharacterSetException>(() => DicomTextEncoding.FromSpecificCharacterSet(["ISO_IR 192"]).Encode(text, DicomVR.PN));
    }

    [Theory]
    [InlineData("Buc^Jérôme", null)]
    [InlineData("王^小东=Wang^XiaoDong", "GB18030")]
    [InlineData("Müller^Δημήτρης", null)]
    public void Chosen_character_set_can_write_the_text(string text, string? preferred)
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(DicomTextEncoding.ChooseFor(text, preferred));
        Assert.Equal(text, encoding.Decode(encoding.Encode(text, DicomVR.PN), DicomVR.PN));
    }
}
