using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Numerics;

namespace RadBridge.Dicom;

/// <summary>
/// A DS (Decimal String) value of PS3.5 §6.2, Table 6.2-1: a fixed point number ("[+-]digits[.digits]") or a
/// floating point number as in ANSI X3.9 with "E" or "e" before the exponent; leading and trailing spaces are
/// padding, embedded spaces are not allowed, 16 bytes maximum.
/// </summary>
/// <remarks>
/// <para>The text is kept (without its padding), so a value read and written back is byte-identical and no
/// digit is lost to binary floating point; equality compares that text ("1.0" ≠ "1"), compare
/// <see cref="Value"/> for numeric equality. <see cref="TryGetDecimal"/> gives the exact decimal when it fits.</para>
/// <para>Strict parsing also rejects text whose number overflows a <see cref="double"/> (e.g. "1E999").
/// <see cref="DicomParseMode.Lenient"/> additionally accepts text longer than 16 characters and a comma as
/// the decimal mark ("0,5", written by some localised software); such values are re-encoded with
/// <see cref="FromDouble"/> so that <see cref="ToString"/> is always conformant.</para>
/// </remarks>
public readonly struct DicomDecimalString : IEquatable<DicomDecimalString>
{
    /// <summary>Maximum length of a DS value in bytes (PS3.5 Table 6.2-1).</summary>
    public const int MaxLength = 16;

    private readonly string? _text;

    private DicomDecimalString(string text, double value)
    {
        _text = text;
        Value = value;
    }

    /// <summary>The number as a <see cref="double"/> (correctly rounded from the text).</summary>
    public double Value { get; }

    /// <summary>
    /// Encodes a double in at most 16 characters, as close to it as DS allows: the shortest text that reads back
    /// as exactly <paramref name="value"/> when it fits (.NET's shortest round-trip "R" digits), otherwise the most
    /// significant digits that fit, correctly rounded (truncated where rounding up would pass
    /// <see cref="double.MaxValue"/>). Fixed notation is used when it fits in 16 characters with those digits,
    /// exponent notation otherwise (without "+" or leading zeros in the exponent, to leave room for digits).
    /// Examples: 0.1 → "0.1", 1000 → "1000", 1e-20 → "1E-20", −1234567890.12345 → "-1234567890.1235",
    /// 1/3 → "0.33333333333333", <see cref="double.MaxValue"/> → "1.7976931348E308". Any finite double keeps at
    /// least 9 significant digits.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">NaN or an infinity, which DS cannot encode.</exception>
    public static DicomDecimalString FromDouble(double value)
    {
        var text = Format(value);
        return new DicomDecimalString(text, double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    private static string Format(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "DS cannot encode NaN or infinity.");
        if (value == 0) return double.IsNegative(value) ? "-0" : "0";
        var negative = value < 0;
        var (shortest, exponent) = Decompose(value.ToString("R", CultureInfo.InvariantCulture));
        for (var p = shortest.Length; p >= 1; p--)
        {
            var (digits, e) = p == shortest.Length
                ? (shortest, exponent)
                : Decompose(value.ToString("E" + (p - 1).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture));
            var candidate = Render(negative, digits, e);
            if (!double.IsFinite(double.Parse(candidate, NumberStyles.Float, CultureInfo.InvariantCulture)))
            {
                candidate = Render(negative, shortest[..p].TrimEnd('0'), exponent);
            }
            if (candidate.Length <= MaxLength) return candidate;
        }
        throw new InvalidOperationException("Unreachable: one significant digit always fits in 16 characters.");
    }

    /// <summary>
    /// Splits .NET's invariant number text ("-1.25E-005", "123.45", "1E+16") into significant digits (no leading
    /// or trailing zeros) and the decimal exponent of the first digit: value = d.ddd × 10^exponent.
    /// </summary>
    private static (string Digits, int Exponent) Decompose(string s)
    {
        var start = s[0] == '-' ? 1 : 0;
        var ePos = s.IndexOfAny(['E', 'e']);
        var mantissa = s.AsSpan(start, (ePos < 0 ? s.Length : ePos) - start);
        var exp = ePos < 0 ? 0 : int.Parse(s.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var dot = mantissa.IndexOf('.');
        var intLength = dot < 0 ? mantissa.Length : dot;
        var all = dot < 0 ? mantissa.ToString() : string.Concat(mantissa[..dot], mantissa[(dot + 1)..]);
        var leadingZeros = all.Length - all.TrimStart('0').Length;
        return (all.Trim('0'), intLength - 1 + exp - leadingZeros);
    }

    /// <summary>
    /// d.ddd × 10^e in fixed notation when that fits in 16 characters, else in exponent notation ("1.5E-20",
    /// "1E308": no "+", no leading zeros in the exponent, to leave room for digits).
    /// </summary>
    private static string Render(bool negative, string digits, int e)
    {
        var sign = negative ? "-" : "";
        var k = digits.Length;
        if (e is >= -MaxLength and <= MaxLength)
        {
            string fixedPoint;
            if (e < 0) fixedPoint = string.Concat(sign, "0.", new string('0', -e - 1), digits);
            else if (k <= e + 1) fixedPoint = string.Concat(sign, digits, new string('0', e + 1 - k));
            else fixedPoint = string.Concat(sign, digits.AsSpan(0, e + 1), ".", digits.AsSpan(e + 1));
            if (fixedPoint.Length <= MaxLength) return fixedPoint;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{sign}{digits[0]}{(k > 1 ? "." : "")}{digits.AsSpan(1)}E{e}");
    }

    /// <summary>Parses a DS value; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DicomDecimalString Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM DS value.");

    /// <summary>Strict <see cref="TryParse(string?, DicomParseMode, out DicomDecimalString)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DicomDecimalString value) =>
        TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>Parses a DS value after removing leading and trailing spaces (lenient forms: see the type remarks).</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, out DicomDecimalString value)
    {
        value = default;
        if (text is null) return false;
        var s = DicomValueText.Trim(text, mode, leadingInsignificant: true).ToString();
        var normalise = false;
        if (mode == DicomParseMode.Lenient)
        {
            if (s.Contains(',', StringComparison.Ordinal) && !s.Contains('.', StringComparison.Ordinal))
            {
                s = s.Replace(',', '.');
                normalise = true;
            }
            normalise |= s.Length > MaxLength;
        }
        else if (s.Length > MaxLength)
        {
            return false;
        }
        if (!IsDecimalStringSyntax(s)) return false;
        var d = double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);
        if (!double.IsFinite(d)) return false;
        value = normalise ? FromDouble(d) : new DicomDecimalString(s, d);
        return true;
    }

    /// <summary>[+-] (digits [. [digits]] | . digits) [(E|e) [+-] digits], per PS3.5 Table 6.2-1.</summary>
    private static bool IsDecimalStringSyntax(ReadOnlySpan<char> s)
    {
        var i = 0;
        if (i < s.Length && s[i] is '+' or '-') i++;
        var mantissaDigits = CountDigits(s, ref i);
        if (i < s.Length && s[i] == '.')
        {
            i++;
            mantissaDigits += CountDigits(s, ref i);
        }
        if (mantissaDigits == 0) return false;
        if (i < s.Length && s[i] is 'E' or 'e')
        {
            i++;
            if (i < s.Length && s[i] is '+' or '-') i++;
            if (CountDigits(s, ref i) == 0) return false;
        }
        return i == s.Length;

        static int CountDigits(ReadOnlySpan<char> s, ref int i)
        {
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            return i - start;
        }
    }

    /// <summary>
    /// The exact value of the text as a <see cref="decimal"/>, keeping its scale ("1.50" → 1.50m); false when
    /// it cannot be represented exactly (beyond ±7.9e28, or needing more than 28 decimal places).
    /// </summary>
    public bool TryGetDecimal(out decimal value)
    {
        value = 0m;
        var s = ToString().AsSpan();
        var negative = s[0] == '-';
        if (s[0] is '+' or '-') s = s[1..];
        var ePos = s.IndexOfAny('E', 'e');
        var exponent = 0L;
        if (ePos >= 0)
        {
            if (!long.TryParse(s[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)) return false;
            s = s[..ePos];
        }
        var dot = s.IndexOf('.');
        var fractionDigits = dot < 0 ? 0 : s.Length - dot - 1;
        var significand = BigInteger.Parse(dot < 0 ? s : string.Concat(s[..dot], s[(dot + 1)..]), NumberStyles.None, CultureInfo.InvariantCulture);
        var scale = fractionDigits - exponent; // value = significand × 10^-scale
        if (significand.IsZero)
        {
            value = new decimal(0, 0, 0, negative, (byte)Math.Clamp(scale, 0, 28));
            return true;
        }
        while (scale > 28 && significand % 10 == 0)
        {
            significand /= 10;
            scale--;
        }
        if (scale > 28 || scale < -28) return false;
        if (scale < 0)
        {
            significand *= BigInteger.Pow(10, (int)-scale);
            scale = 0;
        }
        if (significand.GetBitLength() > 96) return false;
        Span<byte> bytes = stackalloc byte[12];
        bytes.Clear();
        significand.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        value = new decimal(
            BitConverter.ToInt32(bytes[..4]), BitConverter.ToInt32(bytes[4..8]), BitConverter.ToInt32(bytes[8..]), negative, (byte)scale);
        return true;
    }

    /// <summary>The text as read (without padding) or as formatted by <see cref="FromDouble"/>; "0" for <c>default</c>.</summary>
    public override string ToString() => _text ?? "0";

    /// <summary>Compares the text: "1.0" and "1" are different encodings of the same number.</summary>
    public bool Equals(DicomDecimalString other) => string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is DicomDecimalString other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => ToString().GetHashCode(StringComparison.Ordinal);

    public static bool operator ==(DicomDecimalString left, DicomDecimalString right) => left.Equals(right);
    public static bool operator !=(DicomDecimalString left, DicomDecimalString right) => !left.Equals(right);
}
