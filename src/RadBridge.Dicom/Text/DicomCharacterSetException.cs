using System.Globalization;

namespace RadBridge.Dicom;

/// <summary>
/// Text that the chosen Specific Character Set (0008,0005) cannot represent. The message names the character set, the
/// code point and its position, never the text itself (values are often patient names).
/// </summary>
public class DicomCharacterSetException : DicomException
{
    public DicomCharacterSetException() { }
    public DicomCharacterSetException(string message) : base(message) { }
    public DicomCharacterSetException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception for the character at <paramref name="index"/> of the text being encoded.</summary>
    public DicomCharacterSetException(string specificCharacterSet, DicomVR vr, int index, int codePoint)
        : base(string.Create(CultureInfo.InvariantCulture,
            $"Specific Character Set \"{specificCharacterSet}\" cannot represent U+{codePoint:X4} (character {index} of a {vr.Code()} value)"))
    {
        SpecificCharacterSet = specificCharacterSet;
        VR = vr;
        Index = index;
        CodePoint = codePoint;
    }

    /// <summary>The value of (0008,0005) in use, backslash-separated ("" for the default repertoire).</summary>
    public string? SpecificCharacterSet { get; }

    /// <summary>The VR of the value being encoded.</summary>
    public DicomVR VR { get; }

    /// <summary>Index (UTF-16 code unit) of the character that cannot be represented, or -1.</summary>
    public int Index { get; } = -1;

    /// <summary>The Unicode code point that cannot be represented (a lone surrogate's own value), or -1.</summary>
    public int CodePoint { get; } = -1;
}
