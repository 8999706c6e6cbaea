using System.Diagnostics.CodeAnalysis;

namespace RadBridge.Dicom;

/// <summary>
/// A DT (Date Time) value of PS3.5 §6.2, Table 6.2-1: "YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&amp;ZZXX]", where the
/// optional suffix is the offset from UTC ("local time minus UTC", "+0000" for UTC). Trailing null components
/// mean the value is not precise to them; the precision and the presence of the offset are kept, so
/// <c>Parse(x).ToString() == x</c> for every conformant x (without padding).
/// </summary>
/// <remarks>
/// Strict parsing accepts the grammar above with real calendar dates (years 0001–9999), hours 00–23, minutes
/// 00–59, seconds 00–60 (leap second), offsets from −1200 to +1400 with minutes 00–59, and trailing space
/// padding. "−0000" is rejected (Table 6.2-1 requires "+0000" for UTC). <see cref="DicomParseMode.Lenient"/>
/// also accepts leading spaces, "−0000" (read as +0000) and offsets up to ±1400.
/// A value without the suffix is in the local time zone of its creator unless Timezone Offset From UTC
/// (0008,0201) says otherwise: <see cref="ToDateTimeOffset"/> takes that offset from the caller.
/// </remarks>
public readonly record struct DicomDateTime : IComparable<DicomDateTime>
{
    private static readonly TimeSpan MinStrictOffset = TimeSpan.FromHours(-12);
    private static readonly TimeSpan MaxOffset = TimeSpan.FromHours(14);

    private readonly DateTime _local;   // the date and time as written; a leap second is held as 59 plus _leapSecond
    private readonly DicomTemporalPrecision _precision;
    private readonly bool _leapSecond;
    private readonly bool _hasOffset;
    private readonly short _offsetMinutes;

    /// <summary>
    /// A DT value from its components. Components below <paramref name="precision"/> must be at their minimum
    /// (month and day 1, others 0); the microseconds must be expressible with the precision's fraction digits.
    /// <paramref name="second"/> may be 60 (leap second). <paramref name="offset"/> is written as "&amp;ZZXX"
    /// (whole minutes within ±14:00), null for no suffix.
    /// </summary>
    public DicomDateTime(int year, int month, int day, int hour, int minute, int second, int microsecond,
        DicomTemporalPrecision precision, TimeSpan? offset = null)
    {
        if (precision > DicomTemporalPrecision.Fraction6) throw new ArgumentOutOfRangeException(nameof(precision));
        ArgumentOutOfRangeException.ThrowIfNegative(second);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(second, 60);
        ArgumentOutOfRangeException.ThrowIfNegative(microsecond);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(microsecond, 999_999);
        var beyondPrecision =
            (precision < DicomTemporalPrecision.Month && month != 1) || (precision < DicomTemporalPrecision.Day && day != 1)
            || (precision < DicomTemporalPrecision.Hour && hour != 0) || (precision < DicomTemporalPrecision.Minute && minute != 0)
            || (precision < DicomTemporalPrecision.Second && second != 0)
            || microsecond % DicomValueText.MicrosecondStep(DicomValueText.FractionDigits(precision)) != 0;
        if (beyondPrecision) throw new ArgumentException($"The components are finer than the precision {precision}.", nameof(precision));
        if (offset is { } o)
        {
            if (o.Ticks % TimeSpan.TicksPerMinute != 0 || o < -MaxOffset || o > MaxOffset)
                throw new ArgumentOutOfRangeException(nameof(offset), o, "A DT offset is whole minutes within ±14:00.");
            _hasOffset = true;
            _offsetMinutes = (short)o.TotalMinutes;
        }
        _leapSecond = second == 60;
        _local = new DateTime(year, month, day, hour, minute, _leapSecond ? 59 : second, DateTimeKind.Unspecified)
            .AddTicks(microsecond * TimeSpan.TicksPerMicrosecond);
        _precision = precision;
    }

    /// <summary>Year, 1–9999.</summary>
    public int Year => _local.Year;

    /// <summary>Month, 1–12 (1 when not written).</summary>
    public int Month => _local.Month;

    /// <summary>Day, 1–31 (1 when not written).</summary>
    public int Day => _local.Day;

    /// <summary>Hour, 0–23 (0 when not written).</summary>
    public int Hour => _local.Hour;

    /// <summary>Minute, 0–59 (0 when not written).</summary>
    public int Minute => _local.Minute;

    /// <summary>Second, 0–60 (0 when not written, 60 for a leap second).</summary>
    public int Second => _leapSecond ? 60 : _local.Second;

    /// <summary>Fraction of the second in microseconds (0 when not written).</summary>
    public int Microsecond => _local.Millisecond * 1000 + _local.Microsecond;

    /// <summary>The last component written.</summary>
    public DicomTemporalPrecision Precision => _precision;

    /// <summary>The "&amp;ZZXX" suffix as a <see cref="TimeSpan"/>, or null when the value has none.</summary>
    public TimeSpan? Offset => _hasOffset ? TimeSpan.FromMinutes(_offsetMinutes) : null;

    /// <summary>
    /// The earliest instant the value denotes: missing components take their minimum, the offset is the value's
    /// own or else <paramref name="defaultOffset"/> (typically Timezone Offset From UTC (0008,0201), see
    /// <see cref="TryParseUtcOffset(string?, out TimeSpan)"/>, or the local zone of the system that created the data). A leap second
    /// maps to the last tick of its minute.
    /// </summary>
    public DateTimeOffset ToDateTimeOffset(TimeSpan defaultOffset) =>
        new(_leapSecond ? LastTickOfMinute(_local) : _local, Offset ?? defaultOffset);

    /// <summary>
    /// The last instant the value denotes given its precision ("2020" → 2020-12-31T23:59:59.9999999), with the
    /// offset chosen as in <see cref="ToDateTimeOffset"/>. Used as the inclusive end of a range.
    /// </summary>
    public DateTimeOffset ToLatestDateTimeOffset(TimeSpan defaultOffset)
    {
        var start = _leapSecond ? LastTickOfMinute(_local) : _local;
        var end = _leapSecond ? start : _precision switch
        {
            DicomTemporalPrecision.Year => start.AddYears(1).AddTicks(-1),
            DicomTemporalPrecision.Month => start.AddMonths(1).AddTicks(-1),
            DicomTemporalPrecision.Day => start.AddDays(1).AddTicks(-1),
            DicomTemporalPrecision.Hour => start.AddHours(1).AddTicks(-1),
            DicomTemporalPrecision.Minute => start.AddMinutes(1).AddTicks(-1),
            _ => start.AddTicks(DicomValueText.MicrosecondStep(DicomValueText.FractionDigits(_precision)) * TimeSpan.TicksPerMicrosecond - 1),
        };
        return new DateTimeOffset(end, Offset ?? defaultOffset);
    }

    private static DateTime LastTickOfMinute(DateTime t) =>
        new DateTime(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, t.Kind).AddMinutes(1).AddTicks(-1);

    /// <summary>
    /// A DT value from a <see cref="DateTimeOffset"/>, truncated to <paramref name="precision"/>, written with its
    /// offset when <paramref name="includeOffset"/> is true.
    /// </summary>
    public static DicomDateTime FromDateTimeOffset(DateTimeOffset value,
        DicomTemporalPrecision precision = DicomTemporalPrecision.Fraction6, bool includeOffset = true) =>
        FromComponents(value.DateTime, precision, includeOffset ? value.Offset : null);

    /// <summary>A DT value without offset from the date and time of <paramref name="value"/> (its Kind is ignored), truncated to <paramref name="precision"/>.</summary>
    public static DicomDateTime FromDateTime(DateTime value, DicomTemporalPrecision precision = DicomTemporalPrecision.Fraction6) =>
        FromComponents(value, precision, null);

    /// <summary>
    /// Combines a DA and an optional TM (for instance Study Date and Study Time) into a DT with the time's precision
    /// (or <see cref="DicomTemporalPrecision.Day"/> without a time).
    /// </summary>
    public static DicomDateTime Combine(DicomDate date, DicomTime? time = null, TimeSpan? offset = null) => time is { } t
        ? new DicomDateTime(date.Year, date.Month, date.Day, t.Hour, t.Minute, t.Second, t.Microsecond, t.Precision, offset)
        : new DicomDateTime(date.Year, date.Month, date.Day, 0, 0, 0, 0, DicomTemporalPrecision.Day, offset);

    private static DicomDateTime FromComponents(DateTime v, DicomTemporalPrecision p, TimeSpan? offset)
    {
        var step = DicomValueText.MicrosecondStep(DicomValueText.FractionDigits(p));
        var micro = v.Millisecond * 1000 + v.Microsecond;
        return new DicomDateTime(
            v.Year,
            p >= DicomTemporalPrecision.Month ? v.Month : 1,
            p >= DicomTemporalPrecision.Day ? v.Day : 1,
            p >= DicomTemporalPrecision.Hour ? v.Hour : 0,
            p >= DicomTemporalPrecision.Minute ? v.Minute : 0,
            p >= DicomTemporalPrecision.Second ? v.Second : 0,
            p >= DicomTemporalPrecision.Fraction1 ? micro / step * step : 0,
            p,
            offset);
    }

    /// <summary>Parses a DT value; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DicomDateTime Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM DT value.");

    /// <summary>Strict <see cref="TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomDateTime)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out DicomDateTime value) =>
        TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>See <see cref="TryParse(ReadOnlySpan{char}, DicomParseMode, out DicomDateTime)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, out DicomDateTime value)
    {
        value = default;
        return text is not null && TryParse(text.AsSpan(), mode, out value);
    }

    /// <summary>Parses "YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&amp;ZZXX]" after removing trailing padding (see the type remarks).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, DicomParseMode mode, out DicomDateTime value)
    {
        value = default;
        var s = DicomValueText.Trim(text, mode);
        TimeSpan? offset = null;
        if (s.Length >= 9 && s[^5] is '+' or '-')
        {
            if (!TryParseOffset(s[^5..], mode, out var o)) return false;
            offset = o;
            s = s[..^5];
        }
        DicomTemporalPrecision precision;
        switch (s.Length)
        {
            case 4: precision = DicomTemporalPrecision.Year; break;
            case 6: precision = DicomTemporalPrecision.Month; break;
            case 8: precision = DicomTemporalPrecision.Day; break;
            case >= 10 and <= 21: precision = DicomTemporalPrecision.Hour; break; // refined by the time part
            default: return false;
        }
        if (!DicomValueText.TryParseDigits(s[..4], out var year) || year < 1) return false;
        int month = 1, day = 1;
        if (s.Length >= 6 && (!DicomValueText.TryParseDigits(s[4..6], out month) || month is < 1 or > 12)) return false;
        if (s.Length >= 8 && (!DicomValueText.TryParseDigits(s[6..8], out day) || day < 1 || day > DateTime.DaysInMonth(year, month))) return false;
        var time = default(DicomValueText.TimeParts);
        if (s.Length >= 10)
        {
            if (!DicomValueText.TryParseTimeParts(s[8..], out time)) return false;
            precision = time.Precision;
        }
        value = new DicomDateTime(year, month, day, time.Hour, time.Minute, time.Second, time.Microsecond, precision, offset);
        return true;
    }

    /// <summary>
    /// Parses a UTC offset "&amp;ZZXX", the format of DT's suffix and of Timezone Offset From UTC (0008,0201)
    /// (PS3.3 §C.12.1.1.8), e.g. "+0530", "-0800". Same strictness rules as the DT suffix.
    /// </summary>
    public static bool TryParseUtcOffset([NotNullWhen(true)] string? text, out TimeSpan offset) =>
        TryParseUtcOffset(text, DicomParseMode.Strict, out offset);

    /// <summary>See <see cref="TryParseUtcOffset(string?, out TimeSpan)"/>.</summary>
    public static bool TryParseUtcOffset([NotNullWhen(true)] string? text, DicomParseMode mode, out TimeSpan offset)
    {
        offset = default;
        return text is not null && TryParseOffset(DicomValueText.Trim(text, mode), mode, out offset);
    }

    private static bool TryParseOffset(ReadOnlySpan<char> s, DicomParseMode mode, out TimeSpan offset)
    {
        offset = default;
        if (s.Length != 5 || s[0] is not ('+' or '-')) return false;
        if (!DicomValueText.TryParseDigits(s[1..3], out var hh) || !DicomValueText.TryParseDigits(s[3..], out var mm) || mm > 59) return false;
        var negative = s[0] == '-';
        if (negative && hh == 0 && mm == 0 && mode == DicomParseMode.Strict) return false;
        offset = new TimeSpan(hh, mm, 0);
        if (negative) offset = -offset;
        var min = mode == DicomParseMode.Strict ? MinStrictOffset : -MaxOffset;
        return offset >= min && offset <= MaxOffset;
    }

    /// <summary>Formats a UTC offset as "&amp;ZZXX" ("+0000" for zero).</summary>
    public static string FormatUtcOffset(TimeSpan offset)
    {
        Span<char> buffer = stackalloc char[5];
        WriteOffset(buffer, (int)offset.TotalMinutes);
        return new string(buffer);
    }

    private static void WriteOffset(Span<char> d, int minutes)
    {
        d[0] = minutes < 0 ? '-' : '+';
        minutes = Math.Abs(minutes);
        DicomValueText.WriteDigits(d[1..], minutes / 60, 2);
        DicomValueText.WriteDigits(d[3..], minutes % 60, 2);
    }

    /// <summary>The DICOM encoding with the value's precision and offset, e.g. "2020", "20200314150926.535-0500".</summary>
    public override string ToString()
    {
        Span<char> d = stackalloc char[26];
        DicomValueText.WriteDigits(d, Year, 4);
        var n = 4;
        if (_precision >= DicomTemporalPrecision.Month)
        {
            DicomValueText.WriteDigits(d[4..], Month, 2);
            n = 6;
        }
        if (_precision >= DicomTemporalPrecision.Day)
        {
            DicomValueText.WriteDigits(d[6..], Day, 2);
            n = 8;
        }
        if (_precision >= DicomTemporalPrecision.Hour) n = 8 + DicomValueText.WriteTime(d[8..], Hour, Minute, Second, Microsecond, _precision);
        if (_hasOffset)
        {
            WriteOffset(d[n..], _offsetMinutes);
            n += 5;
        }
        return new string(d[..n]);
    }

    /// <summary>
    /// Orders by the earliest instant denoted, reading values without an offset as UTC, then by precision.
    /// Use <see cref="ToDateTimeOffset"/> with the right default offset when values mix zones.
    /// </summary>
    public int CompareTo(DicomDateTime other)
    {
        var c = ToDateTimeOffset(TimeSpan.Zero).CompareTo(other.ToDateTimeOffset(TimeSpan.Zero));
        return c != 0 ? c : _precision.CompareTo(other._precision);
    }

    public static bool operator <(DicomDateTime left, DicomDateTime right) => left.CompareTo(right) < 0;
    public static bool operator >(DicomDateTime left, DicomDateTime right) => left.CompareTo(right) > 0;
    public static bool operator <=(DicomDateTime left, DicomDateTime right) => left.CompareTo(right) <= 0;
    public static bool operator >=(DicomDateTime left, DicomDateTime right) => left.CompareTo(right) >= 0;
}
