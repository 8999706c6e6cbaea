using System.CommandLine;
using RadBridge.Dicom;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Cli.Commands;

/// <summary>The identifier options shared by find, move and get: <c>--level</c>, <c>--model</c> and <c>-k Tag=Value</c>.</summary>
internal static class QueryKeys
{
    public static Option<string[]> Keys() => new("--key", "-k")
    {
        Description = "Matching or return key: Tag=Value or Tag (empty: return it); Tag is a keyword or gggg,eeee (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string> Level(string defaultLevel) => new("--level", "-L")
    {
        Description = "Query/Retrieve Level: PATIENT, STUDY, SERIES or IMAGE",
        DefaultValueFactory = _ => defaultLevel,
    };

    public static Option<string> Model() => new("--model", "-m")
    {
        Description = "Information model: study (Study Root) or patient (Patient Root)",
        DefaultValueFactory = _ => "study",
    };

    public static QueryModel ParseModel(string? text) => text?.Trim().ToUpperInvariant() switch
    {
        "STUDY" or "S" => QueryModel.StudyRoot,
        "PATIENT" or "P" => QueryModel.PatientRoot,
        _ => throw new DicomException($"--model '{text}' is not 'study' or 'patient'"),
    };

    /// <summary>Builds the identifier; the level's unique key is added as a return key when not given.</summary>
    /// <exception cref="DicomException">A key names no tag, or the level is unknown.</exception>
    public static DicomDataset Build(string? levelText, IEnumerable<string>? keys)
    {
        var level = QueryLevels.Parse(levelText) ?? throw new DicomException($"--level '{levelText}' is not PATIENT, STUDY, SERIES or IMAGE");
        var identifier = new DicomDataset();
        identifier.AddOrUpdate(QueryLevels.Level, DicomVR.CS, level.Code());
        foreach (var key in keys ?? [])
        {
            var equals = key.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? key : key[..equals];
            var value = equals < 0 ? "" : key[(equals + 1)..];
            if (!DicomTag.TryParse(name, out var tag)) throw new DicomException($"-k '{key}': '{name}' is not a DICOM keyword or gggg,eeee tag");
            var vr = DicomDictionary.Default.Find(tag)?.VR ?? DicomVR.UN;
            if (vr == DicomVR.SQ)
            {
                if (value.Length > 0) throw new DicomException($"-k '{key}': a sequence key takes no value (it returns the sequence)");
                identifier.AddOrUpdate(new DicomSequence(tag, [new DicomDataset()]));
            }
            else if (vr.IsText())
            {
                identifier.AddOrUpdate(tag, vr, value);
            }
            else
            {
                throw new DicomException($"-k '{key}': {name} has VR {vr.Code()}; only text attributes can be keys here");
            }
        }
        if (!identifier.Contains(level.UniqueKey())) identifier.AddOrUpdate(level.UniqueKey(), DicomDictionary.Default.Find(level.UniqueKey())!.VR, "");
        return identifier;
    }

    /// <summary>One line per match: Keyword=value for each returned key (the level left out).</summary>
    public static string Line(DicomDataset match) => string.Join("  ", match
        .Where(e => e.Tag != QueryLevels.Level && e.Tag != QueryLevels.SpecificCharacterSet)
        .Select(e => $"{DicomDictionary.Default.Find(e.Tag)?.Keyword ?? e.Tag.ToString()}={(e is DicomSequence s ? $"[{s.Items.Count} items]" : match.GetString(e.Tag))}"));
}
