using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>The Query/Retrieve Level (0008,0052) of an identifier (PS3.4 C.3).</summary>
public enum QueryLevel
{
    Patient,
    Study,
    Series,
    Image,
}

/// <summary>The Query/Retrieve Information Models this SCP offers (PS3.4 C.3.1, C.3.2).</summary>
public enum QueryModel
{
    PatientRoot,
    StudyRoot,
}

/// <summary>Levels, their unique keys, and the models' hierarchies.</summary>
public static class QueryLevels
{
    public static DicomTag Level => new(0x0008, 0x0052);
    public static DicomTag PatientId => new(0x0010, 0x0020);
    public static DicomTag StudyInstanceUid => new(0x0020, 0x000D);
    public static DicomTag SeriesInstanceUid => new(0x0020, 0x000E);
    public static DicomTag SopInstanceUid => new(0x0008, 0x0018);
    public static DicomTag SpecificCharacterSet => new(0x0008, 0x0005);

    /// <summary>The unique key of a level (PS3.4 C.3: Patient ID, Study/Series/SOP Instance UID).</summary>
    public static DicomTag UniqueKey(this QueryLevel level) => level switch
    {
        QueryLevel.Patient => PatientId,
        QueryLevel.Study => StudyInstanceUid,
        QueryLevel.Series => SeriesInstanceUid,
        _ => SopInstanceUid,
    };

    /// <summary>The code string of a level as it travels in (0008,0052).</summary>
    public static string Code(this QueryLevel level) => level switch
    {
        QueryLevel.Patient => "PATIENT",
        QueryLevel.Study => "STUDY",
        QueryLevel.Series => "SERIES",
        _ => "IMAGE",
    };

    /// <summary>Parses (0008,0052); null for anything the standard does not name.</summary>
    public static QueryLevel? Parse(string? code) => code?.Trim().ToUpperInvariant() switch
    {
        "PATIENT" => QueryLevel.Patient,
        "STUDY" => QueryLevel.Study,
        "SERIES" => QueryLevel.Series,
        "IMAGE" => QueryLevel.Image,
        _ => null,
    };

    /// <summary>The top level of a model: Patient Root starts at PATIENT, Study Root at STUDY (it has no patient level).</summary>
    public static QueryLevel Top(this QueryModel model) => model == QueryModel.PatientRoot ? QueryLevel.Patient : QueryLevel.Study;

    /// <summary>
    /// Checks an identifier against the model's hierarchy (PS3.4 C.4.1.2.1 / C.4.1.3.1): a known level the model has,
    /// and a single value (no wildcard, no list) for the unique key of every level above the query level.
    /// </summary>
    /// <returns>The level, or a failure status (A900, "identifier does not match SOP class") with the reason.</returns>
    public static (QueryLevel? Level, DimseStatus Status, string? Problem) Validate(QueryModel model, DicomDataset identifier)
    {
        ArgumentNullException.ThrowIfNull(identifier);
        var failure = new DimseStatus(0xA900);
        var code = identifier.GetString(Level);
        if (Parse(code) is not { } level) return (null, failure, $"Query/Retrieve Level '{code}' is not PATIENT, STUDY, SERIES or IMAGE");
        if (level < model.Top()) return (null, failure, $"{model} has no {level.Code()} level");
        for (var above = model.Top(); above < level; above++)
        {
            var key = above.UniqueKey();
            var value = identifier.GetString(key);
            if (string.IsNullOrEmpty(value) || value.Contains('\\', StringComparison.Ordinal) || value.AsSpan().IndexOfAny('*', '?') >= 0)
            {
                return (null, failure, $"a {level.Code()} query in {model} needs a single value for the unique key {key} of the {above.Code()} level");
            }
        }
        return (level, DimseStatus.Success, null);
    }
}
