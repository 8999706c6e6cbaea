using System.Text;

namespace RadBridge.Dicom;

/// <summary>Parsing and formatting primitives shared by the typed values; invariant and allocation-free.</summary>
internal static class DicomValueText
{
    /// <summary>Parses a value from text; the shape every typed value's core TryParse has.</summary>
    internal delegate bool SpanParser<T>(ReadOnlySpan<char> text, DicomParseMode mode, out T value);

    /// <summary>Removes trailing padding: spaces (PS3.5 §6.2) and NULs (UI padding, and a common mistake elsewhere).</summary>
    internal static ReadOnlySpan<char> TrimTrailingPadding(ReadOnlySpan<char> s) => s.TrimEnd(" \0");

    /// <summary>
    /// Trailing padding always goes; leading spaces go when the VR defines them as insignificant or when reading
    /// leniently (for VRs where Table 6.2-1 forbids them).
    /// </summary>
    internal static ReadOnlySpan<char> Trim(ReadOnlySpan<char> s, DicomParseMode mode, bool leadingInsignificant = false)
    {
        s = TrimTrailingPadding(s);
        return leadingInsignificant || mode == DicomParseMode.Lenient ? s.TrimStart(' ') : s;
    }

    /// <summary>Reads a run of ASCII digits (no sign, no spaces) of at most 9 characters.</summary>
    internal static bool TryParseDigits(ReadOnlySpan<char> s, out int value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 9) return false;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c)) return false;
            value = value * 10 + (c - '0');
        }
        return true;
    }

    internal static bool AllDigits(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExceptInRange('0', '9');

    /// <summary>Writes <paramref name="value"/> as exactly <paramref name="count"/> zero-padded digits.</summary>
    internal static void WriteDigits(Span<char> destination, int value, int count)
    {
        for (var i = count - 1; i >= 0; i--)
        {
            destination[i] = (char)('0' + value % 10);
            value /= 10;
        }
    }

    internal static int FractionDigits(DicomTemporalPrecision precision) =>
        precision >= DicomTemporalPrecision.Fraction1 ? precision - DicomTemporalPrecision.Second : 0;

    /// <summary>10^(6 − digits): the microsecond step of a fraction written with that many digits.</summary>
    internal static int MicrosecondStep(int fractionDigits) => fractionDigits switch
    {
        0 => 1_000_000,
        1 => 100_000,
        2 => 10_000,
        3 => 1_000,
        4 => 100,
        5 => 10,
        _ => 1,
    };

    /// <summary>The time of day as TM and DT write it (PS3.5 Table 6.2-1). Second is 0–60 (60 = leap second).</summary>
    internal readonly record struct TimeParts(int Hour, int Minute, int Second, int Microsecond, DicomTemporalPrecision Precision);

    /// <summary>
    /// Parses the compact time "HH[MM[SS[.F{1-6}]]]": hours 00–23, minutes 00–59, seconds 00–60, no missing
    /// leading components, "." only with at least one fraction digit.
    /// </summary>
    internal static bool TryParseTimeParts(ReadOnlySpan<char> s, out TimeParts parts)
    {
        parts = default;
        int hour, minute = 0, second = 0, micro = 0;
        DicomTemporalPrecision precision;
        switch (s.Length)
        {
            case 2: precision = DicomTemporalPrecision.Hour; break;
            case 4: precision = DicomTemporalPrecision.Minute; break;
            case 6: precision = DicomTemporalPrecision.Second; break;
            case >= 8 and <= 13 when s[6] == '.':
                precision = (DicomTemporalPrecision)((int)DicomTemporalPrecision.Second + s.Length - 7);
                var fraction = s[7..];
                if (!TryParseDigits(fraction, out var f)) return false;
                micro = f * MicrosecondStep(fraction.Length);
                break;
            default: return false;
        }
        if (!TryParseDigits(s[..2], out hour) || hour > 23) return false;
        if (s.Length >= 4 && (!TryParseDigits(s[2..4], out minute) || minute > 59)) return false;
        if (s.Length >= 6 && (!TryParseDigits(s[4..6], out second) || second > 60)) return false;
        parts = new TimeParts(hour, minute, second, micro, precision);
        return true;
    }

    /// <summary>Writes the compact time for the given precision; returns the number of characters written.</summary>
    internal static int WriteTime(Span<char> d, int hour, int minute, int second, int micro, DicomTemporalPrecision precision)
    {
        WriteDigits(d, hour, 2);
        if (precision == DicomTemporalPrecision.Hour) return 2;
        WriteDigits(d[2..], minute, 2);
        if (precision == DicomTemporalPrecision.Minute) return 4;
        WriteDigits(d[4..], second, 2);
        var digits = FractionDigits(precision);
        if (digits == 0) return 6;
        d[6] = '.';
        WriteDigits(d[7..], micro / MicrosecondStep(digits), digits);
        return 7 + digits;
    }

    /// <summary>
    /// Splits a range-matching value (PS3.4 §C.2.2.2.5) "A-B", "A-" or "-B", or reads a single value "A"
    /// (returned with <paramref name="start"/> == <paramref name="end"/>).
    /// </summary>
    /// <remarks>
    /// DT values may themselves contain "-" (a negative UTC offset), so the split is found rather than assumed:
    /// first the whole text as a single value, then each "-" from left to right, taking the first where both
    /// sides are empty-or-valid and not both empty.
    /// </remarks>
    internal static bool TrySplitRange<T>(ReadOnlySpan<char> s, DicomParseMode mode, SpanParser<T> parse, out T? start, out T? end)
        where T : struct
    {
        start = end = null;
        s = Trim(s, mode);
        if (s.IsEmpty) return false;
        // Table 6.2-1 allows only trailing padding; a space inside a strict range is an embedded space.
        if (mode == DicomParseMode.Strict && s.Contains(' ')) return false;
        if (parse(s, mode, out var single))
        {
            start = end = single;
            return true;
        }
        for (var i = s.IndexOf('-'); i >= 0 && i < s.Length; i = NextDash(s, i))
        {
            var left = s[..i];
            var right = s[(i + 1)..];
            if (mode == DicomParseMode.Lenient)
            {
                left = left.Trim(' ');
                right = right.Trim(' ');
            }
            if (left.IsEmpty && right.IsEmpty) return false;
            T l = default, r = default;
            if ((left.IsEmpty || parse(left, mode, out l)) && (right.IsEmpty || parse(right, mode, out r)))
            {
                start = left.IsEmpty ? null : l;
                end = right.IsEmpty ? null : r;
                return true;
            }
        }
        return false;

        static int NextDash(ReadOnlySpan<char> s, int i)
        {
            var next = s[(i + 1)..].IndexOf('-');
            return next < 0 ? -1 : i + 1 + next;
        }
    }

    /// <summary>
    /// Characters of scripts written without spaces between name parts: Han ideographs, kana, Hangul and the
    /// CJK iteration marks. Used to join and match CJK names.
    /// </summary>
    internal static bool IsCjk(Rune r)
    {
        var v = r.Value;
        return v is (>= 0x4E00 and <= 0x9FFF)    // CJK Unified Ideographs
            or (>= 0x3400 and <= 0x4DBF)         // Extension A
            or (>= 0x20000 and <= 0x323AF)       // Extensions B–H (supplementary planes)
            or (>= 0xF900 and <= 0xFAFF)         // Compatibility Ideographs
            or (>= 0x3005 and <= 0x3007)         // 々 〆 〇
            or (>= 0x3040 and <= 0x30FF)         // Hiragana, Katakana
            or (>= 0x31F0 and <= 0x31FF)         // Katakana Phonetic Extensions
            or (>= 0xFF66 and <= 0xFF9F)         // Half-width Katakana
            or (>= 0x1100 and <= 0x11FF)         // Hangul Jamo
            or (>= 0x3130 and <= 0x318F)         // Hangul Compatibility Jamo
            or (>= 0xAC00 and <= 0xD7AF);        // Hangul Syllables
    }
}
