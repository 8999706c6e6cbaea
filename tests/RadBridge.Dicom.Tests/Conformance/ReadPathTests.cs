namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>
/// The other ways in and out give what <see cref="DicomFile.Open"/> and the synchronous writer give, on every
/// conformant sample: reading a stream (values in memory, no file to come back to), asynchronously, and writing
/// asynchronously.
/// </summary>
public class ReadPathTests
{
    public static TheoryData<string> Conformant() => ConformantSamples.AllRows();

    [Theory]
    [MemberData(nameof(Conformant))]
    public async Task Stream_and_asynchronous_reads_give_the_data_set_Open_gives(string name)
    {
        var path = TestPaths.Sample(name);
        var opened = DicomFile.Open(path);

        DicomFile fromStream;
        await using (var stream = File.OpenRead(path)) fromStream = DicomFile.Read(stream);
        DicomFile fromStreamAsync;
        await using (var stream = File.OpenRead(path)) fromStreamAsync = await DicomFile.ReadAsync(stream);
        var openedAsync = await DicomFile.OpenAsync(path);

        foreach (var (how, other) in new[] { ("Read", fromStream), ("ReadAsync", fromStreamAsync), ("OpenAsync", openedAsync) })
        {
            Assert.Equal(opened.TransferSyntax, other.TransferSyntax);
            Assert.Equal(opened.Warnings, other.Warnings);
            var differences = DatasetComparison.Differences(opened.Dataset, other.Dataset, compareVR: true);
            Assert.True(differences.Count == 0, $"{name} via {how}:\n  " + string.Join("\n  ", differences));
        }
    }

    [Theory]
    [MemberData(nameof(Conformant))]
    public async Task Asynchronous_writing_gives_the_bytes_synchronous_writing_gives(string name)
    {
        var file = DicomFile.Open(TestPaths.Sample(name));
        var sync = new MemoryStream();
        file.WriteTo(sync);
        var async = new MemoryStream();
        await file.WriteToAsync(async);

        Assert.Equal(sync.ToArray(), async.ToArray());
    }
}
