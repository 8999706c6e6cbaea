namespace RadBridge.Dicom.Tests.Text;

public class SpecificCharacterSetTermTests
{
    [Fact]
    public void No_terms_or_empty_terms_give_the_default_repertoire()
    {
        Assert.Same(DicomTextEncoding.Default, DicomTextEncoding.FromSpecificCharacterSet(null));
        Assert.Same(DicomTextEncoding.Default, DicomTextEncoding.FromSpecificCharacterSet([]));
        Assert.Same(DicomTextEncoding.Default, DicomTextEncoding.FromSpecificCharacterSet([""]));
        Assert.Same(DicomTextEncoding.Default, DicomTextEncoding.FromSpecificCharacterSet(["  ", ""]));
        Assert.Empty(DicomTextEncoding.Default.Warnings);
    }

    [Fact]
    public void Terms_are_trimmed_and_instances_cached_per_term_list()
    {
        var a = DicomTextEncoding.FromSpecificCharacterSet(["ISO_IR 100"]);
        Assert.Same(a, DicomTextEncoding.FromSpecificCharacterSet(["ISO_IR 100 "]));
        Assert.Same(a, DicomTextEncoding.FromSpecificCharacterSet([" ISO_IR 100\0"]));
        Assert.Equal(["ISO_IR 100"], a.SpecificCharacterSet);
        var b = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        Assert.Same(b, DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87 "]));
        Assert.NotSame(b, DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 149"]));
        Assert.Equal("\\ISO 2022 IR 87", b.ToString());
    }

    [Fact]
    public void Empty_value_1_with_ISO_2022_terms_starts_in_ISO_646()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        Assert.True(encoding.UsesCodeExtensions);
        Assert.Empty(encoding.Warnings);
        Assert.Equal("Yamada", encoding.Decode("Yamada"u8, DicomVR.PN));
    }

    [Theory]
    [InlineData("ISO_IR 999")]
    [InlineData("WINDOWS-1252")]
    [InlineData("ISO 2022 IR 999")]
    public void Unknown_term_does_not_throw_records_a_warning_and_keeps_bytes_readable(string term)
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet([term]);
        Assert.Contains(encoding.Warnings, w => w.Contains(term, StringComparison.Ordinal));
        Assert.Equal("Buc^Jérôme", encoding.Decode(Hex.Bytes("42 75 63 5E 4A E9 72 F4 6D 65"), DicomVR.PN));
    }

    [Fact]
    public void Unknown_later_term_is_ignored_with_a_warning()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 999", "ISO 2022 IR 149"]);
        Assert.Single(encoding.Warnings);
        Assert.Equal("Hong=洪", encoding.Decode(Hex.Bytes("48 6F 6E 67 3D 1B 24 29 43 FB F3"), DicomVR.PN));
    }

    [Theory]
    [InlineData("ISO-IR 100", "E9", "é")]
    [InlineData("iso_ir 100", "E9", "é")]
    [InlineData("ISO IR 144", "BB", "Л")]
    [InlineData("UTF-8", "C3 A9", "é")]
    [InlineData("GB2312", "CD F5", "王")]
    [InlineData("ISO_IR 6", "41", "A")]
    public void Misspelt_terms_with_a_clear_meaning_are_read_as_meant_with_a_warning(string term, string hex, string text)
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet([term]);
        Assert.Single(encoding.Warnings);
        Assert.Equal(text, encoding.Decode(Hex.Bytes(hex), DicomVR.LO));
    }

    [Fact]
    public void Term_without_code_extensions_as_value_1_of_several_is_read_as_its_ISO_2022_form()
    {
        // Seen in the field (dcm4che issue 869): "ISO_IR 13\ISO 2022 IR 87".
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["ISO_IR 13", "ISO 2022 IR 87"]);
        Assert.Single(encoding.Warnings);
        Assert.Equal("ﾔﾏﾀﾞ^ﾀﾛｳ=山田", encoding.Decode(Hex.Bytes("D4 CF C0 DE 5E C0 DB B3 3D 1B 24 42 3B 33 45 44 1B 28 4A"), DicomVR.PN));
    }

    [Fact]
    public void Unicode_term_with_further_values_uses_value_1_and_warns()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["ISO_IR 192", "GB18030"]);
        Assert.Single(encoding.Warnings);
        Assert.False(encoding.UsesCodeExtensions);
        Assert.Equal("王", encoding.Decode(Hex.Bytes("E7 8E 8B"), DicomVR.PN));
    }

    [Fact]
    public void Korean_set_as_only_value_reads_EUC_KR_bytes_without_escape_sequences()
    {
        // Devices write "ISO 2022 IR 149" alone with plain EUC-KR; G1 then starts with KS X 1001 designated.
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["ISO 2022 IR 149"]);
        Assert.NotEmpty(encoding.Warnings);
        Assert.Equal("홍^길동", encoding.Decode(Hex.Bytes("C8 AB 5E B1 E6 B5 BF"), DicomVR.PN));
    }

    [Fact]
    public void VRs_without_Specific_Character_Set_read_as_ISO_8859_1()
    {
        var utf8 = DicomTextEncoding.FromSpecificCharacterSet(["ISO_IR 192"]);
        Assert.Equal("Ã©", utf8.Decode(Hex.Bytes("C3 A9"), DicomVR.CS));
        Assert.Equal("1.2.3\0", utf8.Decode("1.2.3\0"u8, DicomVR.UI));
        Assert.Throws<DicomCharacterSetException>(() => utf8.Encode("É", DicomVR.CS));
    }

    [Theory]
    [InlineData("ISO_IR 192", "FF", "\uFFFD")]
    [InlineData("ISO_IR 192", "E7 8E", "\uFFFD")]
    [InlineData("ISO_IR 126", "AE", "\uFFFD")]      // unassigned in ISO 8859-7
    [InlineData("ISO_IR 166", "DB", "\uFFFD")]      // unassigned in TIS 620
    public void Invalid_bytes_become_replacement_characters(string term, string hex, string text) =>
        Assert.Equal(text, DicomTextEncoding.FromSpecificCharacterSet([term]).Decode(Hex.Bytes(hex), DicomVR.LO));

    [Theory]
    [InlineData("1B 24 42 3B", "\uFFFD")]                   // truncated JIS X 0208 character
    [InlineData("1B 24 29 5A 41", "\uFFFDA")]               // unknown escape sequence
    [InlineData("41 1B", "A\uFFFD")]                        // lone ESC at the end
    [InlineData("1B 24 29 43 FB 41", "\uFFFDA")]            // KS X 1001 lead byte without its trail byte
    public void Broken_ISO_2022_data_decodes_without_throwing(string hex, string text) =>
        Assert.Equal(text, DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87", "ISO 2022 IR 149"]).Decode(Hex.Bytes(hex), DicomVR.LO));

    [Fact]
    public void Code_tables_follow_the_standard_mappings_where_NET_code_pages_differ()
    {
        var japanese = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        Assert.Equal("\u301C", japanese.Decode(Hex.Bytes("1B 24 42 21 41 1B 28 42"), DicomVR.LO)); // WAVE DASH, not U+FF5E
        var chinese = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 58"]);
        Assert.Equal("·", chinese.Decode(Hex.Bytes("1B 24 29 41 A1 A4"), DicomVR.LO));
        Assert.Equal("1B242941A1A4", Hex.Of(chinese.Encode("\u30FB", DicomVR.LO)));
        var greek = DicomTextEncoding.FromSpecificCharacterSet(["ISO_IR 126"]);
        Assert.Equal("\u2018", greek.Decode(Hex.Bytes("A1"), DicomVR.LO));
    }
}
