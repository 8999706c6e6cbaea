namespace RadBridge.Dicom.Deidentification;

/// <summary>The action codes of PS3.15 Table E.1-1 (their meaning is given in PS3.15 §E.1.1).</summary>
public enum DeidentificationAction : byte
{
    /// <summary>"K": keep unchanged (for a sequence: keep it, and de-identify its items).</summary>
    Keep,

    /// <summary>"X": remove the attribute (a sequence with all its items).</summary>
    Remove,

    /// <summary>"Z": replace with a zero-length value, or with a dummy value consistent with the VR.</summary>
    Zero,

    /// <summary>"D": replace with a non-zero-length value that may be a dummy value, consistent with the VR.</summary>
    Dummy,

    /// <summary>"C": clean, i.e. replace with values of similar meaning known not to contain identifying information.</summary>
    Clean,

    /// <summary>"U": replace the UID with a non-zero-length UID that is internally consistent within a set of instances.</summary>
    ReplaceUid,

    /// <summary>"Z/D": Z unless D is required to keep the IOD valid (Type 2 versus Type 1).</summary>
    ZeroOrDummy,

    /// <summary>"X/Z": X unless Z is required to keep the IOD valid (Type 3 versus Type 2).</summary>
    RemoveOrZero,

    /// <summary>"X/D": X unless D is required to keep the IOD valid (Type 3 versus Type 1).</summary>
    RemoveOrDummy,

    /// <summary>"X/Z/D": X unless Z or D is required to keep the IOD valid (Type 3 versus Type 2 versus Type 1).</summary>
    RemoveOrZeroOrDummy,

    /// <summary>"X/Z/U*": X unless Z or replacement of the contained UIDs (U) is required to keep the IOD valid.</summary>
    RemoveOrZeroOrReplaceUids,
}

/// <summary>Parsing and printing of the action codes as Table E.1-1 writes them.</summary>
public static class DeidentificationActionCodes
{
    /// <summary>The code as the table prints it ("D", "X/Z/D", "X/Z/U*").</summary>
    public static string Code(this DeidentificationAction action) => action switch
    {
        DeidentificationAction.Keep => "K",
        DeidentificationAction.Remove => "X",
        DeidentificationAction.Zero => "Z",
        DeidentificationAction.Dummy => "D",
        DeidentificationAction.Clean => "C",
        DeidentificationAction.ReplaceUid => "U",
        DeidentificationAction.ZeroOrDummy => "Z/D",
        DeidentificationAction.RemoveOrZero => "X/Z",
        DeidentificationAction.RemoveOrDummy => "X/D",
        DeidentificationAction.RemoveOrZeroOrDummy => "X/Z/D",
        DeidentificationAction.RemoveOrZeroOrReplaceUids => "X/Z/U*",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    /// <summary>Parses a code of the table; false for anything else.</summary>
    public static bool TryParse(string? code, out DeidentificationAction action)
    {
        DeidentificationAction? parsed = code?.Trim() switch
        {
            "K" => DeidentificationAction.Keep,
            "X" => DeidentificationAction.Remove,
            "Z" => DeidentificationAction.Zero,
            "D" => DeidentificationAction.Dummy,
            "C" => DeidentificationAction.Clean,
            "U" => DeidentificationAction.ReplaceUid,
            "Z/D" => DeidentificationAction.ZeroOrDummy,
            "X/Z" => DeidentificationAction.RemoveOrZero,
            "X/D" => DeidentificationAction.RemoveOrDummy,
            "X/Z/D" => DeidentificationAction.RemoveOrZeroOrDummy,
            "X/Z/U*" or "X/Z/U" => DeidentificationAction.RemoveOrZeroOrReplaceUids,
            _ => null,
        };
        action = parsed ?? default;
        return parsed is not null;
    }
}
