using System.Diagnostics.CodeAnalysis;

namespace RadBridge.Dicom;

/// <summary>
/// A DT range for query matching (PS3.4 §C.2.2.2.5; PS3.5 Table 6.2-1 allows "-" in DT for it, 54 bytes max):
/// "DT1-DT2", "DT1-" or "-DT2". The start is inclusive from its earliest instant; the end is inclusive to the
/// last instant its precision covers ("-2020" includes all of 2020).
/// </summary>
/// <remarks>
/// A DT may itself end in a negative offset ("20200101-0500"), so the separating "-" is found by trying each
/// "-" from the left and taking the first split where both sides are valid DT values (or empty); a text that
/// is a single valid DT is read as the range from it to itself and written back as that value.
/// </remarks>
public readonly record struct DicomDateTimeRange
{
    /// <summary>Creates a range; at least one bound is required.</summary>
    public DicomDateTimeRange(DicomDateTime? start, DicomDateTime? end)
    {
        if (start is null && end is null) throw new ArgumentException("A range needs a start, an end, or both.", nameof(start));
        Start = start;
        End = end;
    }

    /// <summary>Lower bound, or null for none.</summary>
    public DicomDateTime? Start { get; }

    /// <summary>Upper bound, or null for none.</summary>
    public DicomDateTime? End { get; }

    /// <summary>
    /// True when the earliest instant of <paramref name="value"/> lies within the range; values and bounds
    /// without an offset are read with <paramref name="defaultOffset"/>.
    /// </summary>
    public bool Contains(DicomDateTime value, TimeSpan defaultOffset) => Contains(value.ToDateTimeOffset(defaultOffset), defaultOffset);

    /// <summary>True when the instant lies within the range; bounds without an offset are read with <paramref name="defaultOffset"/>.</summary>
    public bool Contains(DateTimeOffset instant, TimeSpan defaultOffset) =>
        (Start is not { } s || instant >= s.ToDateTimeOffset(defaultOffset))
        && (End is not { } e || instant <= e.ToLatestDateTimeOffset(defaultOffset));

    /// <summary>Parses a range; throws <see cref="FormatException"/> when the text is not one.</summary>
    public static DicomDateTimeRange Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM DT range.");

    /// <summary>Strict <see cref="TryParse(string?, DicomParseMode, out DicomDateTimeRange)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DicomDateTimeRange value) =>
        TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>Parses "A-B", "A-", "-B" or "A"; each value per <see cref="DicomDateTime.TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomDateTime)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, out DicomDateTimeRange value)
    {
        value = default;
        if (text is null || !DicomValueText.TrySplitRange<DicomDateTime>(text, mode, DicomDateTime.TryParse, out var start, out var end)) return false;
        value = new DicomDateTimeRange(start, end);
        return true;
    }

    /// <summary>The DICOM encoding: "A-B", "A-", "-B", or "A" when start and end are the same value.</summary>
    public override string ToString() =>
        Start is { } s && End is { } e && s == e ? s.ToString() : $"{Start}-{End}";
}
