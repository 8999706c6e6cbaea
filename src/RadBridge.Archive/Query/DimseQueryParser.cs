using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Query;

/// <summary>
/// Turns a C-FIND/C-MOVE/C-GET identifier into an <see cref="IndexQuery"/>: every element but Query/Retrieve Level,
/// Specific Character Set and group lengths is a key — a matching key when it has a value, else a return key — and the
/// response carries exactly those keys (PS3.4 C.4.1.1.3.2).
/// </summary>
/// <remarks>
/// Keys the index cannot match (attributes it does not hold, sequences) are not refused: PS3.4 C.2.2.1.2 lets an SCP
/// that does not support matching on an optional key treat it as a return key, so their values are ignored for matching
/// and their returned values come from a stored instance (see <see cref="ArchiveQueryService"/>). Malformed values of
/// indexed keys fail the query (<see cref="IndexQueryException"/>; the SCP answers C000 naming it).
/// </remarks>
public static class DimseQueryParser
{
    public static IndexQuery Parse(QueryLevel level, DicomDataset identifier, MatchingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var conditions = new List<MatchCondition>();
        var keys = new List<DicomTag>();
        var unmatched = new List<DicomTag>();
        foreach (var element in identifier)
        {
            if (element.Tag == QueryLevels.Level || element.Tag == QueryLevels.SpecificCharacterSet || element.Tag.IsGroupLength) continue;
            keys.Add(element.Tag);
            var hasValue = element is DicomSequence sequence ? sequence.Items.Count > 0 && sequence.Items[0].Count > 0 : !new MatchCondition(element.Tag, (identifier.GetString(element.Tag) ?? "").Trim()).IsUniversal;
            if (element is DicomSequence || IndexedAttributes.Find(element.Tag) is not { } indexed || indexed.Level > level || indexed.Matching == IndexMatching.ReturnOnly)
            {
                if (hasValue) unmatched.Add(element.Tag);
                continue;
            }
            var condition = new MatchCondition(element.Tag, (identifier.GetString(element.Tag) ?? "").Trim());
            if (!condition.IsUniversal) MatchValues.Validate(indexed, condition.Value);
            conditions.Add(condition);
        }
        return new IndexQuery
        {
            Level = level,
            Conditions = conditions,
            CaseInsensitivePersonNames = options?.CaseInsensitivePersonNames ?? false,
            IncludeFields = keys,
            IgnoredMatchingKeys = unmatched,
            Style = ResponseStyle.Dimse,
        };
    }
}
