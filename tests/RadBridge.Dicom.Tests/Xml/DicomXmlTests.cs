using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace RadBridge.Dicom.Tests.Xml;

public class DicomXmlTests
{
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag PatientComments = new(0x0010, 0x4000);

    /// <summary>The document without keyword attributes, which depend on the dictionary build.</summary>
    private static string Plain(string xml) => Regex.Replace(xml, " keyword=\"[^\"]*\"", "");

    private static XElement Attribute(string xml, string tag) =>
        XDocument.Parse(xml, LoadOptions.PreserveWhitespace).Root!.Descendants("DicomAttribute").First(e => (string?)e.Attribute("tag") == tag);

    [Fact]
    public void Values_are_numbered_and_an_empty_value_is_an_empty_Value_element()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0008, 0x0008), DicomVR.CS, Encoding.ASCII.GetBytes(@"MPG\\XR3 "))
            .AddOrUpdate(new DicomTag(0x0028, 0x0030), DicomVR.DS, Encoding.ASCII.GetBytes("+0.50\\.4 "))
            .AddOrUpdate(new DicomTag(0x0028, 0x0010), DicomVR.US, new ushort[] { 512 })
            .AddOrUpdate(new DicomTag(0x0018, 0x9089), DicomVR.FD, new[] { 0.1, double.NaN })
            .AddOrUpdate(new DicomTag(0x0020, 0x9165), new DicomTag(0x0020, 0x9056))
            .AddOrUpdate(new DicomValueElement(new DicomTag(0x0008, 0x0050), DicomVR.SH, DicomBuffer.Empty));

        var xml = Plain(DicomXml.Serialize(dataset));

        Assert.Contains("""<DicomAttribute tag="00080008" vr="CS"><Value number="1">MPG</Value><Value number="2"></Value><Value number="3">XR3</Value></DicomAttribute>""", xml, StringComparison.Ordinal);
        Assert.Contains("""<DicomAttribute tag="00280030" vr="DS"><Value number="1">+0.50</Value><Value number="2">.4</Value></DicomAttribute>""", xml, StringComparison.Ordinal);
        Assert.Contains("""<DicomAttribute tag="00280010" vr="US"><Value number="1">512</Value></DicomAttribute>""", xml, StringComparison.Ordinal);
        Assert.Contains("""<DicomAttribute tag="00189089" vr="FD"><Value number="1">0.1</Value><Value number="2">NaN</Value></DicomAttribute>""", xml, StringComparison.Ordinal);
        Assert.Contains("""<DicomAttribute tag="00209165" vr="AT"><Value number="1">00209056</Value></DicomAttribute>""", xml, StringComparison.Ordinal);
        Assert.Contains("""<DicomAttribute tag="00080050" vr="SH" />""", xml, StringComparison.Ordinal);
        var back = DicomXml.Deserialize(xml);
        Assert.Equal(@"MPG\\XR3", back.GetString(new DicomTag(0x0008, 0x0008)));
        Assert.Equal(@"+0.50\.4", back.GetString(new DicomTag(0x0028, 0x0030)));
        Assert.Equal(xml, Plain(DicomXml.Serialize(back)));
    }

    [Fact]
    public void Person_names_are_split_into_groups_and_components()
    {
        var dataset = new DicomDataset().AddOrUpdate(PatientName, DicomVR.PN, @"Adams^John Robert Quincy^^Rev.^B.A. M.Div.\\=山田^太郎");

        var xml = DicomXml.Serialize(dataset);

        var names = Attribute(xml, "00100010").Elements("PersonName").ToList();
        Assert.Equal(["1", "2", "3"], names.Select(n => (string?)n.Attribute("number")));
        var adams = names[0].Element("Alphabetic")!;
        Assert.Equal(["FamilyName", "GivenName", "NamePrefix", "NameSuffix"], adams.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["Adams", "John Robert Quincy", "Rev.", "B.A. M.Div."], adams.Elements().Select(e => e.Value));
        Assert.False(names[1].HasElements);
        Assert.Null(names[2].Element("Alphabetic"));
        Assert.Equal("山田", names[2].Element("Ideographic")!.Element("FamilyName")!.Value);
        Assert.Equal(@"Adams^John Robert Quincy^^Rev.^B.A. M.Div.\\=山田^太郎", DicomXml.Deserialize(xml).GetString(PatientName));
    }

    [Fact]
    public void Known_attributes_carry_their_keyword_when_the_dictionary_has_it()
    {
        var entry = DicomDictionary.Default.Find(PatientName);
        var xml = DicomXml.Serialize(new DicomDataset().AddOrUpdate(PatientName, DicomVR.PN, "Doe^John"));

        Assert.Equal(entry?.Keyword, (string?)Attribute(xml, "00100010").Attribute("keyword"));
    }

    [Fact]
    public void Private_elements_are_written_block_less_with_their_creator_and_read_back_into_the_same_block()
    {
        // ACME in block 11, not the first free one, so reading must find its block rather than reserve one.
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0029, 0x0010), DicomVR.LO, "OTHER")
            .AddOrUpdate(new DicomTag(0x0029, 0x0011), DicomVR.LO, "ACME")
            .AddOrUpdate(new DicomTag(0x0029, 0x1001), DicomVR.LO, "other's")
            .AddOrUpdate(new DicomTag(0x0029, 0x1101), DicomVR.LO, "acme")
            .AddOrUpdate(new DicomTag(0x0029, 0x1102), DicomVR.US, new ushort[] { 7 });

        var xml = DicomXml.Serialize(dataset);

        Assert.Contains("""<DicomAttribute tag="00290011" vr="LO"><Value number="1">ACME</Value></DicomAttribute>""", xml, StringComparison.Ordinal);
        Assert.Contains("""<DicomAttribute tag="00290001" vr="LO" privateCreator="OTHER"><Value number="1">other's</Value></DicomAttribute>""", xml, StringComparison.Ordinal);
        Assert.Contains("""<DicomAttribute tag="00290001" vr="LO" privateCreator="ACME"><Value number="1">acme</Value></DicomAttribute>""", xml, StringComparison.Ordinal);
        Assert.Contains("""<DicomAttribute tag="00290002" vr="US" privateCreator="ACME"><Value number="1">7</Value></DicomAttribute>""", xml, StringComparison.Ordinal);
        var back = DicomXml.Deserialize(xml);
        Assert.Equal("other's", back.GetString(new DicomTag(0x0029, 0x1001)));
        Assert.Equal("acme", back.GetString(new DicomTag(0x0029, 0x1101)));
        Assert.Equal((ushort)7, back.GetValue<ushort>(new DicomTag(0x0029, 0x1102)));
        Assert.Equal(xml, DicomXml.Serialize(back));
    }

    [Fact]
    public void Elements_of_a_creator_that_reserves_two_blocks_keep_their_full_tags()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0029, 0x0010), DicomVR.LO, "ACME")
            .AddOrUpdate(new DicomTag(0x0029, 0x0011), DicomVR.LO, "ACME")
            .AddOrUpdate(new DicomTag(0x0029, 0x1002), DicomVR.LO, "first block")
            .AddOrUpdate(new DicomTag(0x0029, 0x1101), DicomVR.LO, "second block");

        var xml = DicomXml.Serialize(dataset);

        Assert.Contains("""<DicomAttribute tag="00291002" vr="LO" privateCreator="ACME">""", xml, StringComparison.Ordinal);
        Assert.Contains("""<DicomAttribute tag="00291101" vr="LO" privateCreator="ACME">""", xml, StringComparison.Ordinal);
        var back = DicomXml.Deserialize(xml);
        Assert.Equal("first block", back.GetString(new DicomTag(0x0029, 0x1002)));
        Assert.Equal("second block", back.GetString(new DicomTag(0x0029, 0x1101)));
    }

    [Fact]
    public void A_private_element_of_a_new_creator_reserves_a_block_and_a_full_private_tag_of_its_creator_is_kept()
    {
        const string xml = """
            <NativeDicomModel xml:space="preserve">
              <DicomAttribute tag="00090010" vr="LO"><Value number="1">OLD</Value></DicomAttribute>
              <DicomAttribute tag="00091005" vr="SH" privateCreator="OLD"><Value number="1">full tag</Value></DicomAttribute>
              <DicomAttribute tag="00090005" vr="SH" privateCreator="NEW"><Value number="1">block-less</Value></DicomAttribute>
            </NativeDicomModel>
            """;

        var dataset = DicomXml.Deserialize(xml);

        Assert.Equal("full tag", dataset.GetString(new DicomTag(0x0009, 0x1005)));
        Assert.Equal("NEW", dataset.GetString(new DicomTag(0x0009, 0x0011)));
        Assert.Equal("block-less", dataset.GetString(new DicomTag(0x0009, 0x1105)));
    }

    [Fact]
    public void Carriage_returns_survive_and_characters_XML_cannot_carry_become_replacement_characters()
    {
        var dataset = new DicomDataset().AddOrUpdate(PatientComments, DicomVR.LT, "line 1\r\nline 2\ttab \u0001 <&> \"q\"");

        var xml = DicomXml.Serialize(dataset);

        Assert.Contains("&#xD;", xml, StringComparison.Ordinal);
        Assert.Equal("line 1\r\nline 2\ttab \uFFFD <&> \"q\"", DicomXml.Deserialize(xml).GetString(PatientComments));
    }

    [Fact]
    public void Sequences_are_numbered_items_and_binary_values_are_base64()
    {
        var item = new DicomDataset().AddOrUpdate(new DicomTag(0x0008, 0x1150), DicomVR.UI, "1.2.3");
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomSequence(new DicomTag(0x0008, 0x1140), [item, new DicomDataset()]))
            .AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME")
            .AddOrUpdate(new DicomTag(0x0009, 0x1001), DicomVR.OB, new byte[] { 1, 2, 3, 4 });

        var xml = DicomXml.Serialize(dataset);

        Assert.Contains("""<DicomAttribute tag="00081140" vr="SQ"><Item number="1"><DicomAttribute tag="00081150" vr="UI"><Value number="1">1.2.3</Value></DicomAttribute></Item><Item number="2" /></DicomAttribute>""",
            Plain(xml), StringComparison.Ordinal);
        Assert.Contains("""<DicomAttribute tag="00090001" vr="OB" privateCreator="ACME"><InlineBinary>AQIDBA==</InlineBinary></DicomAttribute>""", xml, StringComparison.Ordinal);
        var back = DicomXml.Deserialize(xml);
        Assert.Equal(2, back.GetSequence(new DicomTag(0x0008, 0x1140))!.Items.Count);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, ((DicomValueElement)back[new DicomTag(0x0009, 0x1001)]!).Buffer.GetMemory().ToArray());
    }

    [Fact]
    public void Bulk_data_goes_to_the_factory_and_comes_back_through_the_resolver()
    {
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x7FE0, 0x0010), DicomVR.OW, new ushort[1000]);
        var options = new DicomXmlOptions
        {
            BulkDataUriFactory = r => "https://pacs.example/bulk/" + r.FormatPath(),
            BulkDataResolver = uri => uri == "https://pacs.example/bulk/7FE00010" ? DicomBuffer.FromMemory(new byte[2000]) : throw new DicomException("unexpected " + uri),
        };

        var xml = DicomXml.Serialize(dataset, options);

        Assert.Contains("""<BulkData uri="https://pacs.example/bulk/7FE00010" />""", xml, StringComparison.Ordinal);
        Assert.Equal(2000, ((DicomValueElement)DicomXml.Deserialize(xml, options)[new DicomTag(0x7FE0, 0x0010)]!).Length);
    }

    [Fact]
    public void The_PS3_19_namespace_is_optional_on_output_and_accepted_on_input()
    {
        var dataset = new DicomDataset().AddOrUpdate(new DicomTag(0x0010, 0x0020), DicomVR.LO, "ID1");

        var xml = DicomXml.Serialize(dataset, new DicomXmlOptions { WriteNamespace = true });

        Assert.Contains("""<NativeDicomModel xml:space="preserve" xmlns="http://dicom.nema.org/PS3.19/models/NativeDICOM">""", xml, StringComparison.Ordinal);
        Assert.Equal("ID1", DicomXml.Deserialize(xml).GetString(new DicomTag(0x0010, 0x0020)));
        Assert.DoesNotContain("xmlns", DicomXml.Serialize(dataset), StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_without_vr_take_the_dictionary_VR_and_numbers_may_come_out_of_order()
    {
        const string xml = """
            <NativeDicomModel xml:space="preserve">
              <DicomAttribute tag="00090010"><Value number="1">ACME</Value></DicomAttribute>
              <DicomAttribute tag="00280010" vr="US"><Value number="2">2</Value><Value number="1">1</Value></DicomAttribute>
            </NativeDicomModel>
            """;

        var dataset = DicomXml.Deserialize(xml);

        Assert.Equal(DicomVR.LO, dataset[new DicomTag(0x0009, 0x0010)]!.VR);
        Assert.Equal(new ushort[] { 1, 2 }, dataset.GetValues<ushort>(new DicomTag(0x0028, 0x0010)));
    }

    [Theory]
    [InlineData("<NativeDicomModel><DicomAttribute tag=\"00100020\" vr=\"LO\"><Value number=\"1\">x</Value>", "(0010,0020)", "")]
    [InlineData("<Other/>", "", "not <NativeDicomModel>")]
    [InlineData("<NativeDicomModel><DicomAttribute tag=\"0010002\" vr=\"LO\"/></NativeDicomModel>", "", "not eight hex digits")]
    [InlineData("<NativeDicomModel><DicomAttribute tag=\"00280010\" vr=\"US\"><Value number=\"1\">x</Value></DicomAttribute></NativeDicomModel>", "(0028,0010)", "'x' is not a valid US value")]
    [InlineData("<NativeDicomModel><DicomAttribute tag=\"00280010\" vr=\"US\"><Value number=\"0\">1</Value></DicomAttribute></NativeDicomModel>", "(0028,0010)", "not a positive integer")]
    [InlineData("<NativeDicomModel><DicomAttribute tag=\"00100020\" vr=\"LO\"><Item number=\"1\"/></DicomAttribute></NativeDicomModel>", "(0010,0020)", "Item in a LO attribute")]
    [InlineData("<NativeDicomModel><DicomAttribute tag=\"00100020\" vr=\"LO\"><Value number=\"1\">a</Value><InlineBinary>AA==</InlineBinary></DicomAttribute></NativeDicomModel>", "(0010,0020)", "more than one of")]
    [InlineData("<NativeDicomModel><DicomAttribute tag=\"00100020\" vr=\"LO\"><Bogus/></DicomAttribute></NativeDicomModel>", "(0010,0020)", "unexpected element <Bogus>")]
    [InlineData("<NativeDicomModel><DicomAttribute tag=\"00081110\" vr=\"SQ\"><Item number=\"1\"><DicomAttribute tag=\"00100010\" vr=\"PN\"><PersonName number=\"1\"><Alphabetic><Nick>x</Nick></Alphabetic></PersonName></DicomAttribute></Item></DicomAttribute></NativeDicomModel>", "(0008,1110)[0] (0010,0010)", "<Nick>")]
    [InlineData("<NativeDicomModel><DicomAttribute tag=\"7FE00010\" vr=\"OB\"><BulkData uri=\"https://x/y\"/></DicomAttribute></NativeDicomModel>", "(7FE0,0010)", "https://x/y")]
    [InlineData("<!DOCTYPE x [<!ENTITY a \"b\">]><NativeDicomModel/>", "", "DTD")]
    public void Malformed_XML_is_a_DicomException_naming_the_attribute_and_line(string xml, string where, string problem)
    {
        var ex = Assert.ThrowsAny<DicomException>(() => DicomXml.Deserialize(xml));

        Assert.StartsWith("DICOM XML", ex.Message, StringComparison.Ordinal);
        Assert.Contains(where, ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_is_stored_in_the_declared_character_set_or_UTF_8_when_none_is_declared()
    {
        const string xml = """
            <NativeDicomModel xml:space="preserve">
              <DicomAttribute tag="00100010" vr="PN"><PersonName number="1"><Alphabetic><FamilyName>Wang</FamilyName></Alphabetic><Ideographic><FamilyName>王</FamilyName><GivenName>小東</GivenName></Ideographic></PersonName></DicomAttribute>
            </NativeDicomModel>
            """;

        var dataset = DicomXml.Deserialize(xml);

        Assert.Equal(["ISO_IR 192"], dataset.SpecificCharacterSet);
        Assert.Equal("Wang=王^小東", dataset.GetString(PatientName));
    }
}
