using System.Globalization;
using System.Text;

namespace RadBridge.Archive.Query;

/// <summary>
/// The matching value forms of PS3.4 C.2.2.2 as the index compares them: validation, wildcard to LIKE pattern, range
/// bounds of DA/TM values stored as strings, UID lists.
/// </summary>
internal static class MatchValues
{
    public const string LikeEscape = "\\";

    // Longer than any value of a matchable VR (LO 64, PN 3 × 64, UI 64): a bigger key is a mistake or an attack on LIKE.
    private const int MaxValueLength = 1024;

    // A list of UIDs beyond this is not a query a client means (and a C-FIND identifier could carry megabytes of them).
    private const int MaxUids = 4096;

    public static bool HasWildcard(string value) => value.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>
    /// A DICOM wildcard value as a LIKE pattern with <see cref="LikeEscape"/> as escape: <c>*</c> → <c>%</c>, <c>?</c> →
    /// <c>_</c>, and the value's own <c>%</c>, <c>_</c> and <c>\</c> escaped so they match literally.
    /// </summary>
    public static string ToLikePattern(string value)
    {
        var sb = new StringBuilder(value.Length + 4);
        foreach (var c in value)
        {
            switch (c)
            {
                case '*' when sb.Length > 0 && sb[^1] == '%' && (sb.Length < 2 || sb[^2] != '\\'):
                    break; // "**" is "*": one % gives the database fewer ways to backtrack
                case '*': sb.Append('%'); break;
                case '?': sb.Append('_'); break;
                case '%' or '_' or '\\': sb.Append('\\').Append(c); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }

    /// <summary>The UIDs of a list-of-UID key (backslash-separated; NUL padding and spaces dropped).</summary>
    public static string[] UidList(string value) =>
        [.. value.Split('\\', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(u => u.TrimEnd('\0')).Where(u => u.Length > 0).Distinct(StringComparer.Ordinal)];

    /// <summary>Checks a non-universal matching value against what the attribute's matching allows.</summary>
    /// <exception cref="IndexQueryException">The value is not a valid key of this attribute.</exception>
    public static void Validate(IndexedAttribute attribute, string value)
    {
        if (attribute.Matching != IndexMatching.Uid && value.Length > MaxValueLength)
        {
            throw new IndexQueryException($"{attribute.Keyword}: a matching value of {value.Length} characters is longer than any stored value can be");
        }
        switch (attribute.Matching)
        {
            case IndexMatching.Uid:
                var uids = UidList(value);
                if (uids.Length > MaxUids) throw new IndexQueryException($"{attribute.Keyword}: a list of {uids.Length} UIDs is more than the {MaxUids} one query may name");
                foreach (var uid in uids)
                {
                    if (!Storage.InstanceFileStore.IsValidUid(uid)) throw new IndexQueryException($"{attribute.Keyword}: '{QidoQueryParser.Clip(uid)}' is not a UID (UID keys take single UIDs or a list, no wildcards)");
                }
                break;
            case IndexMatching.Date or IndexMatching.Time:
                if (TryRange(attribute.Matching, value, out _, out _) is false)
                {
                    var form = attribute.Matching == IndexMatching.Date ? "YYYYMMDD, YYYYMMDD-YYYYMMDD, -YYYYMMDD or YYYYMMDD-" : "HHMMSS.FFFFFF, a range low-high, -high or low-";
                    throw new IndexQueryException($"{attribute.Keyword}: '{QidoQueryParser.Clip(value)}' is not a {(attribute.Matching == IndexMatching.Date ? "date" : "time")} or range ({form})");
                }
                break;
            case IndexMatching.Integer:
                if (!int.TryParse(value.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
                {
                    throw new IndexQueryException($"{attribute.Keyword}: '{QidoQueryParser.Clip(value)}' is not an integer (only single value matching applies)");
                }
                break;
            case IndexMatching.ValuesBelow when attribute.Tag == DicomTags.SOPClassesInStudy:
                Validate(attribute with { Matching = IndexMatching.Uid }, value);
                break;
            case IndexMatching.ReturnOnly:
                throw new IndexQueryException($"{attribute.Keyword} is computed by the archive: it is a return key only");
        }
    }

    /// <summary>
    /// The inclusive bounds a DA or TM key (single value or range) puts on the stored string; null for an open side.
    /// The stored values are compared as strings: a lower bound is cut after its last significant digit (a stored "1000"
    /// is 10:00:00.000000, at or after a bound of 10:00) and an upper bound is filled with the largest value of its
    /// missing components (an upper bound of "10" means up to 10:59:59.999999), as PS3.4 C.2.2.2.5 asks.
    /// </summary>
    public static bool TryRange(IndexMatching kind, string value, out string? low, out string? high)
    {
        low = high = null;
        var key = value.Trim();
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        string lowText, highText;
        if (dash < 0)
        {
            lowText = highText = key;
        }
        else
        {
            if (key.IndexOf('-', dash + 1) >= 0) return false;
            lowText = key[..dash].Trim();
            highText = key[(dash + 1)..].Trim();
            if (lowText.Length == 0 && highText.Length == 0) return false;
        }
        if (lowText.Length > 0)
        {
            if (Normalize(kind, lowText, upper: false) is not { } l) return false;
            low = kind == IndexMatching.Time ? TrimInsignificant(l) : l;
        }
        if (highText.Length > 0)
        {
            if (Normalize(kind, highText, upper: true) is not { } h) return false;
            high = h;
        }
        return true;
    }

    private static string? Normalize(IndexMatching kind, string text, bool upper)
    {
        var t = text.Replace(":", "", StringComparison.Ordinal);
        if (kind == IndexMatching.Date) t = t.Replace(".", "", StringComparison.Ordinal); // ACR-NEMA "2024.01.01"
        var full = kind == IndexMatching.Date
            ? upper ? "99991231" : "00000101"
            : upper ? "235959.999999" : "000000.000000";
        if (t.Length > full.Length || t.Length == 0) return null;
        for (var i = 0; i < t.Length; i++)
        {
            var ok = full[i] == '.' ? t[i] == '.' : char.IsAsciiDigit(t[i]);
            if (!ok) return null;
        }
        if (kind == IndexMatching.Date && t.Length is not (4 or 6 or 8)) return null;
        return t + full[t.Length..];
    }

    // "100000.000000" → "1": a stored "100000" or "10" must compare at or above it, as its normalised value does.
    private static string TrimInsignificant(string bound)
    {
        var trimmed = bound.TrimEnd('0', '.');
        return trimmed.Length == 0 ? "0" : trimmed;
    }
}
