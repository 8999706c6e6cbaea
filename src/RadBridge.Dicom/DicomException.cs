namespace RadBridge.Dicom;

/// <summary>The one exception type the DICOM core throws for bad DICOM input or misuse of a data set.</summary>
public class DicomException : Exception
{
    public DicomException() { }
    public DicomException(string message) : base(message) { }
    public DicomException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Input that is not valid DICOM: names the problem, and where known the tag and the byte offset
/// (offsets count from the start of the file, or of the inflated data set for deflated files).
/// </summary>
public class DicomReadException : DicomException
{
    public DicomReadException() { }
    public DicomReadException(string message) : base(message) { }
    public DicomReadException(string message, Exception inner) : base(message, inner) { }

    public DicomReadException(string problem, DicomTag? tag, long offset)
        : base(Format(problem, tag, offset))
    {
        Tag = tag;
        Offset = offset;
    }

    /// <summary>The element being read when the problem was found, if any.</summary>
    public DicomTag? Tag { get; }

    /// <summary>Byte offset of the problem, or -1.</summary>
    public long Offset { get; } = -1;

    private static string Format(string problem, DicomTag? tag, long offset) =>
        tag is { } t ? $"element {t} at offset {offset}: {problem}" : $"at offset {offset}: {problem}";
}
