using System.Diagnostics.CodeAnalysis;

namespace RadBridge.Dicom;

/// <summary>
/// A DA range for query matching (PS3.4 §C.2.2.2.5; PS3.5 Table 6.2-1 allows "-" in DA for it, 18 bytes max):
/// "YYYYMMDD-YYYYMMDD", "YYYYMMDD-" (on or after), "-YYYYMMDD" (on or before). Bounds are inclusive.
/// </summary>
/// <remarks>
/// A single date "YYYYMMDD" also parses, as a range whose start and end are that date; <see cref="ToString"/>
/// writes such a range back as the single date.
/// </remarks>
public readonly record struct DicomDateRange
{
    /// <summary>Creates a range; at least one bound is required.</summary>
    public DicomDateRange(DicomDate? start, DicomDate? end)
    {
        if (start is null && end is null) throw new ArgumentException("A range needs a start, an end, or both.", nameof(start));
        Start = start;
        End = end;
    }

    /// <summary>First date included, or null for "no lower bound".</summary>
    public DicomDate? Start { get; }

    /// <summary>Last date included, or null for "no upper bound".</summary>
    public DicomDate? End { get; }

    /// <summary>True when the date lies within the bounds (inclusive).</summary>
    public bool Contains(DicomDate date) => (Start is not { } s || date >= s) && (End is not { } e || date <= e);

    /// <summary>True when the date lies within the bounds (inclusive).</summary>
    public bool Contains(DateOnly date) => Contains(new DicomDate(date));

    /// <summary>Parses a range; throws <see cref="FormatException"/> when the text is not one.</summary>
    public static DicomDateRange Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM DA range.");

    /// <summary>Strict <see cref="TryParse(string?, DicomParseMode, out DicomDateRange)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DicomDateRange value) =>
        TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>Parses "A-B", "A-", "-A" or "A"; each date per <see cref="DicomDate.TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomDate)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, out DicomDateRange value)
    {
        value = default;
        if (text is null || !DicomValueText.TrySplitRange<DicomDate>(text, mode, DicomDate.TryParse, out var start, out var end)) return false;
        value = new DicomDateRange(start, end);
        return true;
    }

    /// <summary>The DICOM encoding: "A-B", "A-", "-B", or "A" when start and end are the same date.</summary>
    public override string ToString() =>
        Start is { } s && End is { } e && s == e ? s.ToString() : $"{Start}-{End}";
}
