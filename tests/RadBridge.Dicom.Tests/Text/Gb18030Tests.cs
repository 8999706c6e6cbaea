namespace RadBridge.Dicom.Tests.Text;

/// <summary>GB 18030 is what Chinese sites write: .NET's table must be complete and current.</summary>
public class Gb18030Tests
{
    private static readonly DicomTextEncoding Gb18030 = DicomTextEncoding.FromSpecificCharacterSet(["GB18030"]);
    private static readonly DicomTextEncoding Gbk = DicomTextEncoding.FromSpecificCharacterSet(["GBK"]);

    [Theory]
    [InlineData("\u0080", "81 30 81 30")]              // first four-byte code
    [InlineData("\uFFFF", "84 31 A4 39")]              // last BMP four-byte code
    [InlineData("\U00020000", "95 32 82 36")]          // first supplementary code (CJK Extension B)
    [InlineData("\U0010FFFF", "E3 32 9A 35")]          // last code
    [InlineData("é", "A8 A6")]
    [InlineData("€", "A2 E3")]
    [InlineData("·", "A1 A4")]
    public void Four_byte_and_two_byte_codes_round_trip(string text, string hex)
    {
        Assert.Equal(Hex.Of(Hex.Bytes(hex)), Hex.Of(Gb18030.Encode(text, DicomVR.PN)));
        Assert.Equal(text, Gb18030.Decode(Hex.Bytes(hex), DicomVR.PN));
    }

    [Theory]
    [InlineData("A8 BC", "\u1E3F")]    // GB 18030-2005
    [InlineData("FE 59", "\u9FB4")]    // GB 18030-2022, was U+E81E
    [InlineData("FE A0", "\u9FBB")]
    [InlineData("A6 D9", "\uFE10")]    // GB 18030-2022, was U+E78D
    [InlineData("A6 F3", "\uFE19")]
    public void Codes_reassigned_by_GB18030_2022_read_and_write_as_the_current_standard(string hex, string text)
    {
        foreach (var encoding in new[] { Gb18030, Gbk })
        {
            Assert.Equal(text, encoding.Decode(Hex.Bytes(hex), DicomVR.PN));
            Assert.Equal(Hex.Of(Hex.Bytes(hex)), Hex.Of(encoding.Encode(text, DicomVR.PN)));
        }
    }

    [Theory]
    [InlineData("81 35 F4 37", "\u1E3F")]
    [InlineData("82 35 90 37", "\u9FB4")]
    [InlineData("84 31 82 36", "\uFE10")]
    public void Four_byte_codes_of_older_writers_still_read_as_the_character_they_meant(string hex, string text) =>
        Assert.Equal(text, Gb18030.Decode(Hex.Bytes(hex), DicomVR.PN));

    [Fact]
    public void Invalid_and_truncated_sequences_become_replacement_characters()
    {
        Assert.Equal("A\uFFFD", Gb18030.Decode(Hex.Bytes("41 FF"), DicomVR.LO));
        Assert.Equal("\uFFFD", Gb18030.Decode(Hex.Bytes("81"), DicomVR.LO)[..1]);
        Assert.Contains('\uFFFD', Gb18030.Decode(Hex.Bytes("81 30 81"), DicomVR.LO));
    }

    [Fact]
    public void GBK_cannot_write_what_only_GB18030_has()
    {
        var e = Assert.Throws<DicomCharacterSetException>(() => Gbk.Encode("王^𠀀", DicomVR.PN));
        Assert.Equal(2, e.Index);
        Assert.Equal(0x20000, e.CodePoint);
        Assert.Equal("GBK", e.SpecificCharacterSet);
    }
}
