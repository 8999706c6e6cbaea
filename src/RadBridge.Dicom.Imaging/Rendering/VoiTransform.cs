namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// The VOI LUT stage (PS3.3 C.11.2): modality values to a [0, 1] display range, through a window or through a
/// VOI LUT Sequence table (whose entries are scaled by 2^bits − 1).
/// </summary>
public sealed class VoiTransform
{
    private VoiTransform(WindowLevel? window, LookupTable? table)
    {
        Window = window;
        Table = table;
    }

    public static VoiTransform FromWindow(WindowLevel window) => new(window, null);

    public static VoiTransform FromTable(LookupTable table) => new(null, table ?? throw new ArgumentNullException(nameof(table)));

    /// <summary>Maps modality values <paramref name="min"/>..<paramref name="max"/> linearly onto the display range.</summary>
    public static VoiTransform FromRange(double min, double max) =>
        FromWindow(new WindowLevel((min + max) / 2, Math.Max(max - min, 1e-9), VoiLutFunction.LinearExact, "range"));

    public WindowLevel? Window { get; }
    public LookupTable? Table { get; }

    /// <summary>Display value in [0, 1] of one modality value.</summary>
    public double Apply(double modalityValue) =>
        Table is null ? Window!.Value.Apply(modalityValue) : (double)Table.Lookup(modalityValue) / Table.MaxEntryValue;

    /// <summary>The items of the VOI LUT Sequence (0028,3010), in order.</summary>
    /// <param name="dataset">The image data set.</param>
    /// <param name="modalitySigned">Whether modality values can be negative: the descriptor's first mapped value is then signed.</param>
    public static IReadOnlyList<LookupTable> LutSequenceFromDataset(DicomDataset dataset, bool modalitySigned)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var seq = dataset.GetSequence(DicomTags.VOILUTSequence);
        if (seq is null) return [];
        var tables = new List<LookupTable>(seq.Items.Count);
        for (var i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            tables.Add(LookupTable.Read(ModalityLut.RawBytes(item, DicomTags.LUTDescriptor), ModalityLut.RawBytes(item, DicomTags.LUTData),
                modalitySigned, $"VOI LUT Sequence item {i + 1}"));
        }
        return tables;
    }
}
