using System.Globalization;

namespace RadBridge.Dicom.Deidentification;

// Replacement values: dummies per VR (action D) and date shifting (Retain Longitudinal ... Modified Dates).
internal static class DeidentificationValues
{
    /// <summary>Dummy for text that may hold anything (LO, SH, ST, LT, UT, UC); fits SH's 16 characters.</summary>
    public const string DummyText = "ANONYMIZED";

    /// <summary>Coding Scheme Designator of dummy codes: a private scheme ("99" prefix, PS3.16 §8.2).</summary>
    public const string DummyCodingScheme = "99RADBRIDGE";

    /// <summary>Dummy person name; a valid PN of one component.</summary>
    public const string DummyPersonName = "ANONYMOUS";

    /// <summary>
    /// The dummy value text for a text VR, or null when the VR has no safe dummy text (CS, whose values are defined
    /// terms the IOD checks, AT and binary VRs: the caller keeps or zeroes those).
    /// </summary>
    public static string? DummyFor(DicomVR vr) => vr switch
    {
        DicomVR.AE => "ANONYMOUS",
        DicomVR.AS => "000D",
        DicomVR.DA => "19000101",
        DicomVR.DT => "19000101000000",
        DicomVR.TM => "000000",
        DicomVR.DS or DicomVR.IS => "0",
        DicomVR.PN => DummyPersonName,
        DicomVR.LO or DicomVR.SH or DicomVR.ST or DicomVR.LT or DicomVR.UT or DicomVR.UC => DummyText,
        DicomVR.UR => "urn:x-anonymized",
        _ => null,
    };

    /// <summary>Zero bytes of the same length (at least one value unit, even): the dummy for binary VRs.</summary>
    public static byte[] DummyBinary(DicomVR vr, long originalLength)
    {
        var unit = Math.Max(2, vr.UnitSize());
        var length = originalLength > 0 && originalLength < 1 << 20 ? originalLength : unit;
        length = (length + unit - 1) / unit * unit;
        return new byte[length];
    }

    /// <summary>
    /// Shifts every date of a DA or DT value (multiple values and DA ranges included) by <paramref name="days"/>.
    /// Null when a value is not a date this can shift (the caller then uses a dummy).
    /// </summary>
    public static string? ShiftDates(string text, DicomVR vr, int days)
    {
        var values = text.Split('\\');
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i].Trim();
            if (v.Length == 0) continue;
            var shifted = vr == DicomVR.DA ? ShiftDateOrRange(v, days) : ShiftDateTime(v, days);
            if (shifted is null) return null;
            values[i] = shifted;
        }
        return string.Join('\\', values);
    }

    private static string? ShiftDateOrRange(string value, int days)
    {
        var dash = value.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0) return ShiftDate(value, days);
        var from = dash == 0 ? "" : ShiftDate(value[..dash], days);
        var to = dash == value.Length - 1 ? "" : ShiftDate(value[(dash + 1)..], days);
        return from is null || to is null ? null : from + "-" + to;
    }

    private static string? ShiftDate(string value, int days)
    {
        // ACR-NEMA "yyyy.mm.dd" is still met in old files (PS3.5 §6.2 Note); written back in the current form.
        var s = value.Length == 10 && value[4] == '.' && value[7] == '.' ? value.Remove(7, 1).Remove(4, 1) : value;
        if (!DateOnly.TryParseExact(s, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return null;
        return AddDays(date, days) is { } d ? d.ToString("yyyyMMdd", CultureInfo.InvariantCulture) : null;
    }

    // DT: YYYY[MM[DD[HH[MM[SS[.F{1-6}]]]]]][&ZZXX]; only the date part moves, at its own precision.
    private static string? ShiftDateTime(string value, int days)
    {
        var digits = 0;
        while (digits < value.Length && char.IsAsciiDigit(value[digits])) digits++;
        if (digits < 4) return null;
        var datePart = value[..Math.Min(digits, 8)];
        var rest = value[datePart.Length..];
        var padded = datePart.Length switch
        {
            4 => datePart + "0101",
            6 => datePart + "01",
            8 => datePart,
            _ => null,
        };
        if (padded is null) return null;
        var shifted = ShiftDate(padded, days);
        return shifted is null ? null : shifted[..datePart.Length] + rest;
    }

    private static DateOnly? AddDays(DateOnly date, int days)
    {
        var n = date.DayNumber + (long)days;
        return n < DateOnly.MinValue.DayNumber || n > DateOnly.MaxValue.DayNumber ? null : DateOnly.FromDayNumber((int)n);
    }
}
