namespace RadBridge.Dicom;

/// <summary>An attribute of a data set: a value, a sequence of items, or encapsulated pixel data fragments.</summary>
public abstract class DicomElement
{
    private protected DicomElement(DicomTag tag, DicomVR vr)
    {
        Tag = tag;
        VR = vr;
    }

    public DicomTag Tag { get; }
    public DicomVR VR { get; }

    /// <inheritdoc/>
    public override string ToString() => $"{Tag} {VR.Code()}";
}

/// <summary>An element with a value (any VR but SQ), its bytes little endian and still encoded (text undecoded).</summary>
public sealed class DicomValueElement : DicomElement
{
    public DicomValueElement(DicomTag tag, DicomVR vr, DicomBuffer buffer) : base(tag, vr)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        Buffer = buffer;
    }

    /// <summary>The value bytes (little endian for binary VRs; text as stored, in the data set's character set).</summary>
    public DicomBuffer Buffer { get; }

    /// <summary>Length of the value in bytes.</summary>
    public long Length => Buffer.Length;
}

/// <summary>A sequence (SQ) of items, each a nested data set.</summary>
public sealed class DicomSequence : DicomElement
{
    public DicomSequence(DicomTag tag, IEnumerable<DicomDataset>? items = null) : base(tag, DicomVR.SQ)
    {
        Items = items is null ? [] : [.. items];
    }

    /// <summary>The items, in order.</summary>
    public List<DicomDataset> Items { get; }

    /// <summary>How the sequence was encoded when read (undefined length with a delimiter, or an explicit length); the writer keeps it.</summary>
    public bool UndefinedLength { get; set; } = true;

    /// <summary>
    /// True when the sequence was read from a UN element (PS3.5 §6.2.2, CP-246): its content was Implicit VR Little Endian.
    /// </summary>
    public bool ReadFromUN { get; init; }
}

/// <summary>Encapsulated pixel data (PS3.5 §A.4): a Basic Offset Table item then one or more fragments.</summary>
public sealed class DicomFragmentSequence : DicomElement
{
    public DicomFragmentSequence(DicomTag tag, DicomVR vr, DicomBuffer offsetTable, IEnumerable<DicomBuffer>? fragments = null)
        : base(tag, vr)
    {
        ArgumentNullException.ThrowIfNull(offsetTable);
        OffsetTable = offsetTable;
        Fragments = fragments is null ? [] : [.. fragments];
    }

    /// <summary>The Basic Offset Table item's value (often empty).</summary>
    public DicomBuffer OffsetTable { get; set; }

    /// <summary>The fragments after the offset table.</summary>
    public List<DicomBuffer> Fragments { get; }

    /// <summary>Basic Offset Table entries (32-bit offsets of each frame's first fragment, relative to the first fragment).</summary>
    public IReadOnlyList<uint> GetBasicOffsets()
    {
        var bytes = OffsetTable.GetMemory().Span;
        var n = bytes.Length / 4;
        var result = new uint[n];
        for (var i = 0; i < n; i++) result[i] = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(bytes[(i * 4)..]);
        return result;
    }
}
