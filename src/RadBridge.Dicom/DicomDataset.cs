using System.Collections;

namespace RadBridge.Dicom;

/// <summary>
/// A DICOM data set (or sequence item): elements kept sorted by tag, values still encoded so reading a header is
/// cheap and nothing is decoded until asked for. Text is decoded with the data set's Specific Character Set,
/// inherited from the enclosing data set for sequence items that do not state their own.
/// </summary>
public sealed partial class DicomDataset : IEnumerable<DicomElement>
{
    private readonly List<DicomElement> _elements;
    private DicomTextEncoding? _ownEncoding;
    private bool _encodingResolved;

    public DicomDataset() => _elements = [];

    public DicomDataset(IEnumerable<DicomElement> elements) : this()
    {
        ArgumentNullException.ThrowIfNull(elements);
        foreach (var e in elements) AddOrUpdate(e);
    }

    /// <summary>The enclosing data set when this one is a sequence item (for character set inheritance).</summary>
    public DicomDataset? Parent { get; internal set; }

    /// <summary>For sequence items: encoded with undefined length (item delimiter) or an explicit length; the writer keeps it.</summary>
    public bool UndefinedLength { get; set; } = true;

    /// <summary>Number of elements at this level.</summary>
    public int Count => _elements.Count;

    /// <summary>The element with this tag, or null.</summary>
    public DicomElement? this[DicomTag tag] => TryGetElement(tag, out var e) ? e : null;

    /// <summary>True when an element with this tag is present (even with an empty value).</summary>
    public bool Contains(DicomTag tag) => IndexOf(tag) >= 0;

    /// <summary>Finds an element by tag.</summary>
    public bool TryGetElement(DicomTag tag, out DicomElement element)
    {
        var i = IndexOf(tag);
        element = i >= 0 ? _elements[i] : null!;
        return i >= 0;
    }

    /// <summary>Adds an element; fails when the tag is already present.</summary>
    public DicomDataset Add(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var i = IndexOf(element.Tag);
        if (i >= 0) throw new DicomException($"{element.Tag} is already in the data set");
        Insert(~i, element);
        return this;
    }

    /// <summary>Adds an element or replaces the one with the same tag.</summary>
    public DicomDataset AddOrUpdate(DicomElement element)
    {
        ArgumentNullException.ThrowIfNull(element);
        var i = IndexOf(element.Tag);
        if (i >= 0)
        {
            _elements[i] = element;
            Adopt(element);
            if (element.Tag == SpecificCharacterSetTag) InvalidateEncoding();
        }
        else
        {
            Insert(~i, element);
        }
        return this;
    }

    /// <summary>Removes the element with this tag; returns whether it was there.</summary>
    public bool Remove(DicomTag tag)
    {
        var i = IndexOf(tag);
        if (i < 0) return false;
        _elements.RemoveAt(i);
        if (tag == SpecificCharacterSetTag) InvalidateEncoding();
        return true;
    }

    /// <summary>Removes every element that matches.</summary>
    public int RemoveAll(Predicate<DicomElement> match)
    {
        var n = _elements.RemoveAll(match);
        InvalidateEncoding();
        return n;
    }

    /// <summary>Removes all elements.</summary>
    public void Clear()
    {
        _elements.Clear();
        InvalidateEncoding();
    }

    /// <summary>The sequence with this tag, or null when absent or not a sequence.</summary>
    public DicomSequence? GetSequence(DicomTag tag) => this[tag] as DicomSequence;

    /// <summary>The private creator string that reserves the block of a private data element, or null.</summary>
    public string? GetPrivateCreator(DicomTag tag)
    {
        if (!tag.IsPrivate || tag.IsPrivateCreator) return null;
        return GetString(tag.PrivateCreatorTag);
    }

    /// <summary>
    /// The tag to use for private element <paramref name="elementOffset"/> (0x00–0xFF) of <paramref name="creator"/> in
    /// <paramref name="group"/>, reserving a block (adding the creator element) when the creator has none yet.
    /// </summary>
    public DicomTag GetOrReservePrivateTag(ushort group, string creator, byte elementOffset)
    {
        ArgumentNullException.ThrowIfNull(creator);
        if ((group & 1) == 0 || group <= 0x0007) throw new DicomException($"group {group:X4} is not a private group");
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            var creatorTag = new DicomTag(group, block);
            var existing = GetString(creatorTag);
            if (existing is null)
            {
                AddOrUpdate(creatorTag, DicomVR.LO, creator);
                return new DicomTag(group, (ushort)((block << 8) | elementOffset));
            }
            if (existing == creator) return new DicomTag(group, (ushort)((block << 8) | elementOffset));
        }
        throw new DicomException($"no free private block left in group {group:X4}");
    }

    /// <summary>A deep copy (lazy bulk values stay lazy and are shared, being immutable).</summary>
    public DicomDataset Clone()
    {
        var copy = new DicomDataset { UndefinedLength = UndefinedLength };
        foreach (var e in _elements) copy._elements.Add(CloneElement(e, copy));
        return copy;
    }

    private static DicomElement CloneElement(DicomElement e, DicomDataset newOwner)
    {
        switch (e)
        {
            case DicomSequence s:
                var seq = new DicomSequence(s.Tag) { UndefinedLength = s.UndefinedLength, ReadFromUN = s.ReadFromUN };
                foreach (var item in s.Items)
                {
                    var c = item.Clone();
                    c.Parent = newOwner;
                    seq.Items.Add(c);
                }
                return seq;
            case DicomFragmentSequence f:
                return new DicomFragmentSequence(f.Tag, f.VR, f.OffsetTable, f.Fragments);
            default:
                return e;
        }
    }

    /// <summary>Elements in tag order.</summary>
    public IEnumerator<DicomElement> GetEnumerator() => _elements.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Appends an element read from a stream. Elements normally arrive in ascending order (a plain append); an
    /// out-of-order element is inserted at its place, and a repeated tag is kept once (the first) and reported.
    /// </summary>
    internal bool AppendFromReader(DicomElement element)
    {
        var n = _elements.Count;
        if (n == 0 || _elements[n - 1].Tag < element.Tag)
        {
            _elements.Add(element);
            Adopt(element);
            if (element.Tag == SpecificCharacterSetTag) InvalidateEncoding();
            return true;
        }
        var i = IndexOf(element.Tag);
        if (i >= 0) return false;
        Insert(~i, element);
        return true;
    }

    private void Insert(int index, DicomElement element)
    {
        _elements.Insert(index, element);
        Adopt(element);
        if (element.Tag == SpecificCharacterSetTag) InvalidateEncoding();
    }

    private void Adopt(DicomElement element)
    {
        if (element is DicomSequence s)
        {
            foreach (var item in s.Items) item.Parent = this;
        }
    }

    private int IndexOf(DicomTag tag)
    {
        // Fast path for lookups of the last element (common while building) then binary search.
        var list = _elements;
        int lo = 0, hi = list.Count - 1;
        var key = tag.Value;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var v = list[mid].Tag.Value;
            if (v == key) return mid;
            if (v < key) lo = mid + 1; else hi = mid - 1;
        }
        return ~lo;
    }

    internal static readonly DicomTag SpecificCharacterSetTag = new(0x0008, 0x0005);
}
