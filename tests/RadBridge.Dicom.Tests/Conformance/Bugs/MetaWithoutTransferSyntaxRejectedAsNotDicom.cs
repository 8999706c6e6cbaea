namespace RadBridge.Dicom.Tests.Conformance.Bugs;

/// <summary>
/// Bug: a Part 10 file whose File Meta lacks the Transfer Syntax UID was rejected as "not a DICOM file: no Part 10
/// header" when its data set began with an unusual group, because the check meant for headerless files (first group
/// small and even) also ran after a File Meta (found on meta_missing_tsyntax.dcm, which pydicom reads).
/// </summary>
public class MetaWithoutTransferSyntaxRejectedAsNotDicom
{
    [Fact]
    public void The_data_set_after_a_File_Meta_without_Transfer_Syntax_UID_is_read_in_its_detected_encoding()
    {
        var file = DicomFile.Open(TestPaths.Sample("meta_missing_tsyntax.dcm"));

        Assert.True(file.HasPreamble);
        Assert.Equal(DicomTransferSyntax.ImplicitVRLittleEndian, file.TransferSyntax);
        Assert.Contains(file.Warnings, w => w.Contains("no Transfer Syntax UID", StringComparison.Ordinal));
        Assert.Single(file.Dataset.GetSequence(new DicomTag(0x0001, 0x0001))!.Items);
        Assert.True(file.Dataset.Contains(DicomTags.PixelData));
    }

    [Fact]
    public void Garbage_after_a_File_Meta_without_Transfer_Syntax_UID_is_reported_as_such()
    {
        // Preamble, "DICM", (0002,0001) OB 00\01 and (0002,0012) UI "1.2", then zeros, which are no data element.
        byte[] meta =
        [
            0x02, 0x00, 0x01, 0x00, (byte)'O', (byte)'B', 0, 0, 2, 0, 0, 0, 0x00, 0x01,
            0x02, 0x00, 0x12, 0x00, (byte)'U', (byte)'I', 4, 0, (byte)'1', (byte)'.', (byte)'2', 0,
        ];
        var bytes = new byte[128].Concat("DICM"u8.ToArray()).Concat(meta).Concat(new byte[16]).ToArray();

        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Read(new MemoryStream(bytes)));

        Assert.Contains("after the File Meta", ex.Message, StringComparison.Ordinal);
        Assert.Equal(128 + 4 + meta.Length, ex.Offset);
    }
}
