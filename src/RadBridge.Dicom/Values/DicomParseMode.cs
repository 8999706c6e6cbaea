namespace RadBridge.Dicom;

/// <summary>
/// How strictly the typed values of PS3.5 §6.2 (Table 6.2-1) read their text.
/// </summary>
/// <remarks>
/// <see cref="Strict"/> accepts exactly the encodings Table 6.2-1 allows, plus the padding the standard itself
/// defines as insignificant (trailing spaces, NUL padding of UI). <see cref="Lenient"/> additionally accepts the
/// non-conformant forms that real archives contain (each type documents which); such input is normalised, so
/// <c>ToString()</c> of a leniently parsed value is always a conformant encoding.
/// </remarks>
public enum DicomParseMode
{
    /// <summary>Only encodings allowed by PS3.5 Table 6.2-1.</summary>
    Strict = 0,

    /// <summary>Also the common non-conformant forms found in real-world data, normalised on read.</summary>
    Lenient = 1,
}
