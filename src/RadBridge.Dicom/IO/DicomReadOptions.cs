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

    /// <summary>The largest <see cref="MaxDepth"/> accepted.</summary>
    /// <remarks>
    /// Code that walks a data set (clone, character set change, JSON, XML, writer, de-identification, validation)
    /// recurses once per sequence level; this cap keeps that recursion a small fraction of any thread's stack
    /// (a test runs every walker at this depth on a 512 KiB thread). Real files nest a handful of levels; deep SR
    /// trees a few dozen.
    /// </remarks>
    public const int MaxSupportedDepth = 256;

    /// <summary>
    /// Deepest allowed nesting of sequences, counted in sequences (a sequence in the top-level data set is level 1;
    /// a UN of undefined length read as a sequence counts too). Deeper input is a <see cref="DicomReadException"/>.
    /// 1 to <see cref="MaxSupportedDepth"/>.
    /// </summary>
    public int MaxDepth
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxSupportedDepth);
            field = value;
        }
    } = 64;

    /// <summary>
    /// Most bytes a Deflated Explicit VR Little Endian data set may inflate to (default 1 GiB); more is a
    /// <see cref="DicomReadException"/>. The inflated data set is held in memory (a deflate stream cannot be revisited
    /// for lazy values), so this bounds what a small hostile file (deflate reaches ~1000:1) can make the reader
    /// allocate. An absolute limit, not a ratio: legitimate data such as blank pixel data compresses as well as a bomb.
    /// </summary>
    public long MaxInflatedLength
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 1L << 30;
}
