using System.Diagnostics.CodeAnalysis;

namespace RadBridge.Dicom;

/// <summary>
/// A TM (Time) value of PS3.5 §6.2, Table 6.2-1: "HH", "HHMM", "HHMMSS" or "HHMMSS.F" to "HHMMSS.FFFFFF",
/// 24-hour clock, seconds 00–60 (60 for a leap second). The precision written is kept, so
/// <c>Parse(x).ToString() == x</c> for every conformant x (without padding).
/// </summary>
/// <remarks>
/// Strict parsing accepts the forms above plus trailing space padding; Table 6.2-1 forbids leading and embedded
/// spaces. <see cref="DicomParseMode.Lenient"/> also accepts leading spaces, the ACR-NEMA 300 form
/// "HH:MM[:SS[.F…]]" (not compliant per Table 6.2-1) and a "." with no fraction digits ("HHMMSS."); these are
/// normalised to the compact form.
/// </remarks>
public readonly record struct DicomTime : IComparable<DicomTime>
{
    private readonly TimeOnly _time;     // a leap second is held as second 59 plus _leapSecond
    private readonly byte _precisionAboveHour;  // Precision − Hour, so that default(DicomTime) is exactly "00"
    private readonly bool _leapSecond;

    /// <summary>"HH".</summary>
    public DicomTime(int hour) : this(hour, 0, 0, 0, DicomTemporalPrecision.Hour) { }

    /// <summary>"HHMM".</summary>
    public DicomTime(int hour, int minute) : this(hour, minute, 0, 0, DicomTemporalPrecision.Minute) { }

    /// <summary>"HHMMSS"; <paramref name="second"/> may be 60 (leap second).</summary>
    public DicomTime(int hour, int minute, int second) : this(hour, minute, second, 0, DicomTemporalPrecision.Second) { }

    /// <summary>
    /// A time with an explicit precision between <see cref="DicomTemporalPrecision.Hour"/> and
    /// <see cref="DicomTemporalPrecision.Fraction6"/>. Components below the precision must be zero, and the
    /// microseconds must be expressible with the precision's fraction digits (e.g. a multiple of 1000 for
    /// <see cref="DicomTemporalPrecision.Fraction3"/>).
    /// </summary>
    public DicomTime(int hour, int minute, int second, int microsecond, DicomTemporalPrecision precision)
    {
        if (precision is < DicomTemporalPrecision.Hour or > DicomTemporalPrecision.Fraction6)
            throw new ArgumentOutOfRangeException(nameof(precision), precision, "TM precision is Hour to Fraction6.");
        ArgumentOutOfRangeException.ThrowIfNegative(hour);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(hour, 23);
        ArgumentOutOfRangeException.ThrowIfNegative(minute);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minute, 59);
        ArgumentOutOfRangeException.ThrowIfNegative(second);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(second, 60);
        ArgumentOutOfRangeException.ThrowIfNegative(microsecond);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(microsecond, 999_999);
        if ((precision < DicomTemporalPrecision.Minute && minute != 0) || (precision < DicomTemporalPrecision.Second && second != 0)
            || microsecond % DicomValueText.MicrosecondStep(DicomValueText.FractionDigits(precision)) != 0)
        {
            throw new ArgumentException($"The components are finer than the precision {precision}.", nameof(precision));
        }
        _leapSecond = second == 60;
        _time = new TimeOnly(hour, minute, _leapSecond ? 59 : second).Add(TimeSpan.FromMicroseconds(microsecond));
        _precisionAboveHour = (byte)(precision - DicomTemporalPrecision.Hour);
    }

    /// <summary>Hour, 0–23.</summary>
    public int Hour => _time.Hour;

    /// <summary>Minute, 0–59 (0 when not written).</summary>
    public int Minute => _time.Minute;

    /// <summary>Second, 0–60 (0 when not written; 60 for a leap second).</summary>
    public int Second => _leapSecond ? 60 : _time.Second;

    /// <summary>Fraction of the second in microseconds, 0–999999 (0 when not written).</summary>
    public int Microsecond => _time.Millisecond * 1000 + _time.Microsecond;

    /// <summary>The last component written, <see cref="DicomTemporalPrecision.Hour"/> to <see cref="DicomTemporalPrecision.Fraction6"/>.</summary>
    public DicomTemporalPrecision Precision => DicomTemporalPrecision.Hour + _precisionAboveHour;

    /// <summary>Number of fraction digits written (0–6).</summary>
    public int FractionDigits => DicomValueText.FractionDigits(Precision);

    /// <summary>
    /// The earliest instant the value denotes (missing components are zero). A leap second maps to the last
    /// instant <see cref="TimeOnly"/> can represent in that minute (HH:MM:59.9999999), since it has no second 60.
    /// </summary>
    public TimeOnly ToTimeOnly() => _leapSecond ? LastTickOfMinute(_time) : _time;

    /// <summary>
    /// The last instant the value denotes given its precision: "10" → 10:59:59.9999999, "1010" → 10:10:59.9999999,
    /// "101010.5" → 10:10:10.5999999. Used as the inclusive end of a range.
    /// </summary>
    public TimeOnly ToLatestTimeOnly()
    {
        if (_leapSecond) return LastTickOfMinute(_time);
        var span = Precision switch
        {
            DicomTemporalPrecision.Hour => TimeSpan.FromHours(1),
            DicomTemporalPrecision.Minute => TimeSpan.FromMinutes(1),
            _ => TimeSpan.FromMicroseconds(DicomValueText.MicrosecondStep(FractionDigits)),
        };
        var end = _time.ToTimeSpan() + span - TimeSpan.FromTicks(1);
        return TimeOnly.FromTimeSpan(end);
    }

    private static TimeOnly LastTickOfMinute(TimeOnly t) =>
        new TimeOnly(t.Hour, t.Minute).Add(TimeSpan.FromMinutes(1) - TimeSpan.FromTicks(1));

    /// <summary>A TM value from a <see cref="TimeOnly"/>, truncated (not rounded) to <paramref name="precision"/>.</summary>
    public static DicomTime FromTimeOnly(TimeOnly time, DicomTemporalPrecision precision = DicomTemporalPrecision.Fraction6)
    {
        var micro = time.Millisecond * 1000 + time.Microsecond;
        var step = DicomValueText.MicrosecondStep(DicomValueText.FractionDigits(precision));
        return new DicomTime(
            time.Hour,
            precision >= DicomTemporalPrecision.Minute ? time.Minute : 0,
            precision >= DicomTemporalPrecision.Second ? time.Second : 0,
            precision >= DicomTemporalPrecision.Fraction1 ? micro / step * step : 0,
            precision);
    }

    /// <summary>Parses a TM value; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DicomTime Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM TM value (HHMMSS.FFFFFF).");

    /// <summary>Strict <see cref="TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomTime)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DicomTime value) =>
        TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>See <see cref="TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomTime)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, out DicomTime value)
    {
        value = default;
        return text is not null && TryParse(text.AsSpan(), mode, out value);
    }

    /// <summary>Parses "HH[MM[SS[.F{1-6}]]]" after removing trailing padding (lenient forms: see the type remarks).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, DicomParseMode mode, out DicomTime value)
    {
        value = default;
        scoped var s = DicomValueText.Trim(text, mode);
        Span<char> buffer = stackalloc char[13];
        if (mode == DicomParseMode.Lenient)
        {
            if (!TryNormaliseLenient(s, buffer, out var length)) return false;
            s = buffer[..length];
        }
        if (!DicomValueText.TryParseTimeParts(s, out var p)) return false;
        value = new DicomTime(p.Hour, p.Minute, p.Second, p.Microsecond, p.Precision);
        return true;
    }

    /// <summary>Rewrites "HH:MM[:SS[.F]]" and "HHMMSS." to the compact form; other text is copied unchanged.</summary>
    private static bool TryNormaliseLenient(ReadOnlySpan<char> s, Span<char> destination, out int length)
    {
        length = 0;
        var colons = s.Count(':');
        var shapeOk = colons switch
        {
            0 => true,
            1 => s.Length == 5 && s[2] == ':',                    // HH:MM
            2 => s.Length >= 8 && s[2] == ':' && s[5] == ':',      // HH:MM:SS[.F…]
            _ => false,
        };
        if (!shapeOk) return false;
        foreach (var c in s)
        {
            if (c == ':') continue;
            if (length == destination.Length) return false;
            destination[length++] = c;
        }
        if (length == 7 && destination[6] == '.') length = 6;
        return true;
    }

    /// <summary>The DICOM encoding with the precision the value has, e.g. "10", "1010", "101010.50".</summary>
    public override string ToString()
    {
        Span<char> buffer = stackalloc char[13];
        var n = DicomValueText.WriteTime(buffer, Hour, Minute, Second, Microsecond, Precision);
        return new string(buffer[..n]);
    }

    /// <summary>Orders by the earliest instant denoted, then coarser precision first.</summary>
    public int CompareTo(DicomTime other)
    {
        var c = ToTimeOnly().CompareTo(other.ToTimeOnly());
        return c != 0 ? c : Precision.CompareTo(other.Precision);
    }

    public static bool operator <(DicomTime left, DicomTime right) => left.CompareTo(right) < 0;
    public static bool operator >(DicomTime left, DicomTime right) => left.CompareTo(right) > 0;
    public static bool operator <=(DicomTime left, DicomTime right) => left.CompareTo(right) <= 0;
    public static bool operator >=(DicomTime left, DicomTime right) => left.CompareTo(right) >= 0;
}
