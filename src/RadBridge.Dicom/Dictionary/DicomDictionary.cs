using System.Collections.Frozen;

namespace RadBridge.Dicom;

/// <summary>
/// Looks up attributes of the data dictionary by tag (including repeating groups and private blocks) or by keyword.
/// The entries are generated from DCMTK's dicom.dic by tools/RadBridge.DictionaryGenerator.
/// </summary>
public sealed class DicomDictionary
{
    private readonly FrozenDictionary<uint, DicomDictionaryEntry> _byTag;
    private readonly FrozenDictionary<string, DicomDictionaryEntry> _byKeyword;
    private readonly DicomDictionaryEntry[] _repeating;
    private readonly FrozenDictionary<(string Creator, ushort Group, byte Element), DicomDictionaryEntry> _private;

    /// <summary>The standard dictionary plus the private dictionaries shipped with RadBridge.</summary>
    public static DicomDictionary Default { get; } = new(DicomDictionaryData.CreateEntries());

    /// <summary>Builds a dictionary from entries (the default one, or a test's own).</summary>
    public DicomDictionary(IEnumerable<DicomDictionaryEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var byTag = new Dictionary<uint, DicomDictionaryEntry>();
        var byKeyword = new Dictionary<string, DicomDictionaryEntry>(StringComparer.Ordinal);
        var repeating = new List<DicomDictionaryEntry>();
        var priv = new Dictionary<(string, ushort, byte), DicomDictionaryEntry>();
        foreach (var e in entries)
        {
            if (e.PrivateCreator is not null)
            {
                priv.TryAdd((e.PrivateCreator, e.Tag.Group, (byte)e.Tag.Element), e);
                continue;
            }
            if (e.Mask == 0xFFFFFFFF) byTag.TryAdd(e.Tag.Value, e);
            else repeating.Add(e);
            if (e.Keyword.Length > 0) byKeyword.TryAdd(e.Keyword, e);
        }
        _byTag = byTag.ToFrozenDictionary();
        _byKeyword = byKeyword.ToFrozenDictionary(StringComparer.Ordinal);
        _repeating = [.. repeating];
        _private = priv.ToFrozenDictionary();
    }

    /// <summary>Number of entries (standard and private).</summary>
    public int Count => _byTag.Count + _repeating.Length + _private.Count;

    /// <summary>The standard entry for a tag (repeating groups included), or null.</summary>
    public DicomDictionaryEntry? Find(DicomTag tag)
    {
        if (_byTag.TryGetValue(tag.Value, out var e)) return e;
        foreach (var r in _repeating)
        {
            if ((tag.Value & r.Mask) == (r.Tag.Value & r.Mask)) return r;
        }
        return null;
    }

    /// <summary>The entry for a tag; for a private data element the entry of its creator's private dictionary, when known.</summary>
    public DicomDictionaryEntry? Find(DicomTag tag, string? privateCreator)
    {
        if (!tag.IsPrivate || privateCreator is null) return Find(tag);
        return _private.TryGetValue((privateCreator.Trim(), tag.Group, (byte)tag.Element), out var e) ? e : null;
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
}
