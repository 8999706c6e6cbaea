namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>
/// Every conformant sample written back by our writer: in its own transfer syntax the data set is the input's,
/// byte for byte; read back, it equals what was read; and samples with native pixel data survive every
/// uncompressed transfer syntax.
/// </summary>
public class RoundTripTests
{
    private static readonly DicomTransferSyntax[] Uncompressed =
    [
        DicomTransferSyntax.ImplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVRBigEndian,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian,
    ];

    public static TheoryData<string> Conformant() => ConformantSamples.AllRows();

    public static TheoryData<string> NativePixels() => ConformantSamples.NativeRows();

    [Theory]
    [MemberData(nameof(Conformant))]
    public void Writing_in_its_own_transfer_syntax_reproduces_the_data_set_bytes(string name)
    {
        var path = TestPaths.Sample(name);
        var file = DicomFile.Open(path);
        var written = Write(file, file.TransferSyntax);

        var deflated = file.TransferSyntax.IsDeflated;
        var input = Part10Layout.DatasetBytes(File.ReadAllBytes(path), deflated);
        var output = Part10Layout.DatasetBytes(written, deflated);
        if (RoundTripExceptions.NotByteIdentical.TryGetValue(name, out var reason))
        {
            Assert.False(input.AsSpan().SequenceEqual(output), $"{name} is listed as differing ({reason}) but no longer does: remove it from the list");
            if (reason == RewriteDifference.GroupLengthsDropped)
            {
                // Exactly the input without its group lengths.
                input = GroupLengthStripper.StripTopLevel(input, file.TransferSyntax.IsExplicitVR, file.TransferSyntax.IsLittleEndian);
            }
            else
            {
                // The bytes differ as the reason says; the data set read back is the same (values padded at most).
                Assert.Empty(DatasetComparison.Differences(file.Dataset, DicomFile.Read(new MemoryStream(written)).Dataset, compareVR: true));
                return;
            }
        }
        Assert.True(input.AsSpan().SequenceEqual(output), $"{name}: {Part10Layout.FirstDifference(input, output)}");
    }

    [Theory]
    [MemberData(nameof(Conformant))]
    public void Read_write_read_gives_an_equal_data_set(string name)
    {
        var file = DicomFile.Open(TestPaths.Sample(name));
        var again = DicomFile.Read(new MemoryStream(Write(file, file.TransferSyntax)));

        Assert.Equal(file.TransferSyntax, again.TransferSyntax);
        Assert.True(again.IsComplete);
        var differences = DatasetComparison.Differences(file.Dataset, again.Dataset, compareVR: true);
        Assert.True(differences.Count == 0, $"{name}:\n  " + string.Join("\n  ", differences));
    }

    [Theory]
    [MemberData(nameof(NativePixels))]
    public void Native_pixel_samples_read_back_equal_from_every_uncompressed_transfer_syntax(string name)
    {
        var file = DicomFile.Open(TestPaths.Sample(name));
        var failures = new List<string>();
        foreach (var ts in Uncompressed)
        {
            var again = DicomFile.Read(new MemoryStream(Write(file, ts)));
            if (!again.TransferSyntax.Equals(ts)) failures.Add($"{ts.Keyword}: read back as {again.TransferSyntax.Keyword}");
            // Implicit VR carries no VR: the dictionary supplies it on reading, so only values are compared there.
            failures.AddRange(DatasetComparison.Differences(file.Dataset, again.Dataset, compareVR: ts.IsExplicitVR).Select(d => $"{ts.Keyword}: {d}"));
        }
        Assert.True(failures.Count == 0, $"{name}:\n  " + string.Join("\n  ", failures));
    }

    private static byte[] Write(DicomFile file, DicomTransferSyntax ts)
    {
        var stream = new MemoryStream();
        file.WriteTo(stream, ts);
        return stream.ToArray();
    }
}
