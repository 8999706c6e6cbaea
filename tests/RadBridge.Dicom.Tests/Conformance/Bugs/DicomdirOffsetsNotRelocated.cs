namespace RadBridge.Dicom.Tests.Conformance.Bugs;

/// <summary>
/// Bug: rewriting a DICOMDIR kept its record offsets although the new File Meta moved every record, so pydicom
/// failed on the copy (KeyError on an offset) and DCMTK found no records (found on DICOMDIR.dcm).
/// </summary>
public class DicomdirOffsetsNotRelocated
{
    private static readonly DicomTag FirstRecord = new(0x0004, 0x1200);
    private static readonly DicomTag Records = new(0x0004, 0x1220);
    private static readonly DicomTag NextRecord = new(0x0004, 0x1400);
    private static readonly DicomTag LowerLevel = new(0x0004, 0x1420);

    [Theory]
    [InlineData("1.2.840.10008.1.2.1")]
    [InlineData("1.2.840.10008.1.2")]
    public void Every_offset_of_the_rewritten_DICOMDIR_points_at_the_record_it_named(string transferSyntax)
    {
        var source = DicomFile.Open(TestPaths.Sample("DICOMDIR.dcm"));
        var stream = new MemoryStream();
        source.WriteTo(stream, DicomTransferSyntax.Lookup(transferSyntax));
        var bytes = stream.ToArray();
        var copy = DicomFile.Read(new MemoryStream(bytes));

        var sourceRecords = source.Dataset.GetSequence(Records)!.Items;
        var copyRecords = copy.Dataset.GetSequence(Records)!.Items;
        var sourceIndex = IndexByOffset(source, File.ReadAllBytes(TestPaths.Sample("DICOMDIR.dcm")));
        var copyIndex = IndexByOffset(copy, bytes);
        Assert.Equal(sourceRecords.Count, copyIndex.Count);

        Assert.Equal(sourceIndex[source.Dataset.GetValue<uint>(FirstRecord)], copyIndex[copy.Dataset.GetValue<uint>(FirstRecord)]);
        for (var i = 0; i < sourceRecords.Count; i++)
        {
            foreach (var tag in new[] { NextRecord, LowerLevel })
            {
                var before = sourceRecords[i].GetValue<uint>(tag);
                var after = copyRecords[i].GetValue<uint>(tag);
                Assert.Equal(before == 0 ? -1 : sourceIndex[before], after == 0 ? -1 : copyIndex[after]);
            }
        }
    }

    /// <summary>Record index by the file offset of its item tag (FE FF 00 E0), found in the bytes, not by our reader.</summary>
    private static Dictionary<uint, int> IndexByOffset(DicomFile file, byte[] bytes)
    {
        // Every offset the records use names an item start; check those bytes are an item tag and number the
        // records in file order.
        var offsets = file.Dataset.GetSequence(Records)!.Items
            .SelectMany(r => new[] { r.GetValue<uint>(NextRecord), r.GetValue<uint>(LowerLevel) })
            .Append(file.Dataset.GetValue<uint>(FirstRecord))
            .Where(o => o != 0).Distinct().Order().ToList();
        foreach (var o in offsets) Assert.True(bytes.AsSpan((int)o, 4).SequenceEqual(new byte[] { 0xFE, 0xFF, 0x00, 0xE0 }), $"offset {o} is no item");
        var index = new Dictionary<uint, int>();
        var n = 0;
        for (var i = 0; i + 4 <= bytes.Length; i++)
        {
            if (offsets.Contains((uint)i)) index[(uint)i] = n++;
        }
        return index;
    }
}
