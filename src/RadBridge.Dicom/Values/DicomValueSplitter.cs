namespace RadBridge.Dicom;

/// <summary>
/// Splits a decoded character string value into its values. PS3.5 §6.4: the values of a multi-valued
/// character string element are separated by BACKSLASH "\" (5CH). The character set layer has already decoded
/// the bytes, so a "\" here is always a delimiter (multi-byte characters cannot contain one any more).
/// </summary>
public static class DicomValueSplitter
{
    /// <summary>
    /// Splits on "\" with no trimming. An empty string has no values (VM 0); "A\\B" gives ["A", "B"]; "\\" gives
    /// two empty values.
    /// </summary>
    public static string[] Split(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Length == 0 ? [] : value.Split('\\');
    }

    /// <summary>
    /// Splits a value of <paramref name="vr"/> and trims each part with <see cref="DicomTextRules.TrimValue"/>.
    /// VRs that are never multi-valued (LT, ST, UT, UR: "\" is an ordinary character there) give a single value.
    /// A value that is empty after trimming has no values.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vr"/> is not a character string VR.</exception>
    public static string[] Split(string value, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!vr.IsMultiValuedText())
        {
            var single = DicomTextRules.TrimValue(value, vr);
            return single.Length == 0 ? [] : [single];
        }
        var parts = Split(value);
        for (var i = 0; i < parts.Length; i++) parts[i] = DicomTextRules.TrimValue(parts[i], vr);
        return parts.Length == 1 && parts[0].Length == 0 ? [] : parts;
    }
}
