using System.Globalization;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Query;

/// <summary>
/// Turns the query parameters of a QIDO-RS search (PS3.18 8.3.4, 10.6.1) into an <see cref="IndexQuery"/>:
/// <c>{attributeID}={value}</c> with a keyword or eight hex digits, <c>includefield</c> (repeated or comma-separated,
/// <c>all</c>), <c>fuzzymatching</c>, <c>limit</c>, <c>offset</c>. UID keys take a list (comma- or
/// backslash-separated, or the key repeated). Anything else is refused with an <see cref="IndexQueryException"/> naming
/// it — unknown parameters and attributes, sequence paths, matching on an attribute the index does not hold, a key
/// given twice, malformed values — which the HTTP layer answers with 400.
/// </summary>
public static class QidoQueryParser
{
    /// <summary>Parameters of the request that are not part of the query (content negotiation); the HTTP layer reads them.</summary>
    public static IReadOnlySet<string> TransportParameters { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "accept", "charset" };

    /// <summary>Parses the parameters of a search at <paramref name="level"/>.</summary>
    /// <param name="level">Study, Series or Image (instances); QIDO-RS has no patient level.</param>
    /// <param name="parameters">The query string's name/value pairs in order (URL-decoded), repeats included.</param>
    /// <param name="studyInstanceUid">The study of the target resource (<c>/studies/{uid}/series</c>, …), if any.</param>
    /// <param name="seriesInstanceUid">The series of the target resource (<c>…/series/{uid}/instances</c>), if any.</param>
    /// <exception cref="IndexQueryException">The request cannot be answered as asked; the message names the parameter.</exception>
    public static IndexQuery Parse(QueryLevel level, IEnumerable<KeyValuePair<string, string>> parameters, string? studyInstanceUid = null, string? seriesInstanceUid = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (level == QueryLevel.Patient) throw new IndexQueryException("QIDO-RS has no patient level: search studies, series or instances");
        var conditions = new Dictionary<DicomTag, MatchCondition>();
        var include = new List<DicomTag>();
        bool includeAll = false, fuzzy = false;
        int? limit = null;
        var offset = 0;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (rawName, rawValue) in parameters)
        {
            var name = rawName.Trim();
            var value = rawValue ?? "";
            switch (name.ToLowerInvariant())
            {
                case "includefield":
                    foreach (var field in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (field.Equals("all", StringComparison.OrdinalIgnoreCase)) includeAll = true;
                        else include.Add(ResolveAttribute(field, "includefield").Tag);
                    }
                    continue;
                case "fuzzymatching":
                    Once(seen, "fuzzymatching");
                    fuzzy = value.Trim().ToLowerInvariant() switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw new IndexQueryException($"fuzzymatching must be true or false, not '{Clip(value)}'"),
                    };
                    continue;
                case "limit":
                    Once(seen, "limit");
                    limit = NonNegative("limit", value);
                    continue;
                case "offset":
                    Once(seen, "offset");
                    offset = NonNegative("offset", value);
                    continue;
            }
            if (TransportParameters.Contains(name)) continue;
            if (name.Contains('.', StringComparison.Ordinal))
            {
                throw new IndexQueryException($"'{Clip(name)}': matching on attributes inside sequences is not supported");
            }
            var attribute = ResolveAttribute(name, "query parameter");
            var condition = ToCondition(level, attribute, value);
            if (conditions.TryGetValue(attribute.Tag, out var earlier))
            {
                // A UID key may be repeated to list UIDs (the union); any other key once.
                if (attribute.VR != DicomVR.UI) throw new IndexQueryException($"{attribute.Keyword} is given more than once");
                condition = condition with { Value = earlier.Value + "\\" + condition.Value };
            }
            conditions[attribute.Tag] = condition;
        }
        if (studyInstanceUid is not null) conditions[DicomTags.StudyInstanceUID] = new MatchCondition(DicomTags.StudyInstanceUID, RequireSingleUid(studyInstanceUid, "study"));
        if (seriesInstanceUid is not null) conditions[DicomTags.SeriesInstanceUID] = new MatchCondition(DicomTags.SeriesInstanceUID, RequireSingleUid(seriesInstanceUid, "series"));
        return new IndexQuery
        {
            Level = level,
            Conditions = [.. conditions.Values],
            FuzzyMatching = fuzzy,
            Limit = limit,
            Offset = offset,
            IncludeFields = [.. include.Distinct()],
            IncludeAllFields = includeAll,
            Style = ResponseStyle.Qido,
            TargetStudyInstanceUid = studyInstanceUid,
            TargetSeriesInstanceUid = seriesInstanceUid,
        };
    }

    private static MatchCondition ToCondition(QueryLevel level, (DicomTag Tag, string Keyword, DicomVR VR) attribute, string value)
    {
        value = value.Trim();
        if (attribute.VR == DicomVR.UI)
        {
            value = string.Join('\\', value.Split([',', '\\'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
        }
        var condition = new MatchCondition(attribute.Tag, value);
        if (condition.IsUniversal) return condition;
        if (IndexedAttributes.Find(attribute.Tag) is not { } indexed || indexed.Matching == IndexMatching.ReturnOnly)
        {
            throw new IndexQueryException($"matching on {attribute.Keyword} {attribute.Tag} is not supported: the index does not hold it (it may be asked for with includefield)");
        }
        if (indexed.Level > level)
        {
            throw new IndexQueryException($"{attribute.Keyword} belongs to the {LevelName(indexed.Level)} level: it cannot be matched in a {LevelName(level)} search");
        }
        MatchValues.Validate(indexed, value);
        return condition;
    }

    /// <summary>A keyword (case-sensitive, as PS3.6 spells it) or eight hex digits; unknown ones are refused.</summary>
    internal static (DicomTag Tag, string Keyword, DicomVR VR) ResolveAttribute(string name, string what)
    {
        DicomDictionaryEntry? entry;
        if (name.Length == 8 && uint.TryParse(name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            var tag = new DicomTag(value);
            entry = DicomDictionary.Default.Find(tag);
            if (entry is null) throw new IndexQueryException($"{what} '{name}': {tag} is not an attribute of the data dictionary");
            return (tag, entry.Keyword, entry.VR);
        }
        entry = DicomDictionary.Default.Find(name);
        if (entry is null || entry.Mask != 0xFFFFFFFF || entry.PrivateCreator is not null)
        {
            throw new IndexQueryException($"{what} '{Clip(name)}' is neither a DICOM keyword nor a tag (eight hex digits)");
        }
        return (entry.Tag, entry.Keyword, entry.VR);
    }

    private static string RequireSingleUid(string uid, string what)
    {
        uid = uid.Trim();
        if (!Storage.InstanceFileStore.IsValidUid(uid)) throw new IndexQueryException($"'{Clip(uid)}' is not a valid {what} instance UID");
        return uid;
    }

    private static void Once(HashSet<string> seen, string name)
    {
        if (!seen.Add(name)) throw new IndexQueryException($"{name} is given more than once");
    }

    private static int NonNegative(string name, string value) =>
        int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new IndexQueryException($"{name} must be a non-negative integer, not '{Clip(value)}'");

    internal static string LevelName(QueryLevel level) => level switch
    {
        QueryLevel.Patient => "patient",
        QueryLevel.Study => "study",
        QueryLevel.Series => "series",
        _ => "instance",
    };

    internal static string Clip(string value) => value.Length <= 64 ? value : value[..61] + "...";
}
