using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace RadBridge.Dicom;

/// <summary>
/// An IS (Integer String) value of PS3.5 §6.2, Table 6.2-1: base-10 digits with an optional leading "+" or
/// "-", padded with leading and/or trailing spaces, no embedded spaces, 12 bytes maximum, range
/// −2^31 ≤ n ≤ 2^31−1.
/// </summary>
/// <remarks>
/// The text is kept (without its insignificant spaces), so "+0042" reads as 42 and writes back as "+0042";
/// equality compares that text, compare <see cref="Value"/> for numeric equality.
/// <see cref="DicomParseMode.Lenient"/> also accepts text longer than 12 characters and integral decimals
/// such as "5.0" or "5."; those are normalised to the plain integer.
/// </remarks>
public readonly struct DicomIntegerString : IEquatable<DicomIntegerString>
{
    /// <summary>Maximum length of an IS value in bytes (PS3.5 Table 6.2-1).</summary>
    public const int MaxLength = 12;

    private readonly string? _text;

    /// <summary>An IS holding <paramref name="value"/> in its shortest form.</summary>
    public DicomIntegerString(int value)
    {
        Value = value;
        _text = value.ToString(CultureInfo.InvariantCulture);
    }

    private DicomIntegerString(int value, string text)
    {
        Value = value;
        _text = text;
    }

    /// <summary>The integer.</summary>
    public int Value { get; }

    /// <summary>Parses an IS value; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DicomIntegerString Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM IS value.");

    /// <summary>Strict <see cref="TryParse(string?, DicomParseMode, out DicomIntegerString)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DicomIntegerString value) =>
        TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>Parses an IS value after removing leading and trailing spaces (lenient forms: see the type remarks).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, out DicomIntegerString value)
    {
        value = default;
        if (text is null) return false;
        var s = DicomValueText.Trim(text, mode, leadingInsignificant: true);
        var lenient = mode == DicomParseMode.Lenient;
        if (TryParseInteger(s, out var n))
        {
            if (s.Length <= MaxLength) value = new DicomIntegerString(n, s.ToString());
            else if (lenient) value = new DicomIntegerString(n);
            else return false;
            return true;
        }
        // Lenient: an integral decimal ("5.0", "5.", "-0012.000") that some writers put in IS.
        if (lenient && s.Length > 0 && s[0] != '.'
            && decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
            && decimal.Truncate(d) == d && d is >= int.MinValue and <= int.MaxValue)
        {
            value = new DicomIntegerString((int)d);
            return true;
        }
        return false;
    }

    /// <summary>[+-]digits within the 32-bit range.</summary>
    private static bool TryParseInteger(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        var digits = s.Length > 0 && s[0] is '+' or '-' ? s[1..] : s;
        if (!DicomValueText.AllDigits(digits)
            || !long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            || n is < int.MinValue or > int.MaxValue)
        {
            return false;
        }
        value = (int)n;
        return true;
    }

    /// <summary>The text as read (without padding), or the shortest form for a value built from an integer.</summary>
    public override string ToString() => _text ?? "0";

    /// <summary>Compares the text: "+1" and "1" are different encodings of the same number.</summary>
    public bool Equals(DicomIntegerString other) => string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DicomIntegerString other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public static bool operator ==(DicomIntegerString left, DicomIntegerString right) => left.Equals(right);
    public static bool operator !=(DicomIntegerString left, DicomIntegerString right) => !left.Equals(right);
}
