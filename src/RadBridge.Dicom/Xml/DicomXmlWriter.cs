using System.Buffers.Binary;
using System.Globalization;
using System.Xml;

namespace RadBridge.Dicom;

/// <summary>
/// Writes data sets in the Native DICOM Model (PS3.19 Annex A.1) to an <see cref="XmlWriter"/>. One instance per
/// document (it tracks the sequence path for bulk data references); not thread-safe.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A private data element (gggg,xxee) is written as tag "gggg00ee" with its privateCreator, as Table A.1.5-2
/// requires, so the block number (xx) is not part of the XML; a private element without a creator keeps its full tag,
/// and so does one whose creator reserves several blocks (which "gggg00ee" could not tell apart).</item>
/// <item>Values are text as stored (IS and DS keep their digits), binary numbers in invariant form (FL/FD shortest
/// round-trip, "NaN", "Infinity", "-Infinity"), AT as "GGGGEEEE". An empty value in a multi-valued element is an
/// empty &lt;Value&gt;; a zero-length element has no child.</item>
/// <item>Person names are split into groups and components; empty components and groups are left out.</item>
/// <item>XML 1.0 cannot carry most control characters even as references: such characters in text values (not
/// valid DICOM text either) are replaced by U+FFFD. Carriage returns are written as &amp;#xD; so they survive parsing.</item>
/// <item>Encapsulated pixel data is its whole value field (see <see cref="DicomBulkData"/>).</item>
/// </list>
/// </remarks>
internal sealed class DicomXmlWriter
{
    private static readonly string[] ComponentNames = ["FamilyName", "GivenName", "MiddleName", "NamePrefix", "NameSuffix"];
    private static readonly string[] GroupNames = ["Alphabetic", "Ideographic", "Phonetic"];

    private readonly XmlWriter _writer;
    private readonly DicomXmlOptions _options;
    private readonly string? _ns;
    private readonly List<DicomItemStep> _path = [];
    private int _depth;
    private char[] _chars = new char[256];
    private readonly Dictionary<DicomDataset, HashSet<(ushort, string)>> _repeatedCreators = new(ReferenceEqualityComparer.Instance);

    public DicomXmlWriter(XmlWriter writer, DicomXmlOptions options)
    {
        _writer = writer;
        _options = options;
        _ns = options.WriteNamespace ? DicomXml.Namespace : null;
    }

    /// <summary>Starts the NativeDicomModel element.</summary>
    public void WriteStart()
    {
        _writer.WriteStartElement("NativeDicomModel", _ns);
        _writer.WriteAttributeString("xml", "space", "http://www.w3.org/XML/1998/namespace", "preserve");
    }

    /// <summary>Ends the NativeDicomModel element.</summary>
    public void WriteEnd()
    {
        Indent(0);
        _writer.WriteEndElement();
    }

    /// <summary>Writes the DicomAttribute elements of a data set.</summary>
    public void WriteAttributes(DicomDataset dataset)
    {
        foreach (var element in dataset) WriteElement(dataset, element, preloaded: null);
    }

    /// <summary>True when a lazy value will certainly be read to be written inline (see <see cref="DicomJsonWriter.WillLoad"/>).</summary>
    public bool WillLoad(DicomElement element) =>
        element is DicomValueElement { Buffer: { IsLazy: true, Length: > 0 } } v
        && (_options.BulkDataUriFactory is null || v.Buffer.Length <= _options.BulkDataThreshold || !DicomJsonWriter.MayBeBulkDataUri(v.VR));

    /// <summary>Writes one DicomAttribute element.</summary>
    public void WriteElement(DicomDataset dataset, DicomElement element, ReadOnlyMemory<byte>? preloaded)
    {
        var tag = element.Tag;
        if (tag.IsGroupLength) return;
        var vr = element.VR == DicomVR.None ? DicomVR.UN : element.VR;
        Indent(_depth + 1);
        _writer.WriteStartElement("DicomAttribute", _ns);
        var creator = tag.IsPrivate && !tag.IsPrivateCreator && tag.Element >> 8 >= 0x10 ? dataset.GetPrivateCreator(tag) : null;
        var written = creator is null || IsRepeatedCreator(dataset, tag.Group, creator) ? tag : new DicomTag(tag.Group, (ushort)(tag.Element & 0xFF));
        _writer.WriteAttributeString("tag", written.ToHexString());
        _writer.WriteAttributeString("vr", vr.Code());
        if (!tag.IsPrivate && DicomDictionary.Default.Find(tag) is { Keyword.Length: > 0 } entry) _writer.WriteAttributeString("keyword", entry.Keyword);
        if (creator is not null) _writer.WriteAttributeString("privateCreator", Sanitise(creator));
        _depth++;
        var hasChildren = element switch
        {
            DicomSequence s => WriteItems(s),
            DicomFragmentSequence f => WriteFragments(f),
            DicomValueElement v => WriteValue(dataset, v, vr, preloaded),
            _ => false,
        };
        _depth--;
        if (hasChildren) Indent(_depth + 1);
        _writer.WriteEndElement();
    }

    /// <summary>
    /// True when the creator reserves more than one block of the group. The block-less "gggg00ee" form cannot say
    /// which of them an element belongs to, so such elements keep their full tag (with privateCreator, which the reader
    /// checks); PS3.5 §7.8.1 expects one block per creator, so this only meets data that already bends the rules.
    /// </summary>
    private bool IsRepeatedCreator(DicomDataset dataset, ushort group, string creator)
    {
        if (!_repeatedCreators.TryGetValue(dataset, out var repeated))
        {
            var seen = new HashSet<(ushort, string)>();
            repeated = [];
            foreach (var e in dataset)
            {
                if (!e.Tag.IsPrivateCreator) continue;
                var name = dataset.GetString(e.Tag);
                if (name is not null && !seen.Add((e.Tag.Group, name))) repeated.Add((e.Tag.Group, name));
            }
            _repeatedCreators[dataset] = repeated;
        }
        return repeated.Count > 0 && repeated.Contains((group, creator));
    }

    private bool WriteItems(DicomSequence s)
    {
        // Writing recurses per level: refuse what the binary reader could never have produced (a data set built deeper).
        if (_path.Count >= DicomReadOptions.MaxSupportedDepth)
            throw new DicomException($"DICOM XML: {s.Tag} is nested deeper than {DicomReadOptions.MaxSupportedDepth} sequence levels");
        for (var i = 0; i < s.Items.Count; i++)
        {
            Indent(_depth + 1);
            _writer.WriteStartElement("Item", _ns);
            WriteNumber(i + 1);
            _path.Add(new DicomItemStep(s.Tag, i));
            _depth++;
            WriteAttributes(s.Items[i]);
            _depth--;
            _path.RemoveAt(_path.Count - 1);
            if (s.Items[i].Count > 0) Indent(_depth + 1);
            _writer.WriteEndElement();
        }
        return s.Items.Count > 0;
    }

    private bool WriteFragments(DicomFragmentSequence f)
    {
        var length = DicomBulkData.EncapsulatedLength(f);
        if (BulkUri(f, DicomVR.OB, length) is { } uri) WriteBulkData(uri);
        else WriteInlineBinary(DicomBulkData.EncodeEncapsulated(f));
        return true;
    }

    private string? BulkUri(DicomElement element, DicomVR vr, long length)
    {
        var factory = _options.BulkDataUriFactory;
        if (factory is null || length <= _options.BulkDataThreshold) return null;
        var lazy = element is DicomValueElement { Buffer.IsLazy: true };
        if (!DicomJsonWriter.IsInlineBinaryVR(vr) && !(lazy && DicomJsonWriter.MayBeBulkDataUri(vr))) return null;
        return factory(new DicomBulkDataReference(element, [.. _path], length));
    }

    private void WriteBulkData(string uri)
    {
        Indent(_depth + 1);
        _writer.WriteStartElement("BulkData", _ns);
        _writer.WriteAttributeString("uri", uri);
        _writer.WriteEndElement();
    }

    private void WriteInlineBinary(ReadOnlySpan<byte> bytes)
    {
        Indent(_depth + 1);
        _writer.WriteStartElement("InlineBinary", _ns);
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Min(bytes.Length, 48 * 1024));
        try
        {
            for (var at = 0; at < bytes.Length; at += chunk.Length)
            {
                var n = Math.Min(chunk.Length, bytes.Length - at);
                bytes.Slice(at, n).CopyTo(chunk);
                _writer.WriteBase64(chunk, 0, n);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }
        _writer.WriteEndElement();
    }

    private bool WriteValue(DicomDataset dataset, DicomValueElement v, DicomVR vr, ReadOnlyMemory<byte>? preloaded)
    {
        var length = v.Buffer.Length;
        if (length == 0) return false;
        if (BulkUri(v, vr, length) is { } uri)
        {
            WriteBulkData(uri);
            return true;
        }
        var bytes = preloaded ?? v.Buffer.GetMemory();
        if (DicomJsonWriter.IsInlineBinaryVR(vr))
        {
            WriteInlineBinary(bytes.Span);
            return true;
        }
        if (vr.IsText()) return WriteText(dataset.TextEncoding.Decode(bytes.Span, vr), vr);
        var span = bytes.Span;
        var unit = vr == DicomVR.AT ? 4 : vr.UnitSize();
        var count = span.Length / unit;
        var inv = CultureInfo.InvariantCulture;
        Span<char> text = stackalloc char[32];
        for (var i = 0; i < count; i++)
        {
            var at = span.Slice(i * unit, unit);
            int n;
            _ = vr switch
            {
                DicomVR.US => BinaryPrimitives.ReadUInt16LittleEndian(at).TryFormat(text, out n, default, inv),
                DicomVR.SS => BinaryPrimitives.ReadInt16LittleEndian(at).TryFormat(text, out n, default, inv),
                DicomVR.UL => BinaryPrimitives.ReadUInt32LittleEndian(at).TryFormat(text, out n, default, inv),
                DicomVR.SL => BinaryPrimitives.ReadInt32LittleEndian(at).TryFormat(text, out n, default, inv),
                DicomVR.FL => BinaryPrimitives.ReadSingleLittleEndian(at).TryFormat(text, out n, "R", inv),
                DicomVR.FD => BinaryPrimitives.ReadDoubleLittleEndian(at).TryFormat(text, out n, "R", inv),
                DicomVR.SV => BinaryPrimitives.ReadInt64LittleEndian(at).TryFormat(text, out n, default, inv),
                DicomVR.UV => BinaryPrimitives.ReadUInt64LittleEndian(at).TryFormat(text, out n, default, inv),
                DicomVR.AT => ((uint)BinaryPrimitives.ReadUInt16LittleEndian(at) << 16 | BinaryPrimitives.ReadUInt16LittleEndian(at[2..])).TryFormat(text, out n, "X8", inv),
                _ => throw new DicomException($"{v.Tag}: VR {vr.Code()} has no Native DICOM Model form"),
            };
            WriteValueElement(i + 1, text[..n]);
        }
        return count > 0;
    }

    private bool WriteText(string text, DicomVR vr)
    {
        if (vr == DicomVR.PN) return WritePersonNames(text);
        var number = 0;
        foreach (var value in DicomModelText.Values(text, vr)) WriteValueElement(++number, value);
        return number > 0;
    }

    private void WriteValueElement(int number, ReadOnlySpan<char> value)
    {
        Indent(_depth + 1);
        _writer.WriteStartElement("Value", _ns);
        WriteNumber(number);
        if (!value.IsEmpty) WriteChars(value);
        // <Value number="2"></Value>, the form PS3.19 shows for an empty value.
        _writer.WriteFullEndElement();
    }

    /// <summary>Writes text through a reused buffer (no string per value), replacing what XML cannot carry.</summary>
    private void WriteChars(ReadOnlySpan<char> value)
    {
        if (_chars.Length < value.Length) _chars = new char[Math.Max(value.Length, _chars.Length * 2)];
        value.CopyTo(_chars);
        SanitiseInPlace(_chars.AsSpan(0, value.Length));
        _writer.WriteChars(_chars, 0, value.Length);
    }

    private bool WritePersonNames(string text)
    {
        // A name is written by its components, so one with none (e.g. "^") reads back empty; a lone such value would
        // then vanish on a second round trip, so it is treated as empty from the start.
        var values = new List<string>();
        foreach (var value in DicomModelText.Values(text, DicomVR.PN)) values.Add(HasComponents(value) ? value.ToString() : "");
        if (values.Count == 1 && values[0].Length == 0) return false;
        for (var i = 0; i < values.Count; i++)
        {
            Indent(_depth + 1);
            _writer.WriteStartElement("PersonName", _ns);
            WriteNumber(i + 1);
            var hasGroups = false;
            if (values[i].Length > 0)
            {
                DicomModelText.SplitGroups(values[i], out var a, out var ideo, out var p);
                _depth++;
                hasGroups |= WriteGroup(0, a);
                hasGroups |= WriteGroup(1, ideo);
                hasGroups |= WriteGroup(2, p);
                _depth--;
            }
            if (hasGroups) Indent(_depth + 1);
            _writer.WriteEndElement();
        }
        return true;
    }

    private static bool HasComponents(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (c != '^' && c != '=') return true;
        }
        return false;
    }

    private bool WriteGroup(int group, ReadOnlySpan<char> value)
    {
        if (!HasComponents(value)) return false;
        Indent(_depth + 1);
        _writer.WriteStartElement(GroupNames[group], _ns);
        _depth++;
        var rest = value;
        for (var c = 0; c < ComponentNames.Length && !rest.IsEmpty; c++)
        {
            // The fifth component takes the rest, so a name with too many carets loses nothing.
            var cut = c < ComponentNames.Length - 1 ? rest.IndexOf('^') : -1;
            var component = cut < 0 ? rest : rest[..cut];
            rest = cut < 0 ? default : rest[(cut + 1)..];
            if (component.IsEmpty) continue;
            Indent(_depth + 1);
            _writer.WriteStartElement(ComponentNames[c], _ns);
            WriteChars(component);
            _writer.WriteEndElement();
        }
        _depth--;
        Indent(_depth + 1);
        _writer.WriteEndElement();
        return true;
    }

    private void WriteNumber(int number) =>
        _writer.WriteAttributeString("number", number < SmallNumbers.Length ? SmallNumbers[number] : number.ToString(CultureInfo.InvariantCulture));

    private static readonly string[] SmallNumbers = [.. Enumerable.Range(0, 64).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    private void Indent(int depth)
    {
        // xml:space="preserve" stops XmlWriter's own indentation, so whitespace between elements is written by hand;
        // readers of the model skip it (it is never inside a Value).
        if (!_options.WriteIndented) return;
        _writer.WriteWhitespace("\n" + new string(' ', depth * 2));
    }

    /// <summary>Replaces characters XML 1.0 cannot carry (most C0 controls, U+FFFE/U+FFFF, lone surrogates) by U+FFFD.</summary>
    internal static string Sanitise(string text)
    {
        var chars = text.ToCharArray();
        return SanitiseInPlace(chars) ? new string(chars) : text;
    }

    private static bool SanitiseInPlace(Span<char> chars)
    {
        var changed = false;
        for (var i = 0; i < chars.Length; i++)
        {
            var c = chars[i];
            if (c >= 0x20 && c < 0xD800) continue;
            if (char.IsHighSurrogate(c) && i + 1 < chars.Length && char.IsLowSurrogate(chars[i + 1]))
            {
                i++;
                continue;
            }
            if (XmlConvert.IsXmlChar(c)) continue;
            chars[i] = '\uFFFD';
            changed = true;
        }
        return changed;
    }
}
