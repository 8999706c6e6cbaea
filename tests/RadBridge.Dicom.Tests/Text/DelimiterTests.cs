namespace RadBridge.Dicom.Tests.Text;

/// <summary>Delimiters (\ ^ =) are single bytes of the active G0 set only; the same byte inside a character is not one.</summary>
public class DelimiterTests
{
    [Fact]
    public void Byte_5C_inside_a_JIS_X_0208_character_is_not_a_value_delimiter()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        // 尺 is JIS 3C 5C, 十 is 3D 3D: the second byte of 尺 is the backslash byte, 十 is two '=' bytes.
        var oneValue = Hex.Bytes("1B 24 42 3C 5C 3D 3D 1B 28 42");
        var decoded = encoding.Decode(oneValue, DicomVR.LO);
        Assert.Equal("尺十", decoded);
        Assert.Single(decoded.Split('\\'));

        var twoValues = Hex.Bytes("1B 24 42 3C 5C 1B 28 42 5C 1B 24 42 3D 3D 1B 28 42");
        Assert.Equal(["尺", "十"], encoding.Decode(twoValues, DicomVR.LO).Split('\\'));
    }

    [Fact]
    public void Caret_and_equals_bytes_inside_JIS_X_0208_characters_are_not_name_delimiters()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        // ま is 24 5E and 十 is 3D 3D.
        Assert.Equal("ま十", encoding.Decode(Hex.Bytes("1B 24 42 24 5E 3D 3D 1B 28 42"), DicomVR.PN));
        Assert.Equal("1B2442245E3D3D1B2842", Hex.Of(encoding.Encode("ま十", DicomVR.PN)));
    }

    [Fact]
    public void Byte_5C_as_second_byte_of_a_GBK_or_GB18030_character_is_not_a_value_delimiter()
    {
        // 誠 is D5 5C in GBK and GB 18030; 王 is CD F5.
        var bytes = Hex.Bytes("CD F5 5C D5 5C");
        foreach (var term in new[] { "GBK", "GB18030" })
        {
            var encoding = DicomTextEncoding.FromSpecificCharacterSet([term]);
            Assert.Equal(["王", "誠"], encoding.Decode(bytes, DicomVR.LO).Split('\\'));
            Assert.Equal(Hex.Of(bytes), Hex.Of(encoding.Encode("王\\誠", DicomVR.LO)));
        }
    }

    [Fact]
    public void G1_designation_ends_at_a_component_delimiter()
    {
        // PS3.5 6.1.2.5.3: after '^' the sets of value 1 are active again (here: none in G1), so the second component
        // needs its own ESC $ ) C; without it the bytes fall back to ISO 8859-1.
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 149"]);
        Assert.Equal("洪^ÑÎ", encoding.Decode(Hex.Bytes("1B 24 29 43 FB F3 5E D1 CE"), DicomVR.PN));
        Assert.Equal("洪^吉", encoding.Decode(Hex.Bytes("1B 24 29 43 FB F3 5E 1B 24 29 43 D1 CE"), DicomVR.PN));
    }

    [Fact]
    public void G0_designation_ends_at_a_line_end_in_text()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        // A writer that forgot ESC ( B before CR LF: the next line still starts in ISO 646.
        Assert.Equal("山\r\nAB", encoding.Decode(Hex.Bytes("1B 24 42 3B 33 0D 0A 41 42"), DicomVR.LT));
        // Our writer returns to ISO 646 before the control characters.
        Assert.Equal("1B24423B331B28420D0A4142", Hex.Of(encoding.Encode("山\r\nAB", DicomVR.LT)));
    }

    [Fact]
    public void Backslash_is_text_in_LT_and_a_delimiter_in_LO()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["ISO 2022 IR 100", "ISO 2022 IR 126"]);
        // In LT the Greek G1 stays designated across '\'; in LO the value delimiter restores ISO-IR 100.
        Assert.Equal("1B2D46C45CC41B2D41", Hex.Of(encoding.Encode("Δ\\Δ", DicomVR.LT)));
        Assert.Equal("1B2D46C41B2D415C1B2D46C41B2D41", Hex.Of(encoding.Encode("Δ\\Δ", DicomVR.LO)));
    }
}
