using System.Text.Json;

namespace RadBridge.Dicom.Tests.Json;

public class DicomJsonSampleTests
{
    private static readonly DicomJsonOptions Inline = new() { BulkDataUriFactory = null };

    // Small samples: a low lazy threshold leaves their fragments on disk as a large image's would be.
    private static readonly DicomReadOptions FragmentsOnDisk = new() { LazyThreshold = 64 };

    [Fact]
    public void Every_readable_sample_round_trips_to_the_same_JSON_with_file_bulk_data_URIs() =>
        AssertRoundTrips(DicomJsonOptions.Default);

    [Fact]
    public void Every_readable_sample_round_trips_to_the_same_JSON_with_everything_inline() =>
        AssertRoundTrips(Inline);

    private static void AssertRoundTrips(DicomJsonOptions options)
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
                var first = DicomJson.Serialize(file.Dataset, options);
                using (var document = JsonDocument.Parse(first))
                {
                    failures.AddRange(JsonModelCheck.Problems(document.RootElement).Take(5).Select(p => $"{name}: {p}"));
                }
                var second = DicomJson.Serialize(DicomJson.Deserialize(first, options), options);
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

    [Theory]
    [InlineData("chrX1.dcm", "Wang^XiaoDong", "王^小東", "ISO_IR 192")]
    [InlineData("chrX2.dcm", "Wang^XiaoDong", "王^小东", "GB18030")]
    public void Chinese_person_names_are_written_unescaped_in_their_component_groups(string sample, string alphabetic, string ideographic, string charset)
    {
        var file = DicomFile.Open(TestPaths.Sample(sample));
        var json = DicomJson.Serialize(file.Dataset);

        Assert.Contains($"\"00100010\":{{\"vr\":\"PN\",\"Value\":[{{\"Alphabetic\":\"{alphabetic}\",\"Ideographic\":\"{ideographic}\"}}]}}", json, StringComparison.Ordinal);
        Assert.Contains($"\"00080005\":{{\"vr\":\"CS\",\"Value\":[\"{charset}\"]}}", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        var name = document.RootElement.GetProperty("00100010").GetProperty("Value")[0];
        Assert.Equal(alphabetic, name.GetProperty("Alphabetic").GetString());
        Assert.Equal(ideographic, name.GetProperty("Ideographic").GetString());
        Assert.False(name.TryGetProperty("Phonetic", out _), "the empty phonetic group is left out");
    }

    [Theory]
    [InlineData("chrX1.dcm")]
    [InlineData("chrX2.dcm")]
    public void Chinese_names_read_back_are_encoded_in_the_declared_character_set_byte_for_byte(string sample)
    {
        var original = DicomFile.Open(TestPaths.Sample(sample)).Dataset;
        var back = DicomJson.Deserialize(DicomJson.Serialize(original));

        Assert.Equal(original.SpecificCharacterSet, back.SpecificCharacterSet);
        var tag = new DicomTag(0x0010, 0x0010);
        // The file keeps a trailing "=" for its empty phonetic group; JSON has no such group, so it is not written back.
        var stored = ((DicomValueElement)original[tag]!).Buffer.GetMemory().ToArray();
        var expected = stored.AsSpan().TrimEnd((byte)' ').TrimEnd((byte)'=').ToArray();
        Assert.Equal(expected, ((DicomValueElement)back[tag]!).Buffer.GetMemory().ToArray());
    }

    [Fact]
    public void Encapsulated_pixel_data_round_trips_as_fragments_inline_and_by_file_URI()
    {
        var path = TestPaths.Sample("SC_rgb_rle_16bit_2frame.dcm");
        var original = (DicomFragmentSequence)DicomFile.Open(path).Dataset[new DicomTag(0x7FE0, 0x0010)]!;
        Assert.True(original.Fragments.Count >= 2);

        foreach (var options in new[] { DicomJsonOptions.Default, Inline })
        {
            var file = DicomFile.Open(path, FragmentsOnDisk);
            var json = DicomJson.Serialize(file.Dataset, options);
            // This sample declares its encapsulated Pixel Data OW (PS3.5 wants OB); the VR is kept as read.
            Assert.Contains(options == Inline ? "\"7FE00010\":{\"vr\":\"OW\",\"InlineBinary\":\"" : "\"7FE00010\":{\"vr\":\"OW\",\"BulkDataURI\":\"file://", json, StringComparison.Ordinal);
            var back = Assert.IsType<DicomFragmentSequence>(DicomJson.Deserialize(json, options)[new DicomTag(0x7FE0, 0x0010)]);
            Assert.Equal(original.Fragments.Count, back.Fragments.Count);
            Assert.Equal(original.OffsetTable.GetMemory().ToArray(), back.OffsetTable.GetMemory().ToArray());
            for (var i = 0; i < original.Fragments.Count; i++)
                Assert.Equal(original.Fragments[i].GetMemory().ToArray(), back.Fragments[i].GetMemory().ToArray());
            if (options != Inline) Assert.All(back.Fragments, f => Assert.True(f.IsLazy, "fragments behind a file URI stay on disk"));
        }
    }

    [Fact]
    public void The_file_URI_of_encapsulated_pixel_data_spans_its_items_from_offset_table_to_delimiter()
    {
        var path = TestPaths.Sample("JPEG2000.dcm");
        var json = DicomJson.Serialize(DicomFile.Open(path, FragmentsOnDisk).Dataset, new DicomJsonOptions { BulkDataThreshold = 0 });
        using var document = JsonDocument.Parse(json);
        var uri = new Uri(document.RootElement.GetProperty("7FE00010").GetProperty("BulkDataURI").GetString()!);
        var query = uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture));
        var bytes = File.ReadAllBytes(uri.LocalPath).AsSpan((int)query["offset"], (int)query["length"]);

        Assert.Equal(Path.GetFullPath(path), uri.LocalPath);
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0x00, 0xE0 }, bytes[..4].ToArray());
        Assert.Equal(new byte[] { 0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0 }, bytes[^8..].ToArray());
    }

    [Fact]
    public void A_big_endian_value_left_in_its_file_is_referenced_with_its_swap_and_reads_back_little_endian()
    {
        var path = TestPaths.Sample("MR_small_bigendian.dcm");
        var dataset = DicomFile.Open(path).Dataset;
        var pixels = (DicomValueElement)dataset[new DicomTag(0x7FE0, 0x0010)]!;
        Assert.True(pixels.Buffer.IsLazy);

        var json = DicomJson.Serialize(dataset);
        Assert.Contains("&swap=2\"", json, StringComparison.Ordinal);
        var back = (DicomValueElement)DicomJson.Deserialize(json)[new DicomTag(0x7FE0, 0x0010)]!;
        // MR_small.dcm holds the same pixels little endian (see the samples' README).
        var littleEndian = (DicomValueElement)DicomFile.Open(TestPaths.Sample("MR_small.dcm")).Dataset[new DicomTag(0x7FE0, 0x0010)]!;
        Assert.Equal(littleEndian.Buffer.GetMemory().ToArray(), back.Buffer.GetMemory().ToArray());
    }
}
