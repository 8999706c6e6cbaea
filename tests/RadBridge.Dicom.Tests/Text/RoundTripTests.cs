namespace RadBridge.Dicom.Tests.Text;

public class RoundTripTests
{
    public static TheoryData<string[], string> Names => new()
    {
        { ["GB18030"], "Wang^XiaoDong=王^小东=" },
        { ["GB18030"], "欧阳^娜娜=Ouyang^Nana" },
        { ["GB18030"], "约翰·史密斯^𠀀𪚥=" },      // middle dot of transliterated names; CJK Extension B (four-byte codes)
        { ["GB18030"], "龴^ḿ︐" },               // codes GB 18030-2022 reassigned
        { ["GBK"], "陳^誠=Chen^Cheng" },        // 誠 is D5 5C: a backslash byte inside the character
        { ["GBK"], "王^小东" },
        { ["ISO_IR 192"], "Wang^XiaoDong=王^小東=" },
        { ["ISO_IR 192"], "Müller^Jürgen=Δημήτρης^Иван=𠀀" },
        { ["", "ISO 2022 IR 87"], "Yamada^Tarou=山田^太郎=やまだ^たろう" },
        { ["ISO 2022 IR 13", "ISO 2022 IR 87"], "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう" },
        { ["", "ISO 2022 IR 87", "ISO 2022 IR 159"], "丂^尺十=" },   // 丂 only in JIS X 0212
        { ["", "ISO 2022 IR 149"], "Hong^Gildong=洪^吉洞=홍^길동" },
        { ["", "ISO 2022 IR 149"], "닒" },                      // B4D3, which code page 51949 misreads
        { ["", "ISO 2022 IR 58"], "Zhang^XiaoDong=张^小东=" },
        { ["ISO_IR 100"], "Buc^Jérôme" },
        { ["ISO_IR 101"], "Dvořák^Antonín" },
        { ["ISO_IR 109"], "Ħamrun^Ġużeppi" },
        { ["ISO_IR 110"], "Ķeniņš^Jānis" },
        { ["ISO_IR 144"], "Иванов^Иван" },
        { ["ISO_IR 127"], "قباني^لنزار" },
        { ["ISO_IR 126"], "Διονυσίου^Ελένη" },
        { ["ISO_IR 138"], "שרון^דבורה" },
        { ["ISO_IR 148"], "Şahin^Çağrı İlkay" },
        { ["ISO_IR 203"], "Œuvre^Šárka €" },
        { ["ISO_IR 166"], "ประเทศไทย^สมชาย" },
        { ["ISO_IR 13"], "ﾔﾏﾀﾞ^ﾀﾛｳ" },
        { ["ISO 2022 IR 100", "ISO 2022 IR 126", "ISO 2022 IR 144"], "Müller^Διονυσίου=Иван" },
        { ["ISO 2022 IR 166"], "ประเทศไทย" },
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void Person_name_survives_encode_then_decode(string[] terms, string name)
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(terms);
        Assert.Empty(encoding.Warnings);
        var bytes = encoding.Encode(name, DicomVR.PN);
        Assert.Equal(name, encoding.Decode(bytes, DicomVR.PN));
        Assert.True(encoding.CanEncode(name, DicomVR.PN));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Multi_valued_LO_survives_and_splits_on_the_decoded_backslash(string[] terms, string name)
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(terms);
        var values = new[] { name.Replace('^', ' ').Replace('=', ' '), "ID 42", name.Split('^')[0] };
        var decoded = encoding.Decode(encoding.Encode(string.Join('\\', values), DicomVR.LO), DicomVR.LO);
        Assert.Equal(values, decoded.Split('\\'));
    }

    [Fact]
    public void Span_variant_writes_the_same_bytes()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        var writer = new System.Buffers.ArrayBufferWriter<byte>();
        var n = encoding.Encode("山田^太郎".AsSpan(), DicomVR.PN, writer);
        Assert.Equal(n, writer.WrittenCount);
        Assert.Equal(encoding.Encode("山田^太郎", DicomVR.PN), writer.WrittenSpan.ToArray());
    }

    [Fact]
    public void Mixed_ISO_2022_single_byte_sets_switch_G1_and_restore_it_before_delimiters()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["ISO 2022 IR 100", "ISO 2022 IR 126"]);
        // ü in ISO-IR 100 (initial G1); ESC - F designates Greek; before '^' and at the end ESC - A restores ISO-IR 100.
        Assert.Equal("4D FC 1B 2D 46 C4 1B 2D 41 5E 41 1B 2D 46 E9 1B 2D 41".Replace(" ", "", StringComparison.Ordinal),
            Hex.Of(encoding.Encode("MüΔ^Aι", DicomVR.PN)));
    }

    [Fact]
    public void JIS_X_0212_is_designated_with_its_own_escape_sequence()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87", "ISO 2022 IR 159"]);
        Assert.Equal("1B24284430211B2842", Hex.Of(encoding.Encode("丂", DicomVR.PN)));
        Assert.Equal("丂", encoding.Decode(Hex.Bytes("1B 24 28 44 30 21 1B 28 42"), DicomVR.PN));
    }

    [Fact]
    public void Space_between_kanji_is_written_in_ISO_646()
    {
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["", "ISO 2022 IR 87"]);
        Assert.Equal("1B24423B331B2842201B244245441B2842", Hex.Of(encoding.Encode("山 田", DicomVR.LO)));
    }
}
