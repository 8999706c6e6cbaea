using System.Text;
using System.Text.Json;

namespace RadBridge.Dicom.Tests.Json;

public class DicomJsonWriterTests
{
    private static readonly DicomTag SliceThickness = new(0x0018, 0x0050);
    private static readonly DicomTag PixelSpacing = new(0x0028, 0x0030);
    private static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);

    private static DicomDataset WithRaw(DicomTag tag, DicomVR vr, string text) =>
        new DicomDataset().AddOrUpdate(tag, vr, Encoding.ASCII.GetBytes(text));

    private static string Value(DicomDataset dataset)
    {
        var json = DicomJson.Serialize(dataset);
        using var document = JsonDocument.Parse(json);
        var attribute = document.RootElement.EnumerateObject().Single().Value;
        return attribute.TryGetProperty("Value", out var value) ? value.GetRawText() : "(none)";
    }

    [Theory]
    [InlineData("+1.5", "[1.5]")]
    [InlineData(".5", "[0.5]")]
    [InlineData("-.5", "[-0.5]")]
    [InlineData("1.", "[1]")]
    [InlineData("007", "[7]")]
    [InlineData("1.50", "[1.50]")]
    [InlineData("1e3", "[1e3]")]
    [InlineData("-2.5E-02 ", "[-2.5E-02]")]
    [InlineData(" 12 ", "[12]")]
    [InlineData("1.5\\\\-3", "[1.5,null,-3]")]
    [InlineData("abc", "[\"abc\"]")]
    [InlineData("1,5", "[\"1,5\"]")]
    [InlineData("NaN", "[\"NaN\"]")]
    [InlineData("1e", "[\"1e\"]")]
    [InlineData("  ", "(none)")]
    public void Decimal_strings_are_JSON_numbers_with_their_digits_or_strings_when_not_numbers(string stored, string expected) =>
        Assert.Equal(expected, Value(WithRaw(SliceThickness, DicomVR.DS, stored)));

    [Theory]
    [InlineData("+12", "[12]")]
    [InlineData("-0012", "[-12]")]
    [InlineData("1.5", "[\"1.5\"]")]
    [InlineData("12\\34", "[12,34]")]
    public void Integer_strings_are_JSON_integers_or_strings_when_not_integers(string stored, string expected) =>
        Assert.Equal(expected, Value(WithRaw(InstanceNumber, DicomVR.IS, stored)));

    [Fact]
    public void Decimal_string_digits_survive_a_round_trip_through_JSON_numbers()
    {
        var back = DicomJson.Deserialize("""{"00280030":{"vr":"DS","Value":[1.50,0.5,1e3,-0.0]}}""");
        Assert.Equal(@"1.50\0.5\1e3\-0.0", back.GetString(PixelSpacing));
    }

    [Fact]
    public void Only_decimal_numbers_longer_than_sixteen_characters_are_shortened_keeping_their_value_as_closely_as_DS_allows()
    {
        var back = DicomJson.Deserialize("""{"00180050":{"vr":"DS","Value":[0.1234567890123456789, 0.50000000000000000, 1.0e+0005]}}""");
        var values = back.GetStrings(SliceThickness);
        Assert.All(values, v => Assert.True(v.Length <= 16, v));
        Assert.Equal(0.1234567890123456789, double.Parse(values[0], System.Globalization.CultureInfo.InvariantCulture), 1e-14);
        Assert.Equal(".5", values[1]);
        Assert.Equal("1.0e+0005", values[2]);
    }

    [Fact]
    public void An_integer_string_given_as_an_integral_JSON_number_in_another_form_is_stored_as_plain_digits()
    {
        var back = DicomJson.Deserialize("""{"00200013":{"vr":"IS","Value":[1e3, 12.0, 7]}}""");
        Assert.Equal(@"1000\12\7", back.GetString(InstanceNumber));
    }

    [Fact]
    public void Very_long_integers_beyond_two_to_the_53_are_strings_and_read_back_exactly()
    {
        var tag = new DicomTag(0x0011, 0x1001);
        var dataset = new DicomDataset()
            .AddOrUpdate(tag, DicomVR.SV, new[] { (1L << 53), -(1L << 53) - 1, long.MinValue })
            .AddOrUpdate(new DicomTag(0x0011, 0x1002), DicomVR.UV, new[] { 42UL, ulong.MaxValue });

        var json = DicomJson.Serialize(dataset);

        Assert.Contains("\"Value\":[9007199254740992,\"-9007199254740993\",\"-9223372036854775808\"]", json, StringComparison.Ordinal);
        Assert.Contains("\"Value\":[42,\"18446744073709551615\"]", json, StringComparison.Ordinal);
        var back = DicomJson.Deserialize(json);
        Assert.Equal(new[] { 1L << 53, -(1L << 53) - 1, long.MinValue }, back.GetValues<long>(tag));
        Assert.Equal(new[] { 42UL, ulong.MaxValue }, back.GetValues<ulong>(new DicomTag(0x0011, 0x1002)));
    }

    [Fact]
    public void Floating_point_NaN_and_infinities_are_written_as_strings_and_read_back()
    {
        var fl = new DicomTag(0x0018, 0x9089);
        var fd = new DicomTag(0x0018, 0x9087);
        var dataset = new DicomDataset()
            .AddOrUpdate(fl, DicomVR.FL, new[] { 0.1f, float.NaN, float.PositiveInfinity })
            .AddOrUpdate(fd, DicomVR.FD, new[] { 1.0 / 3, double.NegativeInfinity });

        var json = DicomJson.Serialize(dataset);

        Assert.Contains("\"Value\":[0.1,\"NaN\",\"Infinity\"]", json, StringComparison.Ordinal);
        Assert.Contains("\"Value\":[0.3333333333333333,\"-Infinity\"]", json, StringComparison.Ordinal);
        var back = DicomJson.Deserialize(json);
        Assert.Equal(new[] { 0.1f, float.NaN, float.PositiveInfinity }, back.GetValues<float>(fl));
        Assert.Equal(new[] { 1.0 / 3, double.NegativeInfinity }, back.GetValues<double>(fd));
    }

    [Fact]
    public void Binary_integers_are_numbers_and_tags_are_eight_hex_digits()
    {
        var at = new DicomTag(0x0020, 0x9165);
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0028, 0x0010), DicomVR.US, new ushort[] { 512, 65535 })
            .AddOrUpdate(new DicomTag(0x0028, 0x0106), DicomVR.SS, new short[] { -32768 })
            .AddOrUpdate(new DicomTag(0x0018, 0x6020), DicomVR.SL, new[] { int.MinValue })
            .AddOrUpdate(new DicomTag(0x0018, 0x6016), DicomVR.UL, new[] { uint.MaxValue })
            .AddOrUpdate(at, new DicomTag(0x0020, 0x9056), new DicomTag(0xFFFE, 0xE000));

        var json = DicomJson.Serialize(dataset);

        Assert.Equal(
            """{"00186016":{"vr":"UL","Value":[4294967295]},"00186020":{"vr":"SL","Value":[-2147483648]},"00209165":{"vr":"AT","Value":["00209056","FFFEE000"]},"00280010":{"vr":"US","Value":[512,65535]},"00280106":{"vr":"SS","Value":[-32768]}}""",
            json);
        Assert.Equal(json, DicomJson.Serialize(DicomJson.Deserialize(json)));
    }

    [Fact]
    public void Empty_elements_have_only_a_vr_and_empty_items_are_empty_objects()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomValueElement(PatientName, DicomVR.PN, DicomBuffer.Empty))
            .AddOrUpdate(new DicomValueElement(new DicomTag(0x0028, 0x0010), DicomVR.US, DicomBuffer.Empty))
            .AddOrUpdate(new DicomSequence(new DicomTag(0x0008, 0x1110)))
            .AddOrUpdate(new DicomSequence(new DicomTag(0x0008, 0x1111), [new DicomDataset()]));

        var json = DicomJson.Serialize(dataset);

        Assert.Equal(
            """{"00081110":{"vr":"SQ"},"00081111":{"vr":"SQ","Value":[{}]},"00100010":{"vr":"PN"},"00280010":{"vr":"US"}}""",
            json);
        var back = DicomJson.Deserialize(json);
        Assert.Empty(back.GetSequence(new DicomTag(0x0008, 0x1110))!.Items);
        Assert.Empty(Assert.Single(back.GetSequence(new DicomTag(0x0008, 0x1111))!.Items));
        Assert.Equal(0, ((DicomValueElement)back[PatientName]!).Length);
    }

    [Fact]
    public void Group_lengths_are_left_out_and_attributes_are_in_tag_order()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0010, 0x0020), DicomVR.LO, "ID")
            .AddOrUpdate(new DicomTag(0x0010, 0x0000), DicomVR.UL, new[] { 10u })
            .AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME 1.0")
            .AddOrUpdate(new DicomTag(0x0009, 0x1001), DicomVR.LO, "private");

        Assert.Equal(
            """{"00090010":{"vr":"LO","Value":["ACME 1.0"]},"00091001":{"vr":"LO","Value":["private"]},"00100020":{"vr":"LO","Value":["ID"]}}""",
            DicomJson.Serialize(dataset));
    }

    [Theory]
    [InlineData("Yamada^Tarou=山田^太郎=やまだ^たろう", """[{"Alphabetic":"Yamada^Tarou","Ideographic":"山田^太郎","Phonetic":"やまだ^たろう"}]""")]
    [InlineData("=山田^太郎", """[{"Ideographic":"山田^太郎"}]""")]
    [InlineData("Wang^XiaoDong=王^小東=", """[{"Alphabetic":"Wang^XiaoDong","Ideographic":"王^小東"}]""")]
    [InlineData("Adams^John\\\\Morrison-Jones^Susan", """[{"Alphabetic":"Adams^John"},null,{"Alphabetic":"Morrison-Jones^Susan"}]""")]
    [InlineData("==", """[null]""")]
    public void Person_names_are_objects_of_their_non_empty_component_groups(string stored, string expected)
    {
        var dataset = new DicomDataset().AddOrUpdate(PatientName, DicomVR.PN, stored);
        var json = DicomJson.Serialize(dataset);
        Assert.EndsWith($"\"Value\":{expected}}}}}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_is_UTF_8_without_escaping_beyond_what_JSON_requires()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0008, 0x0005), DicomVR.CS, "ISO_IR 192")
            .AddOrUpdate(new DicomTag(0x0010, 0x4000), DicomVR.LT, "Größe \"5\" <b> & C:\\temp\ttab\u0001\r\nnext")
            .AddOrUpdate(PatientName, DicomVR.PN, "王^小东");

        var bytes = DicomJson.SerializeToUtf8Bytes(dataset);
        var json = Encoding.UTF8.GetString(bytes);

        Assert.Contains("王^小东", json, StringComparison.Ordinal);
        Assert.Contains("Größe \\\"5\\\" <b> & C:\\\\temp\\ttab\\u0001\\r\\nnext", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(bytes);
        Assert.Equal("Größe \"5\" <b> & C:\\temp\ttab\u0001\r\nnext", document.RootElement.GetProperty("00104000").GetProperty("Value")[0].GetString());
    }

    [Fact]
    public void Leading_spaces_are_kept_where_PS3_5_makes_them_significant()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0010, 0x4000), DicomVR.LT, Encoding.ASCII.GetBytes("  indented  "))
            .AddOrUpdate(new DicomTag(0x0008, 0x0060), DicomVR.CS, Encoding.ASCII.GetBytes(" CT "))
            .AddOrUpdate(new DicomTag(0x0008, 0x0018), DicomVR.UI, Encoding.ASCII.GetBytes("1.2.3\0"));

        Assert.Equal(
            """{"00080018":{"vr":"UI","Value":["1.2.3"]},"00080060":{"vr":"CS","Value":["CT"]},"00104000":{"vr":"LT","Value":["  indented"]}}""",
            DicomJson.Serialize(dataset));
    }

    [Fact]
    public void Binary_VRs_are_inline_base64()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME")
            .AddOrUpdate(new DicomTag(0x0009, 0x1001), DicomVR.OB, new byte[] { 1, 2, 3, 4 })
            .AddOrUpdate(new DicomTag(0x0009, 0x1002), DicomVR.UN, new byte[] { 0xFF })
            .AddOrUpdate(new DicomTag(0x0009, 0x1003), DicomVR.OF, new[] { 1.5f });

        var json = DicomJson.Serialize(dataset);

        Assert.Contains("\"00091001\":{\"vr\":\"OB\",\"InlineBinary\":\"AQIDBA==\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"00091002\":{\"vr\":\"UN\",\"InlineBinary\":\"/w==\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"00091003\":{\"vr\":\"OF\",\"InlineBinary\":\"AADAPw==\"}", json, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 1, 2, 3, 4 }, ((DicomValueElement)DicomJson.Deserialize(json)[new DicomTag(0x0009, 0x1001)]!).Buffer.GetMemory().ToArray());
    }

    [Fact]
    public void Nested_sequences_are_arrays_of_data_set_objects()
    {
        var inner = new DicomDataset().AddOrUpdate(new DicomTag(0x0008, 0x0100), DicomVR.SH, "T-D1100");
        var item = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0008, 0x1150), DicomVR.UI, "1.2.3")
            .AddOrUpdate(new DicomSequence(new DicomTag(0x0040, 0xA168), [inner]));
        var dataset = new DicomDataset().AddOrUpdate(new DicomSequence(new DicomTag(0x0008, 0x1140), [item, new DicomDataset()]));

        var json = DicomJson.Serialize(dataset);

        Assert.Equal(
            """{"00081140":{"vr":"SQ","Value":[{"00081150":{"vr":"UI","Value":["1.2.3"]},"0040A168":{"vr":"SQ","Value":[{"00080100":{"vr":"SH","Value":["T-D1100"]}}]}},{}]}}""",
            json);
        Assert.Equal(json, DicomJson.Serialize(DicomJson.Deserialize(json)));
    }

    [Fact]
    public void Indented_output_is_the_same_document()
    {
        var dataset = DicomFile.Open(TestPaths.Sample("CT_small.dcm")).Dataset;
        var compact = DicomJson.Serialize(dataset);
        var indented = DicomJson.Serialize(dataset, new DicomJsonOptions { WriteIndented = true });

        Assert.Contains('\n', indented);
        Assert.Equal(compact, DicomJson.Serialize(DicomJson.Deserialize(indented)));
    }
}
