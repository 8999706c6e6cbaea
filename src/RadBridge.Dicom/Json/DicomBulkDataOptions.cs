namespace RadBridge.Dicom;

/// <summary>
/// How the DICOM JSON (PS3.18 Annex F) and Native DICOM Model XML (PS3.19 Annex A.1) serialisers treat bulk data:
/// which values are written as a reference ("BulkDataURI" / &lt;BulkData uri&gt;) instead of inline base64, and how such
/// references are turned back into values when reading.
/// </summary>
public abstract record DicomBulkDataOptions
{
    /// <summary>
    /// Values longer than this many bytes are offered to <see cref="BulkDataUriFactory"/>; shorter ones are always written
    /// inline. Default 1024 bytes.
    /// </summary>
    public long BulkDataThreshold { get; init; } = 1024;

    /// <summary>
    /// Gives the URI of a bulk value, or null to write it inline. Consulted for values over <see cref="BulkDataThreshold"/>
    /// of the binary VRs (OB, OD, OF, OL, OV, OW, UN, encapsulated pixel data) and for values of any VR that are still on
    /// disk (lazy), so that deciding never loads them. The default, <see cref="DicomBulkData.FileUri"/>, names the byte
    /// range of values read lazily from a file and returns null for values in memory. Set null to write everything inline.
    /// </summary>
    public Func<DicomBulkDataReference, string?>? BulkDataUriFactory { get; init; } = DicomBulkData.FileUri;

    /// <summary>
    /// Turns a bulk data URI met while reading into the value's bytes (little endian, as a WADO-RS bulk data response
    /// carries them). When null, the "file:" URIs written by <see cref="DicomBulkData.FileUri"/> are resolved to lazy
    /// file ranges by <see cref="DicomBulkData.ResolveFileUri"/>, and any other URI is an error naming it.
    /// </summary>
    public Func<string, DicomBuffer>? BulkDataResolver { get; init; }
}

/// <summary>Options for <see cref="DicomJson"/>.</summary>
public sealed record DicomJsonOptions : DicomBulkDataOptions
{
    /// <summary>Default options: compact output, bulk values over 1 KiB that are still in their file written as file URIs.</summary>
    public static DicomJsonOptions Default { get; } = new();

    /// <summary>Indent the JSON for people to read (compact by default).</summary>
    public bool WriteIndented { get; init; }
}

/// <summary>One step down a sequence: the sequence's tag and the zero-based index of the item.</summary>
public readonly record struct DicomItemStep(DicomTag Sequence, int Item);

/// <summary>What a <see cref="DicomBulkDataOptions.BulkDataUriFactory"/> is asked about: one bulk value and where it is.</summary>
public sealed class DicomBulkDataReference
{
    internal DicomBulkDataReference(DicomElement element, IReadOnlyList<DicomItemStep> path, long length)
    {
        Element = element;
        Path = path;
        Length = length;
    }

    /// <summary>The element: a <see cref="DicomValueElement"/> or, for encapsulated pixel data, a <see cref="DicomFragmentSequence"/>.</summary>
    public DicomElement Element { get; }

    /// <summary>The sequences and items from the top-level data set down to the data set holding the element (empty at top level).</summary>
    public IReadOnlyList<DicomItemStep> Path { get; }

    /// <summary>Length of the value in bytes (for encapsulated pixel data, of the whole encapsulated value field with its item headers).</summary>
    public long Length { get; }

    /// <summary>
    /// The path as text, each step "SSSSSSSS/i/" (sequence tag, zero-based item index) then the element's tag, e.g.
    /// "00540016/0/00181072": a convenient key for a server's bulk data URLs.
    /// </summary>
    public string FormatPath()
    {
        var sb = new System.Text.StringBuilder(Path.Count * 12 + 8);
        foreach (var step in Path)
        {
            sb.Append(step.Sequence.ToHexString()).Append('/').Append(step.Item.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('/');
        }
        return sb.Append(Element.Tag.ToHexString()).ToString();
    }
}
