namespace RadBridge.Dicom;

/// <summary>
/// Looks up attributes of the data dictionary by tag (including repeating groups and private blocks) or by keyword.
/// The entries are generated from DCMTK's dicom.dic and private.dic by tools/RadBridge.DictionaryGenerator.
/// </summary>
public sealed class DicomDictionary
{
    /// <summary>Mask of a private element keyed by creator, group and the element's low byte (block-relative).</summary>
    private const uint PrivateBlockMask = 0xFFFF00FF;

    // Plain Dictionary with uint and string keys rather than FrozenDictionary or tuple keys: the command line
    // builds this on every start, and the generic instantiations those need cost more JIT time than the lookups save.
    private readonly Dictionary<uint, DicomDictionaryEntry> _byTag;
    private readonly Dictionary<string, DicomDictionaryEntry> _byKeyword;
    // Repeating forms (60xx,0010), (0020,31xx), (1000,xxx0)… grouped by mask, most specific mask first, so a
    // lookup costs one probe per distinct mask (a handful) instead of a scan of every repeating entry.
    private readonly uint[] _repeatingMasks;
    private readonly Dictionary<uint, DicomDictionaryEntry>[] _repeating;
    // Per creator, keyed by group << 16 | element: the full element for a fixed private element, the low byte
    // for a block-relative one.
    private readonly Dictionary<string, Dictionary<uint, DicomDictionaryEntry>> _private;
    // Private entries over a range of groups (e.g. odd 60xx groups for a vendor's overlay extras): few, scanned.
    private readonly Dictionary<string, List<DicomDictionaryEntry>> _privateRepeating;
    private readonly int _count;

    /// <summary>The standard dictionary plus the private dictionaries shipped with RadBridge.</summary>
    public static DicomDictionary Default { get; } = new(DicomDictionaryData.CreateEntries());

    /// <summary>
    /// Builds a dictionary from entries (the default one, or a test's own). When two entries have the same tag
    /// (and creator), the first one wins; so does the first of two standard entries with the same keyword.
    /// </summary>
    public DicomDictionary(IEnumerable<DicomDictionaryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var capacity = entries is IReadOnlyCollection<DicomDictionaryEntry> c ? c.Count : 0;
        _byTag = new Dictionary<uint, DicomDictionaryEntry>(capacity);
        _byKeyword = new Dictionary<string, DicomDictionaryEntry>(capacity, StringComparer.Ordinal);
        _private = new Dictionary<string, Dictionary<uint, DicomDictionaryEntry>>(StringComparer.Ordinal);
        _privateRepeating = new Dictionary<string, List<DicomDictionaryEntry>>(StringComparer.Ordinal);
        var masks = new List<uint>();
        var repeating = new List<Dictionary<uint, DicomDictionaryEntry>>();
        foreach (var e in entries)
        {
            if (e.PrivateCreator is not null)
            {
                var creator = TrimCreator(e.PrivateCreator);
                if (e.Mask is 0xFFFFFFFF or PrivateBlockMask)
                {
                    if (!_private.TryGetValue(creator, out var forCreator)) _private[creator] = forCreator = [];
                    if (forCreator.TryAdd(e.Tag.Value & e.Mask, e)) _count++;
                }
                else
                {
                    if (!_privateRepeating.TryGetValue(creator, out var forCreator)) _privateRepeating[creator] = forCreator = [];
                    forCreator.Add(e);
                    _count++;
                }
                continue;
            }
            bool added;
            if (e.Mask == 0xFFFFFFFF)
            {
                added = _byTag.TryAdd(e.Tag.Value, e);
            }
            else
            {
                var i = masks.IndexOf(e.Mask);
                if (i < 0)
                {
                    // Keep the most specific mask (most bits set) first; the mask value breaks ties.
                    i = 0;
                    while (i < masks.Count && (uint.PopCount(masks[i]) > uint.PopCount(e.Mask)
                        || (uint.PopCount(masks[i]) == uint.PopCount(e.Mask) && masks[i] > e.Mask))) i++;
                    masks.Insert(i, e.Mask);
                    repeating.Insert(i, []);
                }
                added = repeating[i].TryAdd(e.Tag.Value & e.Mask, e);
            }
            if (!added) continue;
            _count++;
            if (e.Keyword.Length > 0) _byKeyword.TryAdd(e.Keyword, e);
        }
        _repeatingMasks = [.. masks];
        _repeating = [.. repeating];
    }

    /// <summary>Number of entries (standard and private).</summary>
    public int Count => _count;

    /// <summary>
    /// The standard entry for a tag (repeating groups included), or null. Private tags (odd groups) have no
    /// standard entry: the repeating groups of PS3.6 (50xx, 60xx, 7Fxx) are even groups only.
    /// </summary>
    public DicomDictionaryEntry? Find(DicomTag tag)
    {
        if (_byTag.TryGetValue(tag.Value, out var e)) return e;
        if (tag.IsPrivate) return null;
        for (var i = 0; i < _repeatingMasks.Length; i++)
        {
            if (_repeating[i].TryGetValue(tag.Value & _repeatingMasks[i], out e)) return e;
        }
        return null;
    }

    /// <summary>
    /// The entry for a tag; for a private data element (gggg,xxyy) the entry of its creator's private dictionary,
    /// when known. The creator is compared without leading and trailing spaces or NUL padding.
    /// </summary>
    public DicomDictionaryEntry? Find(DicomTag tag, string? privateCreator)
    {
        if (!tag.IsPrivate || privateCreator is null) return Find(tag);
        // (gggg,0010-00FF) are the creator elements themselves and (gggg,0001-000F, 0100-0FFF) are not used:
        // only (gggg,1000-FFFF) belong to a creator's block.
        if (tag.Element < 0x1000) return null;
        var creator = TrimCreator(privateCreator);
        if (_private.TryGetValue(creator, out var forCreator)
            && (forCreator.TryGetValue(tag.Value, out var e) || forCreator.TryGetValue(tag.Value & PrivateBlockMask, out e)))
            return e;
        if (_privateRepeating.TryGetValue(creator, out var candidates))
        {
            foreach (var r in candidates)
            {
                if ((tag.Value & r.Mask) == (r.Tag.Value & r.Mask)) return r;
            }
        }
        return null;
    }

    /// <summary>The entry with this keyword (case-sensitive, as PS3.6 spells it), or null.</summary>
    public DicomDictionaryEntry? Find(string keyword) =>
        _byKeyword.TryGetValue(keyword, out var e) ? e : null;

    /// <summary>
    /// The VR to assume for an element read with Implicit VR: group lengths are UL, private creators LO,
    /// otherwise the dictionary's first VR, else UN.
    /// </summary>
    public DicomVR GetImplicitVR(DicomTag tag, string? privateCreator = null)
    {
        if (tag.IsGroupLength) return DicomVR.UL;
        if (tag.IsPrivateCreator) return DicomVR.LO;
        var e = Find(tag, privateCreator);
        return e?.VR ?? DicomVR.UN;
    }

    /// <summary>Private Creator is LO: leading and trailing spaces are not significant; some writers pad with NUL.</summary>
    private static string TrimCreator(string creator) => creator.Trim(' ', '\0');
}
