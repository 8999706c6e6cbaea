namespace RadBridge.Dicom;

/// <summary>
/// Keeps a DICOMDIR (PS3.10 §8, PS3.3 F.3) valid when it is rewritten: its directory records refer to one another
/// by the byte offset of the record's item in the file (Offset of the First/Last Directory Record of the Root
/// Directory Entity, Offset of the Next Directory Record, Offset of Referenced Lower-Level Directory Entity). A new
/// File Meta or another transfer syntax moves every record, so each offset is mapped from the record it named in the
/// source file to where that record is written.
/// </summary>
internal static class DicomDirectoryOffsets
{
    private static readonly DicomTag DirectoryRecordSequence = new(0x0004, 0x1220);
    private static readonly DicomTag[] RootOffsets = [new(0x0004, 0x1200), new(0x0004, 0x1202)];
    private static readonly DicomTag[] RecordOffsets = [new(0x0004, 0x1400), new(0x0004, 0x1420)];
    private static readonly DicomTag MetaGroupLength = new(0x0002, 0x0000);

    /// <summary>
    /// The data set to write: <paramref name="file"/>'s own when it is no DICOMDIR or no record moves, else a copy with
    /// the offsets mapped. <paramref name="datasetStart"/> is where the data set starts in the file being written.
    /// </summary>
    /// <exception cref="DicomException">An offset does not name a record of the source file, so it cannot be mapped.</exception>
    public static DicomDataset Relocate(DicomFile file, DicomTransferSyntax ts, long datasetStart, DicomWriteOptions options)
    {
        var dataset = file.Dataset;
        if (dataset.GetSequence(DirectoryRecordSequence) is not { Items.Count: > 0 } records) return dataset;

        // A data set built in memory (no File Meta read) already holds the offsets its builder means.
        if (file.FileMetaInformation.Count == 0) return dataset;
        // Where the records were: the source data set started after its File Meta, whose group length says how long
        // it was (the reader keeps group 0002 as read).
        if (!file.FileMetaInformation.TryGetValue<uint>(MetaGroupLength, 0, out var metaLength))
            throw new DicomException("the DICOMDIR's File Meta has no group length (0002,0000), so its record offsets cannot be mapped to the file being written");
        var sourceStart = (file.HasPreamble ? 132 : 0) + 12 + (long)metaLength;
        var before = RecordPositions(dataset, records, file.TransferSyntax, sourceStart, options);
        var after = RecordPositions(dataset, records, ts, datasetStart, options);
        if (before.SequenceEqual(after)) return dataset;

        var map = new Dictionary<long, long>(before.Length);
        for (var i = 0; i < before.Length; i++) map[before[i]] = after[i];
        var copy = dataset.Clone();
        Remap(copy, RootOffsets, map);
        foreach (var record in copy.GetSequence(DirectoryRecordSequence)!.Items) Remap(record, RecordOffsets, map);
        return copy;
    }

    /// <summary>Byte offset in the file of each record's item, when the data set is encoded in <paramref name="ts"/> from <paramref name="start"/>.</summary>
    private static long[] RecordPositions(DicomDataset dataset, DicomSequence records, DicomTransferSyntax ts, long start, DicomWriteOptions options)
    {
        var pos = start;
        foreach (var e in dataset)
        {
            if (e.Tag == DirectoryRecordSequence) break;
            pos += DicomWriter.ElementLength(e, ts.IsExplicitVR, options);
        }
        pos += ts.IsExplicitVR ? 12 : 8;
        var positions = new long[records.Items.Count];
        for (var i = 0; i < positions.Length; i++)
        {
            var item = records.Items[i];
            positions[i] = pos;
            pos += 8 + DicomWriter.DatasetLength(item, ts.IsExplicitVR, options) + (options.UndefinedLengthSequences || item.UndefinedLength ? 8 : 0);
        }
        return positions;
    }

    private static void Remap(DicomDataset dataset, DicomTag[] tags, Dictionary<long, long> map)
    {
        foreach (var tag in tags)
        {
            if (!dataset.TryGetValue<uint>(tag, 0, out var offset) || offset == 0) continue; // 0: no such record
            if (!map.TryGetValue(offset, out var moved))
                throw new DicomException($"DICOMDIR offset {offset} in {tag} does not point at a directory record; the DICOMDIR cannot be rewritten");
            if (moved > uint.MaxValue) throw new DicomException($"DICOMDIR record at {moved} is beyond the 4 GiB that {tag} can address");
            dataset.AddOrUpdate(tag, DicomVR.UL, (uint)moved);
        }
    }
}
