using System.Diagnostics.CodeAnalysis;

namespace RadBridge.Dicom;

/// <summary>
/// A TM range for query matching (PS3.4 §C.2.2.2.5; PS3.5 Table 6.2-1 allows "-" in TM for it, 28 bytes max):
/// "T1-T2", "T1-" or "-T2". The start is inclusive from its earliest instant; the end is inclusive to the last
/// instant its precision covers (so "-1010" includes 10:10:59.999999).
/// </summary>
/// <remarks>A single time "T" also parses, as a range from T to T, and is written back as "T".</remarks>
public readonly record struct DicomTimeRange
{
    /// <summary>Creates a range; at least one bound is required.</summary>
    public DicomTimeRange(DicomTime? start, DicomTime? end)
    {
        if (start is null && end is null) throw new ArgumentException("A range needs a start, an end, or both.", nameof(start));
        Start = start;
        End = end;
    }

    /// <summary>Lower bound, or null for none.</summary>
    public DicomTime? Start { get; }

    /// <summary>Upper bound, or null for none.</summary>
    public DicomTime? End { get; }

    /// <summary>True when the earliest instant of <paramref name="time"/> lies within the range.</summary>
    public bool Contains(DicomTime time) => Contains(time.ToTimeOnly());

    /// <summary>True when <paramref name="time"/> lies within the range.</summary>
    public bool Contains(TimeOnly time) =>
        (Start is not { } s || time >= s.ToTimeOnly()) && (End is not { } e || time <= e.ToLatestTimeOnly());

    /// <summary>Parses a range; throws <see cref="FormatException"/> when the text is not one.</summary>
    public static DicomTimeRange Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM TM range.");

    /// <summary>Strict <see cref="TryParse(string?, DicomParseMode, out DicomTimeRange)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DicomTimeRange value) =>
        TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>Parses "A-B", "A-", "-B" or "A"; each time per <see cref="DicomTime.TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomTime)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, out DicomTimeRange value)
    {
        value = default;
        if (text is null || !DicomValueText.TrySplitRange<DicomTime>(text, mode, DicomTime.TryParse, out var start, out var end)) return false;
        value = new DicomTimeRange(start, end);
        return true;
    }

    /// <summary>The DICOM encoding: "A-B", "A-", "-B", or "A" when start and end are the same value.</summary>
    public override string ToString() =>
        Start is { } s && End is { } e && s == e ? s.ToString() : $"{Start}-{End}";
}
