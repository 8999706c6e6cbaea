using System.Globalization;

namespace RadBridge.Dicom;

/// <summary>
/// Span-based helpers shared by the DICOM JSON and XML models: splitting a decoded text value into its values without
/// allocating, the padding rules of PS3.5 Table 6.2-1, Person Name groups, and IS/DS numbers as JSON number tokens.
/// </summary>
internal static class DicomModelText
{
    /// <summary>
    /// Removes padding as <see cref="DicomDataset.GetStrings"/> does (<see cref="DicomTextRules.TrimValue"/>): trailing
    /// spaces and NULs always, leading spaces where PS3.5 Table 6.2-1 calls them insignificant.
    /// </summary>
    public static ReadOnlySpan<char> Trim(ReadOnlySpan<char> value, DicomVR vr)
    {
        value = value.TrimEnd(" \0");
        return DicomTextRules.HasInsignificantLeadingSpaces(vr) ? value.TrimStart(' ') : value;
    }

    /// <summary>
    /// True when a decoded value holds at least one value: a single value that is empty after trimming counts as none
    /// (zero length), while "\" holds two empty values (PS3.18 F.2.5 writes them as null).
    /// </summary>
    public static bool HasValues(ReadOnlySpan<char> text, DicomVR vr) =>
        (vr.IsMultiValuedText() && text.Contains('\\')) || !Trim(text, vr).IsEmpty;

    /// <summary>The values of a decoded text element, split on backslash for multi-valued VRs and trimmed.</summary>
    public static ValueEnumerator Values(ReadOnlySpan<char> text, DicomVR vr) => new(text, vr);

    /// <summary>Enumerates values without allocating.</summary>
    public ref struct ValueEnumerator
    {
        private readonly DicomVR _vr;
        private readonly bool _multi;
        private ReadOnlySpan<char> _rest;
        private bool _done;

        internal ValueEnumerator(ReadOnlySpan<char> text, DicomVR vr)
        {
            _vr = vr;
            _multi = vr.IsMultiValuedText();
            _rest = text;
            _done = !HasValues(text, vr);
            Current = default;
        }

        /// <summary>The current value, trimmed.</summary>
        public ReadOnlySpan<char> Current { get; private set; }

        public readonly ValueEnumerator GetEnumerator() => this;

        public bool MoveNext()
        {
            if (_done) return false;
            var cut = _multi ? _rest.IndexOf('\\') : -1;
            if (cut < 0)
            {
                Current = Trim(_rest, _vr);
                _done = true;
            }
            else
            {
                Current = Trim(_rest[..cut], _vr);
                _rest = _rest[(cut + 1)..];
            }
            return true;
        }
    }

    /// <summary>
    /// Splits one PN value into its three component groups (alphabetic, ideographic, phonetic). A fourth "=" is not
    /// valid PN; everything after the second "=" stays in the phonetic group so nothing is lost.
    /// </summary>
    public static void SplitGroups(ReadOnlySpan<char> name, out ReadOnlySpan<char> alphabetic, out ReadOnlySpan<char> ideographic, out ReadOnlySpan<char> phonetic)
    {
        ideographic = default;
        phonetic = default;
        var i = name.IndexOf('=');
        if (i < 0)
        {
            alphabetic = name;
            return;
        }
        alphabetic = name[..i];
        var rest = name[(i + 1)..];
        var j = rest.IndexOf('=');
        if (j < 0)
        {
            ideographic = rest;
            return;
        }
        ideographic = rest[..j];
        phonetic = rest[(j + 1)..];
    }

    /// <summary>Joins component groups back into "A=I=P", dropping trailing empty groups and their delimiters.</summary>
    public static string JoinGroups(string? alphabetic, string? ideographic, string? phonetic)
    {
        if (!string.IsNullOrEmpty(phonetic)) return string.Concat(alphabetic, "=", ideographic, "=", phonetic);
        if (!string.IsNullOrEmpty(ideographic)) return string.Concat(alphabetic, "=", ideographic);
        return alphabetic ?? "";
    }

    /// <summary>
    /// Rewrites an IS or DS value as a JSON number token (RFC 8259 §6) without changing its digits: a leading "+" and
    /// superfluous leading zeros go, ".5" becomes "0.5" and "1." becomes "1"; exponents are kept as written. Returns
    /// false for text that is not a number of the VR's grammar (IS: optional sign and digits; DS: PS3.5 decimal or
    /// floating point), which the caller writes as a JSON string.
    /// </summary>
    public static bool TryFormatJsonNumber(ReadOnlySpan<char> value, bool integerOnly, Span<char> destination, out int written)
    {
        written = 0;
        var i = 0;
        var negative = false;
        if (i < value.Length && (value[i] == '+' || value[i] == '-'))
        {
            negative = value[i] == '-';
            i++;
        }
        var intStart = i;
        while (i < value.Length && char.IsAsciiDigit(value[i])) i++;
        var intDigits = value[intStart..i];
        var fraction = ReadOnlySpan<char>.Empty;
        if (!integerOnly && i < value.Length && value[i] == '.')
        {
            i++;
            var fracStart = i;
            while (i < value.Length && char.IsAsciiDigit(value[i])) i++;
            fraction = value[fracStart..i];
        }
        if (intDigits.IsEmpty && fraction.IsEmpty) return false;
        var exponent = ReadOnlySpan<char>.Empty;
        if (!integerOnly && i < value.Length && (value[i] == 'e' || value[i] == 'E'))
        {
            var expStart = i;
            i++;
            if (i < value.Length && (value[i] == '+' || value[i] == '-')) i++;
            var digitsStart = i;
            while (i < value.Length && char.IsAsciiDigit(value[i])) i++;
            if (i == digitsStart) return false;
            exponent = value[expStart..i];
        }
        if (i != value.Length) return false;

        var trimmedInt = intDigits.TrimStart('0');
        var needed = (negative ? 1 : 0) + Math.Max(trimmedInt.Length, 1) + (fraction.IsEmpty ? 0 : fraction.Length + 1) + exponent.Length;
        if (needed > destination.Length) return false;
        if (negative) destination[written++] = '-';
        if (trimmedInt.IsEmpty)
        {
            destination[written++] = '0';
        }
        else
        {
            trimmedInt.CopyTo(destination[written..]);
            written += trimmedInt.Length;
        }
        if (!fraction.IsEmpty)
        {
            destination[written++] = '.';
            fraction.CopyTo(destination[written..]);
            written += fraction.Length;
        }
        exponent.CopyTo(destination[written..]);
        written += exponent.Length;
        return true;
    }

    /// <summary>
    /// Fits a DS value read from a JSON number into the 16 bytes PS3.5 allows: first without changing the value
    /// ("0.5" → ".5", exponent "+" and leading zeros dropped, trailing fraction zeros dropped), and only when that is not
    /// enough by rounding to the most significant digits that fit.
    /// </summary>
    public static string FitDecimalString(string value)
    {
        const int max = 16;
        if (value.Length <= max) return value;
        var s = value;
        var e = s.IndexOfAny(['e', 'E']);
        var mantissa = e < 0 ? s : s[..e];
        var exponent = e < 0 ? "" : s[e..];
        if (exponent.Length > 0)
        {
            var sign = exponent.Length > 1 && exponent[1] == '-' ? "-" : "";
            var digits = exponent.AsSpan(1).TrimStart("+-").TrimStart('0');
            exponent = digits.IsEmpty ? "" : "e" + sign + digits.ToString();
        }
        if (mantissa.Contains('.', StringComparison.Ordinal)) mantissa = mantissa.TrimEnd('0').TrimEnd('.');
        if (mantissa.StartsWith("0.", StringComparison.Ordinal)) mantissa = mantissa[1..];
        else if (mantissa.StartsWith("-0.", StringComparison.Ordinal)) mantissa = "-" + mantissa[2..];
        if (mantissa.Length == 0 || mantissa == "-") mantissa = "0";
        s = mantissa + exponent;
        if (s.Length <= max) return s;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d)) return value;
        for (var precision = 15; precision >= 1; precision--)
        {
            var candidate = d.ToString("G" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            if (candidate.Length <= max) return candidate;
        }
        return value;
    }

    /// <summary>
    /// An IS value read from a JSON number: "12", or an integral value written another way ("1e3", "12.0") as plain
    /// digits. Anything else is kept as written.
    /// </summary>
    public static string NormaliseIntegerString(string value)
    {
        if (!value.AsSpan().TrimStart('-').ContainsAnyExceptInRange('0', '9')) return value;
        if (decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) && decimal.Truncate(m) == m)
            return m.ToString("0", CultureInfo.InvariantCulture);
        return value;
    }

    /// <summary>True when every character is 7-bit ASCII (text every Specific Character Set can hold).</summary>
    public static bool IsAscii(string text) => System.Text.Ascii.IsValid(text);
}
