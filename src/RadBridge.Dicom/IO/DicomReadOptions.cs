namespace RadBridge.Dicom;

/// <summary>How a data set is read.</summary>
public sealed record DicomReadOptions
{
    /// <summary>Defaults: strict, bulk values of 64 KiB or more left on disk when reading a file.</summary>
    public static DicomReadOptions Default { get; } = new();

    /// <summary>Stop at the first top-level pixel data element (7FE0,0008/0009/0010) and after: enough to index an instance.</summary>
    public bool StopBeforePixelData { get; init; }

    /// <summary>
    /// Values of bulk VRs (OB, OW, OD, OF, OL, OV, UN, UT) at least this long stay in the file and are read on demand,
    /// when the source is a seekable file. Pixel data and fragments always do when the source allows it.
    /// </summary>
    public int LazyThreshold { get; init; } = 64 * 1024;

    /// <summary>
    /// Read everything up to the damage in a broken file and report what was skipped in DicomFile.Warnings,
    /// instead of throwing.
    /// </summary>
    public bool Lenient { get; init; }

    /// <summary>Deepest allowed nesting of sequences (guards against hostile input).</summary>
    public int MaxDepth { get; init; } = 64;
}
