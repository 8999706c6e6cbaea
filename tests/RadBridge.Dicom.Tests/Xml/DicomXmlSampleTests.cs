using System.Xml.Linq;

namespace RadBridge.Dicom.Tests.Xml;

public class DicomXmlSampleTests
{
    private static readonly DicomXmlOptions Inline = new() { BulkDataUriFactory = null };

    [Fact]
    public void Every_readable_sample_round_trips_to_the_same_XML_with_file_bulk_data_URIs() =>
        AssertRoundTrips(DicomXmlOptions.Default);

    [Fact]
    public void Every_readable_sample_round_trips_to_the_same_indented_XML_with_everything_inline() =>
        AssertRoundTrips(Inline with { WriteIndented = true });

    private static void AssertRoundTrips(DicomXmlOptions options)
    {
        var failures = new List<string>();
        var covered = 0;
        foreach (var path in SampleCorpus.Files)
        {
            var name = Path.GetFileName(path);
            if (!SampleCorpus.TryOpen(path, out var file, out var problem))
            {
                if (!SampleCorpus.IsOdd(path)) failures.Add($"{name}: unreadable but not marked Odd in MANIFEST.tsv: {problem}");
                continue;
            }
            covered++;
            try
            {
                var first = DicomXml.Serialize(file.Dataset, options);
                failures.AddRange(ModelProblems(XDocument.Parse(first, LoadOptions.PreserveWhitespace)).Take(5).Select(p => $"{name}: {p}"));
                var second = DicomXml.Serialize(DicomXml.Deserialize(first, options), options);
                if (first != second) failures.Add($"{name}: {SampleCorpus.FirstDifference(first, second)}");
            }
            catch (DicomException ex)
            {
                failures.Add($"{name}: {ex.Message}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(covered >= 80, $"only {covered} samples could be read");
    }

    /// <summary>Structural rules of PS3.19 Table A.1.5-2 and the A.1.6 schema, checked on the parsed document.</summary>
    private static IEnumerable<string> ModelProblems(XDocument document)
    {
        var root = document.Root!;
        if (root.Name.LocalName != "NativeDicomModel") yield return "root is not NativeDicomModel";
        if ((string?)root.Attribute(XNamespace.Xml + "space") != "preserve") yield return "no xml:space=\"preserve\"";
        foreach (var a in root.Descendants().Where(e => e.Name.LocalName == "DicomAttribute"))
        {
            var tag = (string?)a.Attribute("tag") ?? "";
            if (tag.Length != 8 || !tag.All(c => char.IsAsciiDigit(c) || (c >= 'A' && c <= 'F'))) yield return $"tag '{tag}'";
            if (a.Attribute("vr") is null) yield return $"{tag}: no vr";
            var group = Convert.ToUInt16(tag[..4], 16);
            var privateData = (group & 1) == 1 && tag[4..6] == "00" && a.Attribute("privateCreator") is not null;
            if (a.Attribute("privateCreator") is not null && !privateData) yield return $"{tag}: privateCreator on a tag that is not gggg00ee";
            if ((group & 1) == 1 && a.Attribute("keyword") is not null) yield return $"{tag}: keyword on a private tag";
            var kinds = a.Elements().Select(e => e.Name.LocalName).Distinct().ToList();
            if (kinds.Count > 1) yield return $"{tag}: mixes {string.Join(", ", kinds)}";
            foreach (var kind in new[] { "Value", "PersonName", "Item" })
            {
                var numbers = a.Elements().Where(e => e.Name.LocalName == kind).Select(e => (int)e.Attribute("number")!).ToList();
                if (!numbers.SequenceEqual(Enumerable.Range(1, numbers.Count))) yield return $"{tag}: {kind} numbers {string.Join(",", numbers)}";
            }
        }
    }

    [Theory]
    [InlineData("chrX1.dcm", "王", "小東")]
    [InlineData("chrX2.dcm", "王", "小东")]
    public void Chinese_person_names_are_split_into_ideographic_components(string sample, string family, string given)
    {
        var xml = DicomXml.Serialize(DicomFile.Open(TestPaths.Sample(sample)).Dataset);
        var name = XDocument.Parse(xml).Root!.Elements("DicomAttribute").Single(e => (string?)e.Attribute("tag") == "00100010");

        var person = name.Element("PersonName")!;
        Assert.Equal("1", (string?)person.Attribute("number"));
        Assert.Equal("Wang", (string?)person.Element("Alphabetic")!.Element("FamilyName"));
        Assert.Equal("XiaoDong", (string?)person.Element("Alphabetic")!.Element("GivenName"));
        Assert.Equal(family, (string?)person.Element("Ideographic")!.Element("FamilyName"));
        Assert.Equal(given, (string?)person.Element("Ideographic")!.Element("GivenName"));
        Assert.Null(person.Element("Phonetic"));
        Assert.Contains($"<FamilyName>{family}</FamilyName>", xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streams_give_the_same_document_as_strings()
    {
        var dataset = DicomFile.Open(TestPaths.Sample("CT_small.dcm")).Dataset;
        foreach (var options in new[] { DicomXmlOptions.Default, Inline })
        {
            using var stream = new MemoryStream();
            await DicomXml.SerializeAsync(stream, dataset, options);
            Assert.Equal(DicomXml.SerializeToUtf8Bytes(dataset, options), stream.ToArray());
            stream.Position = 0;
            Assert.Equal(DicomXml.Serialize(dataset, options), DicomXml.Serialize(await DicomXml.DeserializeAsync(stream, options), options));
        }
    }
}
