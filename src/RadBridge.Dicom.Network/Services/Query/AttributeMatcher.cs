namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>Options of attribute matching.</summary>
public sealed record MatchingOptions
{
    /// <summary>
    /// Match PN values ignoring case (PS3.4 C.2.2.2.1 lets an SCP do so, and most PACS do: "smith" finds "SMITH^JOHN").
    /// Other VRs always match case-sensitively.
    /// </summary>
    public bool CaseInsensitivePersonNames { get; init; }
}

/// <summary>
/// Matching of one key against one candidate attribute per PS3.4 C.2.2.2: universal (empty key), single value,
/// wildcard (* and ?, not for UI/DA/TM/DT and binary VRs), range (DA, TM, DT, including open ranges), list of UIDs
/// (backslash-separated), and sequence matching one level deep. A multi-valued candidate matches when any value does.
/// </summary>
/// <remarks>
/// Candidate attributes that are absent or empty never match a key with a value (the standard leaves this to the SCP).
/// DT range keys with UTC offsets are compared without the offset.
/// </remarks>
public static class AttributeMatcher
{
    /// <summary>True when the key element of an identifier matches the candidate's attribute with the same tag.</summary>
    public static bool Matches(DicomDataset identifier, DicomElement key, DicomDataset candidate, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(candidate);
        options ??= new MatchingOptions();
        if (key is DicomSequence sequence) return MatchesSequence(sequence, candidate, options);
        if (key.VR.IsBinaryNumber() || !key.VR.IsText() && key.VR != DicomVR.UN)
        {
            // Binary keys only support universal matching here (no PS3.4 rule gives them wildcards or ranges).
            return key is not DicomValueElement { Length: > 0 } || candidate.Contains(key.Tag);
        }
        var keyText = identifier.GetString(key.Tag) ?? "";
        if (keyText.Length == 0) return true; // universal matching: every entity matches
        var values = candidate.GetStrings(key.Tag);
        if (values.Length == 0) return false;
        return key.VR switch
        {
            DicomVR.UI => MatchesUidList(keyText, values),
            DicomVR.DA or DicomVR.TM or DicomVR.DT => values.Any(v => MatchesDateTime(key.VR, keyText, v)),
            DicomVR.PN => values.Any(v => MatchesText(keyText, v, options.CaseInsensitivePersonNames)),
            _ => values.Any(v => MatchesText(keyText, v, ignoreCase: false)),
        };
    }

    /// <summary>List of UID matching (C.2.2.2.2): the candidate matches when it equals any UID of the key.</summary>
    public static bool MatchesUidList(string key, IEnumerable<string> candidateValues)
    {
        ArgumentNullException.ThrowIfNull(key);
        var uids = key.Split('\\', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(u => u.TrimEnd('\0')).ToHashSet(StringComparer.Ordinal);
        return candidateValues.Any(v => uids.Contains(v.Trim().TrimEnd('\0')));
    }

    /// <summary>Single value or wildcard matching (C.2.2.2.1, C.2.2.2.3) of text: * any run, ? one character.</summary>
    public static bool MatchesText(string key, string candidate, bool ignoreCase)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(candidate);
        key = key.Trim();
        candidate = candidate.Trim();
        if (key == "*") return true;
        return Wildcard(key.AsSpan(), candidate.AsSpan(), ignoreCase);
    }

    // Iterative glob with backtracking to the last '*': linear-ish, no recursion a hostile key could deepen.
    private static bool Wildcard(ReadOnlySpan<char> pattern, ReadOnlySpan<char> text, bool ignoreCase)
    {
        int p = 0, t = 0, star = -1, mark = 0;
        while (t < text.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || Same(pattern[p], text[t], ignoreCase)))
            {
                p++;
                t++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = t;
            }
            else if (star >= 0)
            {
                p = star + 1;
                t = ++mark;
            }
            else
            {
                return false;
            }
        }
        while (p < pattern.Length && pattern[p] == '*') p++;
        return p == pattern.Length;
    }

    private static bool Same(char a, char b, bool ignoreCase) =>
        a == b || ignoreCase && char.ToUpperInvariant(a) == char.ToUpperInvariant(b);

    /// <summary>
    /// Single value or range matching of DA, TM and DT (C.2.2.2.1, C.2.2.2.5): "a-b" inclusive, "a-" from a on,
    /// "-b" up to b. Bounds are compared after normalising both sides to full precision (a lower bound fills with the
    /// smallest, an upper bound with the largest value of the missing components).
    /// </summary>
    public static bool MatchesDateTime(DicomVR vr, string key, string candidate)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(candidate);
        key = key.Trim();
        var dash = key.IndexOf('-', StringComparison.Ordinal);
        if (vr == DicomVR.DT && dash > 0 && dash < key.Length - 1 && LooksLikeOffset(key, dash)) dash = -1;
        var value = Normalize(vr, candidate, upper: false);
        if (dash < 0)
        {
            // A single value matches the whole span its precision covers (a DA of 20240101 in a DT key, TM "10" = 10:xx).
            return string.CompareOrdinal(value, Normalize(vr, key, upper: false)) >= 0 && string.CompareOrdinal(value, Normalize(vr, key, upper: true)) <= 0;
        }
        var low = key[..dash].Trim();
        var high = key[(dash + 1)..].Trim();
        if (low.Length > 0 && string.CompareOrdinal(value, Normalize(vr, low, upper: false)) < 0) return false;
        if (high.Length > 0 && string.CompareOrdinal(value, Normalize(vr, high, upper: true)) > 0) return false;
        return true;
    }

    // "20240101120000-0500" is one DT with an offset, not a range: the part after the dash is exactly four digits
    // following a value that already has the hour.
    private static bool LooksLikeOffset(string key, int dash) =>
        key.Length - dash - 1 == 4 && dash >= 10 && key.AsSpan(dash + 1).IndexOfAnyExceptInRange('0', '9') < 0;

    private static string Normalize(DicomVR vr, string text, bool upper)
    {
        var t = text.Trim().Replace(":", "", StringComparison.Ordinal);
        if (vr == DicomVR.DA) t = t.Replace(".", "", StringComparison.Ordinal); // ACR-NEMA "2024.01.01"
        if (vr == DicomVR.DT)
        {
            var offset = t.IndexOfAny(['+', '-'], Math.Min(t.Length, 4));
            if (offset > 0) t = t[..offset];
        }
        var full = vr switch
        {
            DicomVR.DA => upper ? "99991231" : "00000101",
            DicomVR.TM => upper ? "235959.999999" : "000000.000000",
            _ => upper ? "99991231235959.999999" : "00000101000000.000000",
        };
        if (t.Length >= full.Length) return t[..full.Length];
        if (!upper) return t + full[t.Length..];
        // An upper bound's missing month/day/hour... components are their maxima; "20240" style partial digits keep
        // comparing correctly because the max pattern is digit-wise maximal only where components are complete.
        return t + full[t.Length..];
    }

    /// <summary>
    /// Sequence matching (C.2.2.2.6): an empty item (or no item) is universal; otherwise the candidate matches when one
    /// of its items matches every key of the key's first item.
    /// </summary>
    private static bool MatchesSequence(DicomSequence key, DicomDataset candidate, MatchingOptions options)
    {
        if (key.Items.Count == 0 || key.Items[0].Count == 0) return true;
        if (candidate.GetSequence(key.Tag) is not { } items) return false;
        return items.Items.Any(item => MatchingItem(key.Items[0], item, options));
    }

    internal static bool MatchingItem(DicomDataset keyItem, DicomDataset candidateItem, MatchingOptions options) =>
        keyItem.All(k => k.Tag == QueryLevels.SpecificCharacterSet || Matches(keyItem, k, candidateItem, options));
}
