using System.Diagnostics.CodeAnalysis;

namespace RadBridge.Dicom;

/// <summary>
/// A DA (Date) value of PS3.5 §6.2, Table 6.2-1: "YYYYMMDD" in the Gregorian calendar, 8 bytes fixed.
/// </summary>
/// <remarks>
/// Strict parsing accepts exactly eight digits forming a real date (years 0001–9999), plus trailing space
/// padding. <see cref="DicomParseMode.Lenient"/> also accepts leading spaces and the ACR-NEMA 300 form
/// "YYYY.MM.DD" that Table 6.2-1 notes as not compliant; both are normalised to "YYYYMMDD".
/// </remarks>
public readonly record struct DicomDate : IComparable<DicomDate>
{
    private readonly DateOnly _date;

    /// <summary>Creates a date; throws <see cref="ArgumentOutOfRangeException"/> for a date that does not exist.</summary>
    public DicomDate(int year, int month, int day) => _date = new DateOnly(year, month, day);

    /// <summary>Wraps a <see cref="DateOnly"/>.</summary>
    public DicomDate(DateOnly date) => _date = date;

    /// <summary>Year, 1–9999.</summary>
    public int Year => _date.Year;

    /// <summary>Month, 1–12.</summary>
    public int Month => _date.Month;

    /// <summary>Day of the month, 1–31.</summary>
    public int Day => _date.Day;

    /// <summary>The date as a <see cref="DateOnly"/>.</summary>
    public DateOnly ToDateOnly() => _date;

    /// <summary>Parses a DA value; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DicomDate Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM DA value (YYYYMMDD).");

    /// <summary>Strict <see cref="TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomDate)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DicomDate value) =>
        TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>See <see cref="TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomDate)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, out DicomDate value)
    {
        value = default;
        return text is not null && TryParse(text.AsSpan(), mode, out value);
    }

    /// <summary>Parses "YYYYMMDD" (and in lenient mode "YYYY.MM.DD"), after removing trailing padding.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, DicomParseMode mode, out DicomDate value)
    {
        value = default;
        var s = DicomValueText.Trim(text, mode);
        // Offsets of month and day: compact form, or the ACR-NEMA "YYYY.MM.DD" form.
        int mo, da;
        if (s.Length == 8) (mo, da) = (4, 6);
        else if (mode == DicomParseMode.Lenient && s.Length == 10 && s[4] == '.' && s[7] == '.') (mo, da) = (5, 8);
        else return false;
        if (!DicomValueText.TryParseDigits(s[..4], out var year) || !DicomValueText.TryParseDigits(s.Slice(mo, 2), out var month)
            || !DicomValueText.TryParseDigits(s.Slice(da, 2), out var day))
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        value = new DicomDate(year, month, day);
        return true;
    }

    /// <summary>The DICOM encoding, "YYYYMMDD".</summary>
    public override string ToString() => string.Create(8, _date, static (d, date) =>
    {
        DicomValueText.WriteDigits(d, date.Year, 4);
        DicomValueText.WriteDigits(d[4..], date.Month, 2);
        DicomValueText.WriteDigits(d[6..], date.Day, 2);
    });

    /// <summary>Chronological order.</summary>
    public int CompareTo(DicomDate other) => _date.CompareTo(other._date);

    public static bool operator <(DicomDate left, DicomDate right) => left.CompareTo(right) < 0;
    public static bool operator >(DicomDate left, DicomDate right) => left.CompareTo(right) > 0;
    public static bool operator <=(DicomDate left, DicomDate right) => left.CompareTo(right) <= 0;
    public static bool operator >=(DicomDate left, DicomDate right) => left.CompareTo(right) >= 0;
}
