namespace RadBridge.Dicom;

/// <summary>
/// Which spaces of a character string value are padding rather than content, per VR, transcribed from the
/// "Definition" column of PS3.5 §6.2 Table 6.2-1 into one table.
/// </summary>
public static class DicomTextRules
{
    /// <summary>What Table 6.2-1 says about leading spaces.</summary>
    private enum Leading : byte
    {
        /// <summary>Not a text VR.</summary>
        NotText,
        /// <summary>"Leading … spaces are non-significant" / "may be padded with leading … spaces": removed.</summary>
        Insignificant,
        /// <summary>"Leading spaces are significant" (LT, ST, UT), or the VR says nothing about them (UC): kept.</summary>
        Significant,
        /// <summary>
        /// "Leading … spaces are not allowed" (DA, DT, TM, UR) or the format leaves no room for them (AS, UI): kept,
        /// so that a strict parser sees and rejects them; the lenient parsers of the typed values remove them.
        /// </summary>
        NotAllowed,
    }

    // Index = (int)DicomVR. Trailing spaces are padding for every text VR (UI: NUL, see TrimValue).
    // Each row: what Table 6.2-1 says about leading spaces for that VR.
    private static readonly Leading[] Table =
    [
        Leading.NotText,       // None
        Leading.Insignificant, // AE  "leading and trailing spaces (20H) being non-significant"
        Leading.NotAllowed,    // AS  "nnnD, nnnW, nnnM, nnnY", 4 bytes fixed
        Leading.NotText,       // AT
        Leading.Insignificant, // CS  "leading or trailing spaces (20H) being non-significant"
        Leading.NotAllowed,    // DA  "YYYYMMDD"; only a trailing SPACE is allowed, as range-query padding
        Leading.Insignificant, // DS  "may be padded with leading or trailing spaces. Embedded spaces are not allowed."
        Leading.NotAllowed,    // DT  "may be padded with trailing SPACE characters. Leading and embedded spaces are not allowed."
        Leading.NotText,       // FD
        Leading.NotText,       // FL
        Leading.Insignificant, // IS  "may be padded with leading and/or trailing spaces. Embedded spaces are not allowed."
        Leading.Insignificant, // LO  "may be padded with leading and/or trailing spaces"
        Leading.Significant,   // LT  "may be padded with trailing spaces, which may be ignored, but leading spaces are considered to be significant"
        Leading.NotText,       // OB
        Leading.NotText,       // OD
        Leading.NotText,       // OF
        Leading.NotText,       // OL
        Leading.NotText,       // OV
        Leading.NotText,       // OW
        Leading.Insignificant, // PN  "may be padded with trailing spaces"; note: "leading and trailing spaces … insignificant" (CP-726)
        Leading.Insignificant, // SH  "may be padded with leading and/or trailing spaces"
        Leading.NotText,       // SL
        Leading.NotText,       // SQ
        Leading.NotText,       // SS
        Leading.Significant,   // ST  as LT
        Leading.NotText,       // SV
        Leading.NotAllowed,    // TM  "may be padded with trailing spaces. Leading and embedded spaces are not allowed."
        Leading.Significant,   // UC  "may be padded with trailing spaces" (nothing about leading ones: they are content)
        Leading.NotAllowed,    // UI  digits and "." only, padded with a trailing NUL
        Leading.NotText,       // UL
        Leading.NotText,       // UN
        Leading.NotAllowed,    // UR  "Leading spaces are not allowed. Trailing spaces shall be ignored."
        Leading.NotText,       // US
        Leading.Significant,   // UT  as LT
        Leading.NotText,       // UV
    ];

    /// <summary>
    /// Removes the padding of one decoded value of a character string VR:
    /// <list type="bullet">
    /// <item>trailing spaces, for every text VR (PS3.5 §6.2: values are padded with SPACE to even length);</item>
    /// <item>trailing NULs, for every text VR: UI is NUL-padded by the standard, and NUL is not a permitted
    /// character in the other text VRs, so a trailing one can only be padding written by a non-conformant writer;</item>
    /// <item>leading spaces, only where Table 6.2-1 calls them insignificant: AE, CS, DS, IS, LO, PN, SH.
    /// They are kept in LT, ST, UT and UC, where they are content, and in AS, DA, DT, TM, UI and UR, where the
    /// standard forbids them, so that strict parsing still rejects them.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="vr"/> is not a character string VR.</exception>
    public static string TrimValue(string value, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(value);
        var leading = (int)vr < Table.Length ? Table[(int)vr] : Leading.NotText;
        if (leading == Leading.NotText)
            throw new ArgumentOutOfRangeException(nameof(vr), vr, "Not a character string VR.");
        var s = DicomValueText.TrimTrailingPadding(value);
        if (leading == Leading.Insignificant) s = s.TrimStart(' ');
        return s.Length == value.Length ? value : s.ToString();
    }

    /// <summary>True when Table 6.2-1 defines leading spaces of <paramref name="vr"/> as insignificant padding (AE, CS, DS, IS, LO, PN, SH).</summary>
    public static bool HasInsignificantLeadingSpaces(DicomVR vr) =>
        (int)vr < Table.Length && Table[(int)vr] == Leading.Insignificant;
}
