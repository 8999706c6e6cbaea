namespace RadBridge.Dicom.Tests.Text;

/// <summary>The worked examples of PS3.5 Annexes H (Japanese), I (Korean), J (UTF-8, GB18030) and K (GB 2312): both directions, exact bytes.</summary>
public class StandardExampleTests
{
    public static TheoryData<string, string[], DicomVR, string, string> Examples => new()
    {
        {
            "H.3.1", ["", "ISO 2022 IR 87"], DicomVR.PN, "Yamada^Tarou=山田^太郎=やまだ^たろう",
            "59 61 6D 61 64 61 5E 54 61 72 6F 75 3D 1B 24 42 3B 33 45 44 1B 28 42 5E 1B 24 42 42 40 4F 3A 1B 28 42 3D"
            + " 1B 24 42 24 64 24 5E 24 40 1B 28 42 5E 1B 24 42 24 3F 24 6D 24 26 1B 28 42"
        },
        {
            "H.3.2", ["ISO 2022 IR 13", "ISO 2022 IR 87"], DicomVR.PN, "ﾔﾏﾀﾞ^ﾀﾛｳ=山田^太郎=やまだ^たろう",
            "D4 CF C0 DE 5E C0 DB B3 3D 1B 24 42 3B 33 45 44 1B 28 4A 5E 1B 24 42 42 40 4F 3A 1B 28 4A 3D"
            + " 1B 24 42 24 64 24 5E 24 40 1B 28 4A 5E 1B 24 42 24 3F 24 6D 24 26 1B 28 4A"
        },
        {
            "I.2", ["", "ISO 2022 IR 149"], DicomVR.PN, "Hong^Gildong=洪^吉洞=홍^길동",
            "48 6F 6E 67 5E 47 69 6C 64 6F 6E 67 3D 1B 24 29 43 FB F3 5E 1B 24 29 43 D1 CE D4 D7 3D"
            + " 1B 24 29 43 C8 AB 5E 1B 24 29 43 B1 E6 B5 BF"
        },
        {
            "J.1", ["ISO_IR 192"], DicomVR.PN, "Wang^XiaoDong=王^小東=",
            "57 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D E7 8E 8B 5E E5 B0 8F E6 9D B1 3D"
        },
        {
            "J.2", ["ISO_IR 192"], DicomVR.LT, "The first line includes中文.\r\nThe second line includes中文, too.\r\nThe third line.\r\n",
            "54 68 65 20 66 69 72 73 74 20 6C 69 6E 65 20 69 6E 63 6C 75 64 65 73 E4 B8 AD E6 96 87 2E 0D 0A"
            + " 54 68 65 20 73 65 63 6F 6E 64 20 6C 69 6E 65 20 69 6E 63 6C 75 64 65 73 E4 B8 AD E6 96 87 2C 20 74 6F 6F 2E 0D 0A"
            + " 54 68 65 20 74 68 69 72 64 20 6C 69 6E 65 2E 0D 0A"
        },
        {
            "J.3", ["GB18030"], DicomVR.PN, "Wang^XiaoDong=王^小东=",
            "57 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D CD F5 5E D0 A1 B6 AB 3D"
        },
        {
            "J.4", ["GB18030"], DicomVR.LT, "The first line includes中文.\r\nThe second line includes中文, too.\r\nThe third line.\r\n",
            "54 68 65 20 66 69 72 73 74 20 6C 69 6E 65 20 69 6E 63 6C 75 64 65 73 D6 D0 CE C4 2E 0D 0A"
            + " 54 68 65 20 73 65 63 6F 6E 64 20 6C 69 6E 65 20 69 6E 63 6C 75 64 65 73 D6 D0 CE C4 2C 20 74 6F 6F 2E 0D 0A"
            + " 54 68 65 20 74 68 69 72 64 20 6C 69 6E 65 2E 0D 0A"
        },
        {
            // Annex J: GBK shares these codes with GB 18030.
            "J.3 as GBK", ["GBK"], DicomVR.PN, "Wang^XiaoDong=王^小东=",
            "57 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D CD F5 5E D0 A1 B6 AB 3D"
        },
        {
            "K.2", ["", "ISO 2022 IR 58"], DicomVR.PN, "Zhang^XiaoDong=张^小东=",
            "5A 68 61 6E 67 5E 58 69 61 6F 44 6F 6E 67 3D 1B 24 29 41 D5 C5 5E 1B 24 29 41 D0 A1 B6 AB 3D"
        },
        {
            "K.3", ["", "ISO 2022 IR 58"], DicomVR.LT, "1.第一行文字。\r\n2.第二行文字。\r\n3.第三行文字。\r\n",
            "31 2E 1B 24 29 41 B5 DA D2 BB D0 D0 CE C4 D7 D6 A1 A3 0D 0A"
            + " 32 2E 1B 24 29 41 B5 DA B6 FE D0 D0 CE C4 D7 D6 A1 A3 0D 0A"
            + " 33 2E 1B 24 29 41 B5 DA C8 FD D0 D0 CE C4 D7 D6 A1 A3 0D 0A"
        },
    };

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_decodes_to_the_text_of_the_standard(string example, string[] terms, DicomVR vr, string text, string hex)
    {
        _ = example;
        Assert.Equal(text, DicomTextEncoding.FromSpecificCharacterSet(terms).Decode(Hex.Bytes(hex), vr));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_encodes_to_the_bytes_of_the_standard(string example, string[] terms, DicomVR vr, string text, string hex)
    {
        _ = example;
        Assert.Equal(Hex.Of(Hex.Bytes(hex)), Hex.Of(DicomTextEncoding.FromSpecificCharacterSet(terms).Encode(text, vr)));
    }

    [Fact]
    public void Japanese_name_decodes_with_explicit_ISO_2022_IR_6_as_value_1()
    {
        // Same bytes as H.3.1's phonetic group; pydicom's chrJapMultiExplicitIR6.dcm declares "ISO 2022 IR 6" instead of "".
        var encoding = DicomTextEncoding.FromSpecificCharacterSet(["ISO 2022 IR 6", "ISO 2022 IR 87"]);
        Assert.Equal("やまだ^たろう", encoding.Decode(Hex.Bytes("1B 24 42 24 64 24 5E 24 40 1B 28 42 5E 1B 24 42 24 3F 24 6D 24 26 1B 28 42"), DicomVR.PN));
    }
}
