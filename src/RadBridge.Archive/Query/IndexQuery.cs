using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Archive.Query;

/// <summary>
/// One matching key of a query: an attribute and its raw DICOM matching value (PS3.4 C.2.2.2) — empty for universal
/// matching (a return key), a single value, <c>*</c>/<c>?</c> wildcards, a <c>low-high</c> range (DA, TM, DT), or a
/// backslash-separated list of UIDs.
/// </summary>
public sealed record MatchCondition(DicomTag Tag, string Value)
{
    public bool IsUniversal => Value.Length == 0 || Value == "*";
}

/// <summary>How results are shaped: QIDO-RS's default attributes plus include fields, or C-FIND's requested keys only.</summary>
public enum ResponseStyle
{
    /// <summary>PS3.18 Tables 10.6.3-3/4/5 default attributes of the level (and of the levels above when the target resource does not fix them), plus <see cref="IndexQuery.IncludeFields"/>.</summary>
    Qido,

    /// <summary>Exactly the keys of the identifier (PS3.4 C.4.1.1.3.2), plus Query/Retrieve Level and Specific Character Set.</summary>
    Dimse,
}

/// <summary>
/// A query of the archive's index, neutral of the protocol that asked it (QIDO-RS, C-FIND, C-MOVE, C-GET): the level,
/// the matching keys, the return keys and paging. Built by <see cref="QidoQueryParser"/> or <see cref="DimseQueryParser"/>,
/// answered by <see cref="ArchiveQueryService"/>.
/// </summary>
public sealed record IndexQuery
{
    /// <summary>The level searched (<see cref="QueryLevel.Image"/> is the instance level).</summary>
    public required QueryLevel Level { get; init; }

    /// <summary>Matching keys; universal ones (empty value) are return keys only.</summary>
    public IReadOnlyList<MatchCondition> Conditions { get; init; } = [];

    /// <summary>
    /// PS3.18 <c>fuzzymatching=true</c>: person names match case- and accent-insensitively, and a value without wildcards
    /// matches when it begins any name component ("san" finds "Zhang^San").
    /// </summary>
    public bool FuzzyMatching { get; init; }

    /// <summary>Exact person-name values compare case- and accent-insensitively (wildcard PN matching always does).</summary>
    public bool CaseInsensitivePersonNames { get; init; }

    /// <summary>
    /// PS3.4 C.2.2.2.5.1 combined date/time matching: a date key and its time key (Study Date + Study Time, …) that are
    /// both given match as one date-time range instead of two independent ones.
    /// </summary>
    public bool CombinedDateTimeMatching { get; init; }

    /// <summary>At most this many results (null: all).</summary>
    public int? Limit { get; init; }

    /// <summary>Results to skip before the first one returned.</summary>
    public int Offset { get; init; }

    /// <summary>Attributes to return beyond the defaults (QIDO <c>includefield</c>); for C-FIND the identifier's keys.</summary>
    public IReadOnlyList<DicomTag> IncludeFields { get; init; } = [];

    /// <summary>QIDO <c>includefield=all</c>: every attribute the index holds for the level and the levels above.</summary>
    public bool IncludeAllFields { get; init; }

    public ResponseStyle Style { get; init; } = ResponseStyle.Qido;

    /// <summary>C-FIND keys with a value the index cannot match (not indexed, sequences, computed): treated as return keys, reported as warnings.</summary>
    public IReadOnlyList<DicomTag> IgnoredMatchingKeys { get; init; } = [];

    /// <summary>
    /// For QIDO: the Study Instance UID fixed by the target resource (<c>/studies/{uid}/series</c>); the study's
    /// attributes are then not repeated in every result.
    /// </summary>
    public string? TargetStudyInstanceUid { get; init; }

    /// <summary>For QIDO: the Series Instance UID fixed by the target resource (<c>/studies/{s}/series/{uid}/instances</c>).</summary>
    public string? TargetSeriesInstanceUid { get; init; }

    /// <summary>The condition on <paramref name="tag"/>, if any.</summary>
    public MatchCondition? ConditionOn(DicomTag tag) => Conditions.FirstOrDefault(c => c.Tag == tag);
}

/// <summary>A query the archive cannot answer as asked: unknown attribute, unsupported matching, malformed value (QIDO answers 400).</summary>
public class IndexQueryException : DicomException
{
    public IndexQueryException() { }
    public IndexQueryException(string message) : base(message) { }
    public IndexQueryException(string message, Exception inner) : base(message, inner) { }
}
