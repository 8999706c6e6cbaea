using System.Globalization;
using System.Text;
using RadBridge.Reporting.Pdf;

namespace RadBridge.Reporting;

/// <summary>DICOM values as a person reads them on a report.</summary>
internal static class ReportText
{
    /// <summary>
    /// A PN value for print: each component group (alphabetic, ideographic, phonetic) with its components in DICOM
    /// order (family name first), CJK components without spaces; distinct groups joined by " / ".
    /// "Zhang^Wei=张^伟" → "Zhang Wei / 张伟".
    /// </summary>
    public static string PersonName(string? pn)
    {
        if (string.IsNullOrWhiteSpace(pn)) return "";
        var groups = new List<string>();
        foreach (var group in pn.Split('='))
        {
            var parts = group.Split('^').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
            if (parts.Count == 0) continue;
            var cjk = parts.Any(p => p.EnumerateRunes().Any(ReportTypeface.IsCjk));
            var text = string.Join(cjk ? "" : " ", parts);
            if (!groups.Contains(text, StringComparer.Ordinal)) groups.Add(text);
        }
        return string.Join(" / ", groups);
    }

    /// <summary>YYYYMMDD as YYYY-MM-DD; anything else as it is.</summary>
    public static string Date(string? da) =>
        da is { Length: 8 } && DateOnly.TryParseExact(da, "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : da?.Trim() ?? "";

    /// <summary>HHMMSS(.ffffff) as HH:MM; anything else as it is.</summary>
    public static string Time(string? tm) =>
        tm is { Length: >= 4 } && tm[..4].All(char.IsAsciiDigit) ? $"{tm[..2]}:{tm[2..4]}" : tm?.Trim() ?? "";

    public static string DateTime(DateTimeOffset at) =>
        at.ToString("yyyy-MM-dd HH:mm 'UTC'zzz", CultureInfo.InvariantCulture);

    /// <summary>Text without control characters other than line breaks and tabs (tabs become spaces).</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Replace("\r\n", "\n", StringComparison.Ordinal))
        {
            if (c == '\t') sb.Append(' ');
            else if (c == '\n' || !char.IsControl(c)) sb.Append(c);
        }
        return sb.ToString();
    }
}
