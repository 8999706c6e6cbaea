namespace RadBridge.Dicom.Tests.Text;

public class EncodeTests
{
    [Fact]
    public void Character_outside_the_set_throws_naming_code_point_not_value()
    {
        var latin1 = DicomTextEncoding.FromSpecificCharacterSet(["ISO_IR 100"]);
        var e = Assert.Throws<DicomCharacterSetException>(() => latin1.Encode("Wang^王", DicomVR.PN));
        Assert.Equal(5, e.Index);
        Assert.Equal(0x738B, e.CodePoint);
        Assert.Equal(DicomVR.PN, e.VR);
        Assert.Contains("U+738B", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wang", e.Message, StringComparison.Ordinal);
        Assert.IsAssignableFrom<DicomException>(e);
        Assert.False(latin1.CanEncode("Wang^王", DicomVR.PN));
    }

    [Fact]
    public void Default_repertoire_writes_ASCII_only()
    {
        Assert.Equal("Smith^John"u8.ToArray(), DicomTextEncoding.Default.Encode("Smith^John", DicomVR.PN));
        Assert.Throws<DicomCharacterSetException>(() => DicomTextEncoding.Default.Encode("Müller", DicomVR.PN));
    }

    [Fact]
    public void ISO_2022_throws_for_a_character_no_declared_set_holds()
    {
        var japanese = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        var e = Assert.Throws<DicomCharacterSetException>(() => japanese.Encode("山田^홍", DicomVR.PN));
        Assert.Equal(3, e.Index);
        Assert.Throws<DicomCharacterSetException>(() => japanese.Encode("\U00020000", DicomVR.PN));
        // ESC in the text would be read as an escape sequence.
        Assert.Throws<DicomCharacterSetException>(() => japanese.Encode("A\u001B$B", DicomVR.PN));
    }

    [Fact]
    public void Lone_surrogate_cannot_be_written_in_UTF_8_or_GB18030()
    {
        foreach (var term in new[] { "ISO_IR 192", "GB18030" })
        {
            var e = Assert.Throws<DicomCharacterSetException>(() => DicomTextEncoding.FromSpecificCharacterSet([term]).Encode("ab\uD800", DicomVR.LO));
            Assert.Equal(2, e.Index);
            Assert.Equal(0xD800, e.CodePoint);
        }
    }

    [Fact]
    public void C1_controls_are_not_written_as_ISO_8859_characters()
    {
        var latin1 = DicomTextEncoding.FromSpecificCharacterSet(["ISO_IR 100"]);
        Assert.Throws<DicomCharacterSetException>(() => latin1.Encode("\u0092", DicomVR.LO));
    }

    [Fact]
    public void Unassigned_JIS_X_0208_vendor_rows_are_read_but_not_written()
    {
        var japanese = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        // Row 13 (NEC special characters, 2D 21 = ①) is not JIS X 0208.
        Assert.Equal("①", japanese.Decode(Hex.Bytes("1B 24 42 2D 21 1B 28 42"), DicomVR.LO));
        Assert.False(japanese.CanEncode("①", DicomVR.LO));
    }
}
