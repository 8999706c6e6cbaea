namespace RadBridge.Dicom.Tests.Values;

public class DicomPersonNameTests
{
    [Theory]
    [InlineData("Adams^John Robert Quincy^^Rev.^B.A. M.Div.")]
    [InlineData("Morrison-Jones^Susan^^^Ph.D., Chief Executive Officer")]
    [InlineData("Doe^John")]
    [InlineData("Smith^Fluffy")]
    [InlineData("ABC Farms^Running on Water")]
    [InlineData("Wang^XiaoDong=王^小东")]
    [InlineData("Yamada^Tarou=山田^太郎=やまだ^たろう")]
    [InlineData("Hong^Gildong=洪^吉洞=홍^길동")]
    [InlineData("=山田^太郎")]
    [InlineData("==やまだ^たろう")]
    [InlineData("Doe")]
    [InlineData("^John")]
    [InlineData("^^^^Jr.")]
    [InlineData("")]
    public void Canonical_values_round_trip(string text) => Assert.Equal(text, DicomPersonName.Parse(text).ToString());

    [Theory]
    [InlineData("Wang^XiaoDong=王^小东=", "Wang^XiaoDong=王^小东")]
    [InlineData("Doe^John^^^", "Doe^John")]
    [InlineData("Doe^John^^^==", "Doe^John")]
    [InlineData("=^^=", "")]
    [InlineData("Doe ^ John ", "Doe^John")]
    [InlineData(" Doe^John", "Doe^John")]
    [InlineData("Doe^John  ", "Doe^John")]
    [InlineData("^^^^", "")]
    public void Trailing_empty_components_and_groups_are_omitted(string text, string expected) =>
        Assert.Equal(expected, DicomPersonName.Parse(text).ToString());

    [Fact]
    public void Components_of_each_group()
    {
        var pn = DicomPersonName.Parse("Adams^John Robert Quincy^^Rev.^B.A. M.Div.");
        Assert.Equal("Adams", pn.FamilyName);
        Assert.Equal("John Robert Quincy", pn.GivenName);
        Assert.Equal("", pn.MiddleName);
        Assert.Equal("Rev.", pn.Prefix);
        Assert.Equal("B.A. M.Div.", pn.Suffix);
        Assert.True(pn.Ideographic.IsEmpty);
        Assert.True(pn.Phonetic.IsEmpty);
    }

    [Fact]
    public void Chinese_name_with_empty_phonetic_group()
    {
        var pn = DicomPersonName.Parse("Wang^XiaoDong=王^小东=");
        Assert.Equal(("Wang", "XiaoDong"), (pn.Alphabetic.FamilyName, pn.Alphabetic.GivenName));
        Assert.Equal(("王", "小东"), (pn.Ideographic.FamilyName, pn.Ideographic.GivenName));
        Assert.True(pn.Phonetic.IsEmpty);
        Assert.Equal("王^小东", pn.Ideographic.ToString());
    }

    [Fact]
    public void Missing_alphabetic_group_is_kept_as_an_interior_empty_group()
    {
        var pn = DicomPersonName.Parse("=山田^太郎=やまだ^たろう");
        Assert.True(pn.Alphabetic.IsEmpty);
        Assert.Equal("", pn.FamilyName);
        Assert.Equal("山田", pn.Ideographic.FamilyName);
        Assert.Equal("たろう", pn.Phonetic.GivenName);
        Assert.Equal("=山田^太郎=やまだ^たろう", pn.ToString());
    }

    [Theory]
    [InlineData("A=B=C=D")]
    [InlineData("Doe^John^M^Dr^Jr^Extra")]
    [InlineData("Doe\\Roe")]
    [InlineData("Doe\r\nJohn")]
    [InlineData("Doe\fJohn")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLM")] // 65 characters
    public void Invalid_values_are_rejected_strictly(string text) => Assert.False(DicomPersonName.TryParse(text, out _));

    [Fact]
    public void Group_of_64_characters_is_allowed()
    {
        var text = new string('A', 32) + "^" + new string('B', 31);
        Assert.Equal(text, DicomPersonName.Parse(text).ToString());
    }

    [Fact]
    public void Lenient_keeps_extra_components_in_the_suffix()
    {
        var pn = DicomPersonName.Parse("Doe^John^M^Dr^Jr^III^", DicomParseMode.Lenient);
        Assert.Equal("Jr III", pn.Suffix);
        Assert.Equal("Doe^John^M^Dr^Jr III", pn.ToString());
    }

    [Fact]
    public void Lenient_accepts_long_groups_but_not_four_groups_or_backslash()
    {
        Assert.True(DicomPersonName.TryParse(new string('A', 80), DicomParseMode.Lenient, out _));
        Assert.False(DicomPersonName.TryParse("A=B=C=D", DicomParseMode.Lenient, out _));
        Assert.False(DicomPersonName.TryParse("A\\B", DicomParseMode.Lenient, out _));
    }

    [Fact]
    public void Constructed_names_format_like_parsed_ones()
    {
        var pn = new DicomPersonName(
            new DicomPersonNameGroup("Wang", "XiaoDong"),
            new DicomPersonNameGroup("王", "小东"));
        Assert.Equal("Wang^XiaoDong=王^小东", pn.ToString());
        Assert.Equal(DicomPersonName.Parse("Wang^XiaoDong=王^小东="), pn);
        Assert.Equal(pn.GetHashCode(), DicomPersonName.Parse("Wang^XiaoDong=王^小东").GetHashCode());
        Assert.Equal("Doe^^^Dr.", new DicomPersonName("Doe", prefix: "Dr.").ToString());
        Assert.True(DicomPersonName.Empty.IsEmpty);
    }

    [Theory]
    [InlineData("Doe^Jo^hn")]
    [InlineData("Doe=John")]
    [InlineData("Doe\\John")]
    public void Group_constructor_rejects_delimiters(string family) =>
        Assert.Throws<ArgumentException>(() => new DicomPersonNameGroup(family));

    [Theory]
    [InlineData("Wang^XiaoDong=王^小东=", "Wang XiaoDong (王小东)")]
    [InlineData("Yamada^Tarou=山田^太郎=やまだ^たろう", "Yamada Tarou (山田太郎, やまだたろう)")]
    [InlineData("Hong^Gildong=洪^吉洞=홍^길동", "Hong Gildong (洪吉洞, 홍길동)")]
    [InlineData("Adams^John Robert Quincy^^Rev.^B.A. M.Div.", "Rev. Adams John Robert Quincy, B.A. M.Div.")]
    [InlineData("=山田^太郎", "山田太郎")]
    [InlineData("Doe^John^Q", "Doe John Q")]
    [InlineData("", "")]
    public void Display_string(string text, string expected) =>
        Assert.Equal(expected, DicomPersonName.Parse(text).ToDisplayString());

    [Theory]
    [InlineData("Müller^José", "MULLER JOSE")]
    [InlineData("MULLER^JOSE", "MULLER JOSE")]
    [InlineData("muller jose", "MULLER JOSE")]
    [InlineData("  Müller ^^ José  ", "MULLER JOSE")]
    [InlineData("Wang^XiaoDong=王^小东=", "WANG XIAODONG 王小东")]
    [InlineData("王^小东", "王小东")]
    [InlineData("王 小东", "王小东")]
    [InlineData("Yamada^Tarou=山田^太郎=やまだ^たろう", "YAMADA TAROU 山田太郎 やまだたろう")]
    [InlineData("Hong^Gildong=洪^吉洞=홍^길동", "HONG GILDONG 洪吉洞 홍길동")]
    [InlineData("Straße^Øystein", "STRASSE OYSTEIN")]
    [InlineData("Łukasz^Æsa", "LUKASZ AESA")]
    [InlineData("Đorđević", "DORDEVIC")]
    [InlineData("Ångström", "ANGSTROM")]
    [InlineData("Zoë^Noël", "ZOE NOEL")]
    [InlineData("Doe*", "DOE*")]
    [InlineData("D?e^J*", "D?E J*")]
    [InlineData("がっこう", "がっこう")]
    [InlineData("", "")]
    [InlineData("^=^", "")]
    public void Normalisation_for_matching(string text, string expected) =>
        Assert.Equal(expected, DicomPersonName.NormalizeForMatching(text));

    [Fact]
    public void Accent_and_case_insensitive_equality()
    {
        Assert.Equal(DicomPersonName.NormalizeForMatching("Müller^José"), DicomPersonName.NormalizeForMatching("MULLER^JOSE"));
        Assert.Equal(DicomPersonName.NormalizeForMatching("Éloïse^Çelik"), DicomPersonName.NormalizeForMatching("eloise^celik"));
    }

    [Fact]
    public void Chinese_substring_matching()
    {
        var stored = DicomPersonName.NormalizeForMatching("Wang^XiaoDong=王^小东=");
        Assert.Contains(DicomPersonName.NormalizeForMatching("小"), stored, StringComparison.Ordinal);
        Assert.Contains(DicomPersonName.NormalizeForMatching("王小东"), stored, StringComparison.Ordinal);
        Assert.Contains(DicomPersonName.NormalizeForMatching("王^小东"), stored, StringComparison.Ordinal);
        Assert.Contains(DicomPersonName.NormalizeForMatching("xiaodong"), stored, StringComparison.Ordinal);
        Assert.DoesNotContain(DicomPersonName.NormalizeForMatching("李"), stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Kana_voicing_marks_are_not_stripped() =>
        Assert.NotEqual(DicomPersonName.NormalizeForMatching("が"), DicomPersonName.NormalizeForMatching("か"));

    [Fact]
    public void Decomposed_input_normalises_like_composed_input() =>
        Assert.Equal(DicomPersonName.NormalizeForMatching("Mu\u0308ller"), DicomPersonName.NormalizeForMatching("Müller"));

    [Fact]
    public void Supplementary_plane_ideographs_pass_through()
    {
        const string name = "𠮷^野家"; // U+20BB7 is outside the BMP
        Assert.Equal("𠮷野家", DicomPersonName.NormalizeForMatching(name));
        Assert.Equal("𠮷野家", DicomPersonName.Parse("=" + name).ToDisplayString());
    }
}
