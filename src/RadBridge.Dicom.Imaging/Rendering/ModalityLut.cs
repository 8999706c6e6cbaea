using System.Globalization;

namespace RadBridge.Dicom.Imaging.Rendering;

/// <summary>
/// The Modality LUT stage (PS3.3 C.11.1): stored values to modality values (e.g. Hounsfield units), either linearly
/// through Rescale Slope/Intercept or through the single item of the Modality LUT Sequence, which takes precedence.
/// </summary>
public sealed class ModalityLut
{
    private ModalityLut(double slope, double intercept, string? rescaleType, LookupTable? table)
    {
        Slope = slope;
        Intercept = intercept;
        RescaleType = rescaleType;
        Table = table;
    }

    /// <summary>Stored values are modality values (no rescale, no table).</summary>
    public static ModalityLut Identity { get; } = new(1, 0, null, null);

    public static ModalityLut Rescale(double slope, double intercept, string? rescaleType = null) =>
        new(slope, intercept, rescaleType, null);

    public static ModalityLut FromTable(LookupTable table, string? modalityLutType = null) =>
        new(1, 0, modalityLutType, table ?? throw new ArgumentNullException(nameof(table)));

    public double Slope { get; }
    public double Intercept { get; }
    /// <summary>Rescale Type (0028,1054) or Modality LUT Type (0028,3002), e.g. HU or OD; null when not given.</summary>
    public string? RescaleType { get; }
    /// <summary>The Modality LUT Sequence's table; null when the rescale applies.</summary>
    public LookupTable? Table { get; }

    public bool IsIdentity => Table is null && Slope == 1 && Intercept == 0;

    /// <summary>The modality value of one stored value.</summary>
    public double Apply(double stored) => Table is null ? stored * Slope + Intercept : Table.Lookup(stored);

    /// <summary>Lowest and highest modality value over stored values <paramref name="minStored"/>..<paramref name="maxStored"/>.</summary>
    public (double Min, double Max) OutputRange(double minStored, double maxStored)
    {
        if (Table is null)
        {
            double a = Apply(minStored), b = Apply(maxStored);
            return (Math.Min(a, b), Math.Max(a, b));
        }
        int lo = int.MaxValue, hi = int.MinValue;
        foreach (var e in Table.Entries) { lo = Math.Min(lo, e); hi = Math.Max(hi, e); }
        return (lo, hi);
    }

    /// <summary>Reads the Modality LUT module of <paramref name="dataset"/>; identity when it has none.</summary>
    /// <param name="dataset">The image data set.</param>
    /// <param name="pixelSigned">Pixel Representation 1: the LUT's first mapped value is then signed.</param>
    public static ModalityLut FromDataset(DicomDataset dataset, bool pixelSigned)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var seq = dataset.GetSequence(DicomTags.ModalityLUTSequence);
        if (seq is { Items.Count: > 0 })
        {
            var item = seq.Items[0];
            var table = LookupTable.Read(RawBytes(item, DicomTags.LUTDescriptor), RawBytes(item, DicomTags.LUTData),
                pixelSigned, "Modality LUT Sequence");
            return FromTable(table, item.GetString(DicomTags.ModalityLUTType));
        }
        var slope = ReadDecimal(dataset, DicomTags.RescaleSlope) ?? 1;
        var intercept = ReadDecimal(dataset, DicomTags.RescaleIntercept) ?? 0;
        // A slope of 0 would flatten the image to one value; the field's files that carry it mean "no rescale".
        if (slope == 0 || !double.IsFinite(slope)) slope = 1;
        if (!double.IsFinite(intercept)) intercept = 0;
        return Rescale(slope, intercept, dataset.GetString(DicomTags.RescaleType));
    }

    internal static double? ReadDecimal(DicomDataset dataset, DicomTag tag)
    {
        var text = dataset.GetStrings(tag);
        if (text.Length == 0) return null;
        return double.TryParse(text[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
    }

    internal static ReadOnlySpan<byte> RawBytes(DicomDataset dataset, DicomTag tag) =>
        dataset[tag] is DicomValueElement v ? v.Buffer.GetMemory().Span : [];
}
