using System.Diagnostics.CodeAnalysis;

namespace RadBridge.Dicom;

/// <summary>The unit letter of an AS value (PS3.5 Table 6.2-1).</summary>
public enum DicomAgeUnit
{
    /// <summary>"D".</summary>
    Days,
    /// <summary>"W".</summary>
    Weeks,
    /// <summary>"M".</summary>
    Months,
    /// <summary>"Y".</summary>
    Years,
}

/// <summary>
/// An AS (Age String) value of PS3.5 §6.2, Table 6.2-1: "nnnD", "nnnW", "nnnM" or "nnnY", 4 bytes fixed,
/// e.g. "018M" for 18 months.
/// </summary>
/// <remarks>
/// Strict parsing accepts exactly three digits and an upper-case unit (trailing padding removed).
/// <see cref="DicomParseMode.Lenient"/> also accepts one or two digits ("18M"), a lower-case unit and leading
/// spaces, normalised to the four-character form.
/// </remarks>
public readonly record struct DicomAge
{
    /// <summary>Creates an age; <paramref name="value"/> is 0–999.</summary>
    public DicomAge(int value, DicomAgeUnit unit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, 999);
        if (!Enum.IsDefined(unit)) throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown age unit.");
        Value = value;
        Unit = unit;
    }

    /// <summary>The number, 0–999.</summary>
    public int Value { get; }

    /// <summary>Days, weeks, months or years.</summary>
    public DicomAgeUnit Unit { get; }

    /// <summary>Parses an AS value; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DicomAge Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM AS value (nnnD/W/M/Y).");

    /// <summary>Strict <see cref="TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomAge)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DicomAge value) => TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>See <see cref="TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomAge)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, out DicomAge value)
    {
        value = default;
        return text is not null && TryParse(text.AsSpan(), mode, out value);
    }

    /// <summary>Parses "nnnU" (lenient forms: see the type remarks).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, DicomParseMode mode, out DicomAge value)
    {
        value = default;
        var s = DicomValueText.Trim(text, mode);
        var strict = mode == DicomParseMode.Strict;
        if (s.Length is < 2 or > 4 || (strict && s.Length != 4)) return false;
        var letter = strict ? s[^1] : char.ToUpperInvariant(s[^1]);
        DicomAgeUnit unit;
        switch (letter)
        {
            case 'D': unit = DicomAgeUnit.Days; break;
            case 'W': unit = DicomAgeUnit.Weeks; break;
            case 'M': unit = DicomAgeUnit.Months; break;
            case 'Y': unit = DicomAgeUnit.Years; break;
            default: return false;
        }
        if (!DicomValueText.TryParseDigits(s[..^1], out var number)) return false;
        value = new DicomAge(number, unit);
        return true;
    }

    /// <summary>The DICOM encoding, e.g. "018M".</summary>
    public override string ToString() => string.Create(4, this, static (d, age) =>
    {
        DicomValueText.WriteDigits(d, age.Value, 3);
        d[3] = age.Unit switch { DicomAgeUnit.Weeks => 'W', DicomAgeUnit.Months => 'M', DicomAgeUnit.Years => 'Y', _ => 'D' };
    });
}
