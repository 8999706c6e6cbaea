using System.Text.Json;

namespace RadBridge.Dicom.Tests.Json;

public class DicomJsonBulkDataTests
{
    private static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    /// <summary>A value that is "on disk" and must not be read: reading it fails the test.</summary>
    private sealed class UntouchableBuffer(long length) : DicomBuffer
    {
        public override long Length => length;
        public override bool IsLazy => true;
        public override ReadOnlyMemory<byte> GetMemory() => throw new InvalidOperationException("a lazy bulk value was loaded");
    }

    [Fact]
    public void Values_over_the_threshold_go_to_the_factory_with_their_path_and_the_others_stay_inline()
    {
        var references = new List<DicomBulkDataReference>();
        var options = new DicomJsonOptions
        {
            BulkDataThreshold = 8,
            BulkDataUriFactory = r =>
            {
                references.Add(r);
                return "https://pacs.example/bulk/" + r.FormatPath();
            },
        };
        var item = new DicomDataset().AddOrUpdate(new DicomTag(0x0028, 0x1201), DicomVR.OW, new ushort[] { 1, 2, 3, 4, 5 });
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomTag(0x0009, 0x0010), DicomVR.LO, "ACME")
            .AddOrUpdate(new DicomTag(0x0009, 0x1001), DicomVR.OB, new byte[8])
            .AddOrUpdate(new DicomSequence(new DicomTag(0x0028, 0x3010), [new DicomDataset(), item]))
            .AddOrUpdate(new DicomTag(0x0028, 0x0010), DicomVR.US, new ushort[] { 1, 2, 3, 4, 5, 6, 7, 8 });

        var json = DicomJson.Serialize(dataset, options);

        var reference = Assert.Single(references);
        Assert.Equal(new DicomTag(0x0028, 0x1201), reference.Element.Tag);
        Assert.Equal(10, reference.Length);
        Assert.Equal([new DicomItemStep(new DicomTag(0x0028, 0x3010), 1)], reference.Path);
        Assert.Contains("\"00281201\":{\"vr\":\"OW\",\"BulkDataURI\":\"https://pacs.example/bulk/00283010/1/00281201\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"00091001\":{\"vr\":\"OB\",\"InlineBinary\":\"AAAAAAAAAAA=\"}", json, StringComparison.Ordinal);
        Assert.Contains("\"00280010\":{\"vr\":\"US\",\"Value\":[1,2,3,4,5,6,7,8]}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_left_on_disk_is_referenced_without_being_read()
    {
        var dataset = new DicomDataset()
            .AddOrUpdate(new DicomValueElement(PixelData, DicomVR.OW, new UntouchableBuffer(1 << 20)))
            .AddOrUpdate(new DicomValueElement(new DicomTag(0x0010, 0x4000), DicomVR.LT, new UntouchableBuffer(5000)));
        var options = new DicomJsonOptions { BulkDataUriFactory = r => "urn:bulk:" + r.Element.Tag.ToHexString() };

        var json = DicomJson.Serialize(dataset, options);

        Assert.Equal(
            """{"00104000":{"vr":"LT","BulkDataURI":"urn:bulk:00104000"},"7FE00010":{"vr":"OW","BulkDataURI":"urn:bulk:7FE00010"}}""",
            json);
    }

    [Fact]
    public async Task Writing_asynchronously_does_not_read_values_it_references()
    {
        var dataset = new DicomDataset().AddOrUpdate(new DicomValueElement(PixelData, DicomVR.OW, new UntouchableBuffer(1 << 20)));
        using var stream = new MemoryStream();

        await DicomJson.SerializeAsync(stream, dataset, new DicomJsonOptions { BulkDataUriFactory = _ => "urn:x" });

        Assert.Equal("""{"7FE00010":{"vr":"OW","BulkDataURI":"urn:x"}}""", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public void A_value_in_memory_over_the_threshold_is_inline_when_the_factory_declines_it()
    {
        var bytes = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();
        var dataset = new DicomDataset().AddOrUpdate(PixelData, DicomVR.OB, bytes);

        var json = DicomJson.Serialize(dataset);

        using var document = JsonDocument.Parse(json);
        Assert.Equal(bytes, document.RootElement.GetProperty("7FE00010").GetProperty("InlineBinary").GetBytesFromBase64());
    }

    [Fact]
    public void The_default_factory_names_the_byte_range_of_a_lazy_file_value_and_reading_resolves_it_lazily()
    {
        var path = TestPaths.Sample("CT_small.dcm");
        var file = DicomFile.Open(path);
        var pixels = Assert.IsType<FileDicomBuffer>(((DicomValueElement)file.Dataset[PixelData]!).Buffer);

        var json = DicomJson.Serialize(file.Dataset);

        var expectedUri = $"{new Uri(Path.GetFullPath(path)).AbsoluteUri}?offset={pixels.Offset}&length={pixels.ValueLength}";
        Assert.Contains($"\"7FE00010\":{{\"vr\":\"OW\",\"BulkDataURI\":\"{expectedUri}\"}}", json, StringComparison.Ordinal);
        var back = Assert.IsType<FileDicomBuffer>(((DicomValueElement)DicomJson.Deserialize(json)[PixelData]!).Buffer);
        Assert.Equal((pixels.Path, pixels.Offset, pixels.ValueLength), (back.Path, back.Offset, back.ValueLength));
        Assert.Equal(pixels.GetMemory().ToArray(), back.GetMemory().ToArray());
    }

    [Fact]
    public void File_URIs_with_unusual_characters_in_the_path_resolve_to_the_same_file()
    {
        var directory = Directory.CreateTempSubdirectory("radbridge json #1 ");
        try
        {
            var path = Path.Combine(directory.FullName, "a b%20c#d.dcm");
            File.Copy(TestPaths.Sample("CT_small.dcm"), path);
            var file = DicomFile.Open(path);
            var original = ((DicomValueElement)file.Dataset[PixelData]!).Buffer.GetMemory().ToArray();

            var back = DicomJson.Deserialize(DicomJson.Serialize(file.Dataset));

            var buffer = Assert.IsType<FileDicomBuffer>(((DicomValueElement)back[PixelData]!).Buffer);
            Assert.Equal(path, buffer.Path);
            Assert.Equal(original, buffer.GetMemory().ToArray());
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("file:///nonexistent/radbridge/x.dcm?offset=0&length=4", "does not exist")]
    [InlineData("file:///etc/hostname?offset=0", "only one of offset and length")]
    [InlineData("file:///etc/hostname?offset=x&length=1", "not a number")]
    [InlineData("file:///etc/hostname?start=0&length=1", "unknown parameter")]
    [InlineData("file:///etc/hostname?offset=0&length=999999999", "past the end")]
    public void Bad_file_URIs_are_errors_naming_the_URI_and_the_attribute(string uri, string problem)
    {
        var json = $"{{\"7FE00010\":{{\"vr\":\"OB\",\"BulkDataURI\":\"{uri}\"}}}}";

        var ex = Assert.Throws<DicomException>(() => DicomJson.Deserialize(json));

        Assert.Contains("(7FE0,0010)", ex.Message, StringComparison.Ordinal);
        Assert.Contains(uri, ex.Message, StringComparison.Ordinal);
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_URI_without_a_range_means_the_whole_file()
    {
        var path = TestPaths.Sample("CT_small.dcm");
        var json = $"{{\"00420011\":{{\"vr\":\"OB\",\"BulkDataURI\":\"{new Uri(path).AbsoluteUri}\"}}}}";

        var buffer = ((DicomValueElement)DicomJson.Deserialize(json)[new DicomTag(0x0042, 0x0011)]!).Buffer;

        Assert.True(buffer.IsLazy);
        Assert.Equal(File.ReadAllBytes(path), buffer.GetMemory().ToArray());
    }

    [Fact]
    public void Inline_encapsulated_pixel_data_is_its_value_field_and_reads_back_as_fragments()
    {
        var fragments = new DicomFragmentSequence(PixelData, DicomVR.OB, DicomBuffer.FromMemory(new byte[] { 0, 0, 0, 0 }),
            [DicomBuffer.FromMemory(new byte[] { 0xFF, 0xD8, 0xFF, 0xD9 }), DicomBuffer.FromMemory(new byte[] { 1, 2 })]);
        var dataset = new DicomDataset().AddOrUpdate(fragments);

        var json = DicomJson.Serialize(dataset);

        using var document = JsonDocument.Parse(json);
        var bytes = document.RootElement.GetProperty("7FE00010").GetProperty("InlineBinary").GetBytesFromBase64();
        Assert.Equal(
            new byte[]
            {
                0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0, 0, 0, 0,
                0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 0xFF, 0xD8, 0xFF, 0xD9,
                0xFE, 0xFF, 0x00, 0xE0, 2, 0, 0, 0, 1, 2,
                0xFE, 0xFF, 0xDD, 0xE0, 0, 0, 0, 0,
            },
            bytes);
        var back = Assert.IsType<DicomFragmentSequence>(DicomJson.Deserialize(json)[PixelData]);
        Assert.Equal([4L, 2L], back.Fragments.Select(f => f.Length));
    }

    [Fact]
    public void Native_pixel_data_that_only_starts_like_an_item_stays_native()
    {
        // Starts with an item tag but is not a complete item structure ending in a delimiter.
        var bytes = new byte[] { 0xFE, 0xFF, 0x00, 0xE0, 4, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        var dataset = new DicomDataset().AddOrUpdate(PixelData, DicomVR.OB, bytes);

        var back = DicomJson.Deserialize(DicomJson.Serialize(dataset));

        Assert.Equal(bytes, Assert.IsType<DicomValueElement>(back[PixelData]).Buffer.GetMemory().ToArray());
    }
}
