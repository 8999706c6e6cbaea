using System.Text;

namespace RadBridge.Dicom.Tests.Json;

public class DicomJsonReaderTests
{
    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);
    private static readonly DicomTag PatientName = new(0x0010, 0x0010);
    private static readonly DicomTag PatientComments = new(0x0010, 0x4000);

    private static byte[] Stored(DicomDataset dataset, DicomTag tag) => ((DicomValueElement)dataset[tag]!).Buffer.GetMemory().ToArray();

    [Fact]
    public void Person_name_objects_become_component_groups_joined_by_equals_signs()
    {
        var dataset = DicomJson.Deserialize("""
            {"00100010":{"vr":"PN","Value":[
              {"Alphabetic":"Yamada^Tarou","Ideographic":"山田^太郎","Phonetic":"やまだ^たろう"},
              {"Ideographic":"山田"},
              null,
              {"Alphabetic":"Smith"},
              "Plain^String"]}}
            """);

        Assert.Equal(["Yamada^Tarou=山田^太郎=やまだ^たろう", "=山田", "", "Smith", "Plain^String"], dataset.GetStrings(PatientName));
    }

    [Fact]
    public void Non_ASCII_text_without_a_declared_character_set_is_stored_as_UTF_8_with_ISO_IR_192()
    {
        var dataset = DicomJson.Deserialize("""{"00100010":{"vr":"PN","Value":[{"Alphabetic":"Wang^XiaoDong","Ideographic":"王^小東"}]}}""");

        Assert.Equal(["ISO_IR 192"], dataset.SpecificCharacterSet);
        Assert.Equal(Encoding.UTF8.GetBytes("Wang^XiaoDong=王^小東"), Stored(dataset, PatientName).AsSpan().TrimEnd((byte)' ').ToArray());
    }

    [Fact]
    public void Text_the_declared_character_set_can_hold_is_stored_in_it()
    {
        var dataset = DicomJson.Deserialize("""
            {"00080005":{"vr":"CS","Value":["ISO_IR 100"]},
             "00100010":{"vr":"PN","Value":[{"Alphabetic":"Buc^Jérôme"}]}}
            """);

        Assert.Equal(["ISO_IR 100"], dataset.SpecificCharacterSet);
        Assert.Equal(Encoding.Latin1.GetBytes("Buc^Jérôme"), Stored(dataset, PatientName).AsSpan().TrimEnd((byte)' ').ToArray());
    }

    [Fact]
    public void Text_the_declared_character_set_cannot_hold_switches_the_data_set_to_ISO_IR_192()
    {
        var dataset = DicomJson.Deserialize("""
            {"00080005":{"vr":"CS","Value":["ISO_IR 100"]},
             "00100010":{"vr":"PN","Value":[{"Alphabetic":"Buc^Jérôme"}]},
             "00104000":{"vr":"LT","Value":["王"]}}
            """);

        Assert.Equal(["ISO_IR 192"], dataset.SpecificCharacterSet);
        Assert.Equal("Buc^Jérôme", dataset.GetString(PatientName));
        Assert.Equal(Encoding.UTF8.GetBytes("Buc^Jérôme"), Stored(dataset, PatientName).AsSpan().TrimEnd((byte)' ').ToArray());
        Assert.Equal("王", dataset.GetString(PatientComments));
    }

    [Fact]
    public void A_character_set_arriving_after_the_text_still_encodes_that_text()
    {
        // Producers that do not sort their attributes: the text must end up in the declared character set.
        var dataset = DicomJson.Deserialize("""
            {"00100010":{"vr":"PN","Value":[{"Alphabetic":"Wang^XiaoDong","Ideographic":"王^小東"}]},
             "00080005":{"vr":"CS","Value":["ISO_IR 192"]}}
            """);

        Assert.Equal(["ISO_IR 192"], dataset.SpecificCharacterSet);
        Assert.Equal("Wang^XiaoDong=王^小東", dataset.GetString(PatientName));
    }

    [Fact]
    public void Text_in_a_sequence_item_widens_the_character_set_of_the_data_set_it_inherits_from()
    {
        var dataset = DicomJson.Deserialize("""
            {"00081110":{"vr":"SQ","Value":[{"00104000":{"vr":"LT","Value":["王"]}}]}}
            """);

        Assert.Equal(["ISO_IR 192"], dataset.SpecificCharacterSet);
        var item = Assert.Single(dataset.GetSequence(new DicomTag(0x0008, 0x1110))!.Items);
        Assert.Same(dataset, item.Parent);
        Assert.Equal("王", item.GetString(PatientComments));
    }

    [Fact]
    public void The_vr_may_follow_the_value_and_unknown_properties_are_ignored()
    {
        var dataset = DicomJson.Deserialize("""{"00280010":{"Value":[512],"keyword":"Rows","vr":"US"}}""");

        Assert.Equal((ushort)512, dataset.GetValue<ushort>(new DicomTag(0x0028, 0x0010)));
    }

    [Fact]
    public void A_data_set_array_round_trips()
    {
        var first = new DicomDataset().AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, "1.2.3");
        var second = new DicomDataset().AddOrUpdate(new DicomTag(0x0020, 0x000D), DicomVR.UI, "1.2.4");

        var json = DicomJson.Serialize([first, second]);

        Assert.Equal("""[{"0020000D":{"vr":"UI","Value":["1.2.3"]}},{"0020000D":{"vr":"UI","Value":["1.2.4"]}}]""", json);
        var back = DicomJson.DeserializeArray(json);
        Assert.Equal(["1.2.3", "1.2.4"], back.Select(d => d.GetString(new DicomTag(0x0020, 0x000D))));
        Assert.Empty(DicomJson.DeserializeArray("[]"));
    }

    [Fact]
    public async Task Streams_give_the_same_document_as_strings()
    {
        var dataset = DicomFile.Open(TestPaths.Sample("CT_small.dcm")).Dataset;
        var expected = DicomJson.Serialize(dataset);

        using var one = new MemoryStream();
        await DicomJson.SerializeAsync(one, dataset);
        Assert.Equal(expected, Encoding.UTF8.GetString(one.ToArray()));
        one.Position = 0;
        Assert.Equal(expected, DicomJson.Serialize(await DicomJson.DeserializeAsync(one)));

        // Lazy values written inline are read asynchronously first.
        var inline = new DicomJsonOptions { BulkDataUriFactory = null };
        using var inlined = new MemoryStream();
        await DicomJson.SerializeAsync(inlined, dataset, inline);
        Assert.Equal(DicomJson.Serialize(dataset, inline), Encoding.UTF8.GetString(inlined.ToArray()));

        using var many = new MemoryStream();
        await DicomJson.SerializeAsync(many, Produce(dataset, 3));
        Assert.Equal(DicomJson.Serialize([dataset, dataset, dataset]), Encoding.UTF8.GetString(many.ToArray()));
        many.Position = 0;
        Assert.Equal(3, (await DicomJson.DeserializeArrayAsync(many)).Count);
    }

    private static async IAsyncEnumerable<DicomDataset> Produce(DicomDataset dataset, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return dataset;
        }
    }

    [Fact]
    public void A_byte_order_mark_before_the_document_is_accepted()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes("""{"00100020":{"vr":"LO","Value":["X"]}}""")).ToArray();

        Assert.Equal("X", DicomJson.Deserialize(new MemoryStream(bytes)).GetString(new DicomTag(0x0010, 0x0020)));
    }

    [Theory]
    [InlineData("""{"00100010":{"vr":"PN","Value":[{"Alphabetic":1}]}}""", "(0010,0010)", "component group")]
    [InlineData("""{"00280010":{"vr":"US","Value":[70000]}}""", "(0028,0010)", "'70000' is not a valid US value")]
    [InlineData("""{"00280010":{"vr":"US","Value":[null]}}""", "(0028,0010)", "Null")]
    [InlineData("""{"0010001G":{"vr":"LO"}}""", "0010001G", "not a tag")]
    [InlineData("""{"00100020":{"vr":"XX"}}""", "(0010,0020)", "not a Value Representation")]
    [InlineData("""{"00100020":{"vr":"LO","Value":"X"}}""", "(0010,0020)", "not an array")]
    [InlineData("""{"7FE00010":{"vr":"OB","Value":["AAAA"]}}""", "(7FE0,0010)", "InlineBinary or BulkDataURI")]
    [InlineData("""{"7FE00010":{"vr":"OB","InlineBinary":"not base64!"}}""", "(7FE0,0010)", "not base64")]
    [InlineData("""{"00100020":{"vr":"LO","Value":["A"],"InlineBinary":"AA=="}}""", "(0010,0020)", "more than one")]
    [InlineData("""{"00091001":{"Value":["A"]}}""", "(0009,1001)", "not in the dictionary")]
    [InlineData("""{"00081110":{"vr":"SQ","Value":[{"00100020":{"vr":"LO","Value":[true]}}]}}""", "(0008,1110)[0] (0010,0020)", "True")]
    [InlineData("""{"00100020":{"vr":"LO","Value":["A"]""", "(0010,0020)", "")]
    [InlineData("""{"00100020":{"vr":"LO"}} x""", "", "")]
    [InlineData("""[]""", "", "expected a data set object")]
    [InlineData("", "", "empty")]
    public void Malformed_JSON_is_a_DicomException_naming_the_attribute(string json, string where, string problem)
    {
        var ex = Assert.ThrowsAny<DicomException>(() => DicomJson.Deserialize(json));

        Assert.StartsWith("DICOM JSON", ex.Message, StringComparison.Ordinal);
        Assert.Contains(where, ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bulk_data_URI_without_a_resolver_is_an_error_naming_it()
    {
        const string json = """{"7FE00010":{"vr":"OW","BulkDataURI":"https://pacs.example/studies/1/bulk/7FE00010"}}""";

        var ex = Assert.Throws<DicomException>(() => DicomJson.Deserialize(json));

        Assert.Contains("(7FE0,0010)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("https://pacs.example/studies/1/bulk/7FE00010", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bulk_data_URI_is_resolved_by_the_resolver_given()
    {
        const string json = """{"7FE00010":{"vr":"OW","BulkDataURI":"https://pacs.example/bulk/1"}}""";
        var asked = new List<string>();
        var options = new DicomJsonOptions
        {
            BulkDataResolver = uri =>
            {
                asked.Add(uri);
                return DicomBuffer.FromMemory(new byte[] { 1, 0, 2, 0 });
            },
        };

        var dataset = DicomJson.Deserialize(json, options);

        Assert.Equal(["https://pacs.example/bulk/1"], asked);
        Assert.Equal(new ushort[] { 1, 2 }, dataset.GetValues<ushort>(new DicomTag(0x7FE0, 0x0010)));
    }
}
