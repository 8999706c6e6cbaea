using System.Globalization;
using System.Text;
using System.Xml;

namespace RadBridge.Dicom;

/// <summary>
/// Reads the Native DICOM Model (PS3.19 Annex A.1) from an <see cref="XmlReader"/>, streaming (no DOM). One instance per
/// document; not thread-safe.
/// </summary>
/// <remarks>
/// Elements are matched by local name, so documents with or without the PS3.19 namespace are read alike. A private data
/// element given as "gggg00ee" with a privateCreator is placed in the block its creator reserves in that data set
/// (reserving one when the creator is new; a second block of the same creator is used when the first already holds that
/// element); a full private tag whose block belongs to the named creator is kept as is. "vr" may be missing for a tag
/// the dictionary knows. &lt;BulkData uri&gt; is resolved as in JSON; &lt;BulkData uuid&gt; (the Application Hosting form)
/// is passed to the resolver as "urn:uuid:…". Anything else that does not fit the model is a <see cref="DicomException"/>
/// naming the attribute and the line.
/// </remarks>
internal sealed class DicomXmlReader
{
    private readonly DicomBulkDataOptions _options;
    private readonly List<DicomItemStep> _path = [];

    public DicomXmlReader(DicomBulkDataOptions options) => _options = options;

    /// <summary>The attribute being read (for messages), or null between attributes.</summary>
    public DicomTag? CurrentTag { get; private set; }

    /// <summary>Where the current attribute is: sequence steps then the tag (tags as written in the XML).</summary>
    public string Location
    {
        get
        {
            var sb = new StringBuilder();
            foreach (var step in _path) sb.Append(step.Sequence).Append('[').Append(step.Item.ToString(CultureInfo.InvariantCulture)).Append("] ");
            if (CurrentTag is { } t) sb.Append(t);
            return sb.ToString().TrimEnd();
        }
    }

    /// <summary>Reads the NativeDicomModel element (the reader may be before it, e.g. on the XML declaration).</summary>
    public DicomDataset ReadDocument(XmlReader r)
    {
        if (r.MoveToContent() != XmlNodeType.Element || r.LocalName != "NativeDicomModel")
            throw Error(r, $"the root element is <{r.LocalName}>, not <NativeDicomModel>");
        var dataset = new DicomDataset();
        ReadContent(r, dataset);
        return dataset;
    }

    /// <summary>Reads the DicomAttribute children of a NativeDicomModel or Item element, consuming the element.</summary>
    private void ReadContent(XmlReader r, DicomDataset dataset)
    {
        List<Attribute>? deferred = null;
        if (r.IsEmptyElement)
        {
            r.Read();
            return;
        }
        r.Read();
        while (NextChild(r))
        {
            if (r.LocalName != "DicomAttribute") throw Error(r, $"unexpected element <{r.LocalName}>");
            var attribute = ReadAttribute(r, dataset);
            if (attribute.Deferred) (deferred ??= []).Add(attribute);
            else Apply(r, dataset, attribute);
            CurrentTag = null;
        }
        r.Read();
        if (deferred is null) return;
        // Private data elements written block-less wait until every creator element of the data set has been read.
        foreach (var a in deferred)
        {
            CurrentTag = a.Tag;
            a.Tag = ResolvePrivate(r, dataset, a);
            Apply(r, dataset, a);
        }
        CurrentTag = null;
    }

    /// <summary>Moves to the next child element; false at the parent's end element. Whitespace and comments are skipped.</summary>
    private bool NextChild(XmlReader r)
    {
        var node = r.MoveToContent();
        return node switch
        {
            XmlNodeType.Element => true,
            XmlNodeType.EndElement => false,
            XmlNodeType.None => throw Error(r, "the XML ends early"),
            _ => throw Error(r, $"unexpected {node} content"),
        };
    }

    private Attribute ReadAttribute(XmlReader r, DicomDataset dataset)
    {
        var tagText = r.GetAttribute("tag");
        if (tagText is null || tagText.Length != 8 || !uint.TryParse(tagText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var tagValue))
            throw Error(r, $"DicomAttribute tag '{tagText}' is not eight hex digits");
        var tag = new DicomTag(tagValue);
        CurrentTag = tag;
        var creator = r.GetAttribute("privateCreator");
        var vrText = r.GetAttribute("vr");
        DicomVR vr;
        if (vrText is not null)
        {
            if (!DicomVRInfo.TryParse(vrText, out vr)) throw Error(r, $"vr '{vrText}' is not a Value Representation");
        }
        else if (tag.IsPrivateCreator && creator is null)
        {
            vr = DicomVR.LO;
        }
        else
        {
            vr = DicomDictionary.Default.Find(tag, creator)?.VR ?? throw Error(r, "no vr, and the tag is not in the dictionary");
        }
        var a = new Attribute(tag, vr, creator);
        if (creator is not null && tag.IsPrivate)
        {
            var block = tag.Element >> 8;
            a.Deferred = block < 0x10 || !string.Equals(dataset.GetString(new DicomTag(tag.Group, (ushort)block)), creator.Trim(), StringComparison.Ordinal);
        }
        if (r.IsEmptyElement)
        {
            r.Read();
            return a;
        }
        r.Read();
        while (NextChild(r))
        {
            switch (r.LocalName)
            {
                case "Value":
                    a.Add(Number(r), r.ReadElementContentAsString());
                    break;
                case "PersonName":
                    a.Add(Number(r), ReadPersonName(r));
                    break;
                case "Item":
                    var number = Number(r);
                    // Reading recurses per level: bound it as the binary reader and DICOM JSON do.
                    if (_path.Count >= DicomReadOptions.Default.MaxDepth)
                        throw Error(r, $"sequences nested deeper than {DicomReadOptions.Default.MaxDepth} levels");
                    var item = new DicomDataset { Parent = dataset };
                    _path.Add(new DicomItemStep(tag, number - 1));
                    ReadContent(r, item);
                    _path.RemoveAt(_path.Count - 1);
                    CurrentTag = tag;
                    (a.Items ??= []).Add((number, item));
                    break;
                case "InlineBinary":
                    SetBuffer(r, a, DicomBuffer.FromMemory(ReadBase64(r)));
                    break;
                case "BulkData":
                    var uri = r.GetAttribute("uri") ?? (r.GetAttribute("uuid") is { } uuid ? "urn:uuid:" + uuid : null)
                        ?? throw Error(r, "BulkData has neither uri nor uuid");
                    SetBuffer(r, a, Resolve(r, uri));
                    r.Skip();
                    break;
                default:
                    throw Error(r, $"unexpected element <{r.LocalName}> in DicomAttribute");
            }
        }
        r.Read();
        return a;
    }

    private void SetBuffer(XmlReader r, Attribute a, DicomBuffer buffer)
    {
        if (a.Buffer is not null || a.Values is not null || a.Items is not null) throw Error(r, "more than one of Value, PersonName, Item, InlineBinary and BulkData");
        a.Buffer = buffer;
    }

    private DicomBuffer Resolve(XmlReader r, string uri)
    {
        try
        {
            return _options.BulkDataResolver is { } resolve ? resolve(uri) : DicomBulkData.ResolveFileUri(uri);
        }
        catch (DicomException ex)
        {
            throw new DicomException($"DICOM XML: {Location}: {ex.Message}{LineInfo(r)}", ex);
        }
    }

    private static byte[] ReadBase64(XmlReader r)
    {
        using var bytes = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = r.ReadElementContentAsBase64(chunk, 0, chunk.Length)) > 0) bytes.Write(chunk, 0, n);
        return bytes.ToArray();
    }

    private string ReadPersonName(XmlReader r)
    {
        var groups = new string?[3];
        if (r.IsEmptyElement)
        {
            r.Read();
            return "";
        }
        r.Read();
        while (NextChild(r))
        {
            var group = r.LocalName switch
            {
                "Alphabetic" or "SingleByte" => 0,
                "Ideographic" => 1,
                "Phonetic" => 2,
                _ => throw Error(r, $"unexpected element <{r.LocalName}> in PersonName"),
            };
            groups[group] = ReadComponents(r);
        }
        r.Read();
        return DicomModelText.JoinGroups(groups[0], groups[1], groups[2]);
    }

    private string ReadComponents(XmlReader r)
    {
        var components = new string?[5];
        if (r.IsEmptyElement)
        {
            r.Read();
            return "";
        }
        r.Read();
        while (NextChild(r))
        {
            var c = r.LocalName switch
            {
                "FamilyName" => 0,
                "GivenName" => 1,
                "MiddleName" => 2,
                "NamePrefix" => 3,
                "NameSuffix" => 4,
                _ => throw Error(r, $"unexpected element <{r.LocalName}> in a Person Name group"),
            };
            components[c] = r.ReadElementContentAsString();
        }
        r.Read();
        var last = Array.FindLastIndex(components, c => !string.IsNullOrEmpty(c));
        return last < 0 ? "" : string.Join('^', components, 0, last + 1);
    }

    private int Number(XmlReader r)
    {
        var text = r.GetAttribute("number");
        if (text is null || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
            throw Error(r, $"<{r.LocalName}> number '{text}' is not a positive integer");
        return n;
    }

    private void Apply(XmlReader r, DicomDataset dataset, Attribute a)
    {
        var tag = a.Tag;
        var vr = a.VR;
        if ((a.Items is null ? 0 : 1) + (a.Values is null ? 0 : 1) + (a.Buffer is null ? 0 : 1) > 1)
            throw Error(r, "more than one of Value, PersonName, Item, InlineBinary and BulkData");
        if (a.Items is not null)
        {
            if (vr != DicomVR.SQ) throw Error(r, $"Item in a {vr.Code()} attribute");
            a.Items.Sort((x, y) => x.Number.CompareTo(y.Number));
            dataset.AddOrUpdate(new DicomSequence(tag, a.Items.Select(i => i.Item)));
        }
        else if (a.Buffer is not null)
        {
            if (vr == DicomVR.SQ) throw Error(r, "a sequence cannot have InlineBinary or BulkData");
            DicomModelBuilder.AddBinary(dataset, tag, vr, a.Buffer);
        }
        else if (a.Values is null)
        {
            if (vr == DicomVR.SQ) dataset.AddOrUpdate(new DicomSequence(tag));
            else dataset.AddOrUpdate(new DicomValueElement(tag, vr, DicomBuffer.Empty));
        }
        else if (vr.IsText())
        {
            a.Values.Sort((x, y) => x.Number.CompareTo(y.Number));
            var values = new List<string?>(a.Values.Count);
            foreach (var (_, value) in a.Values) values.Add(value.Length == 0 ? null : value);
            DicomModelBuilder.AddText(dataset, tag, vr, values);
        }
        else if (vr == DicomVR.AT || (vr.IsBinaryNumber() && !DicomJsonWriter.IsInlineBinaryVR(vr)))
        {
            a.Values.Sort((x, y) => x.Number.CompareTo(y.Number));
            var unit = vr == DicomVR.AT ? 4 : vr.UnitSize();
            var bytes = new byte[a.Values.Count * unit];
            for (var i = 0; i < a.Values.Count; i++)
            {
                if (!DicomModelBuilder.TryEncodeNumber(a.Values[i].Value, vr, bytes.AsSpan(i * unit, unit)))
                    throw Error(r, $"'{a.Values[i].Value}' is not a valid {vr.Code()} value");
            }
            DicomModelBuilder.AddBinary(dataset, tag, vr, DicomBuffer.FromMemory(bytes));
        }
        else
        {
            throw Error(r, $"{vr.Code()} values are written as InlineBinary or BulkData, not Value");
        }
    }

    /// <summary>The tag of a block-less private data element: its creator's block in this data set, reserving one if needed.</summary>
    private DicomTag ResolvePrivate(XmlReader r, DicomDataset dataset, Attribute a)
    {
        var creator = a.Creator!.Trim();
        var offset = (ushort)(a.Tag.Element & 0xFF);
        ushort? free = null;
        for (ushort block = 0x10; block <= 0xFF; block++)
        {
            var existing = dataset.GetString(new DicomTag(a.Tag.Group, block));
            if (existing is null)
            {
                free ??= block;
                continue;
            }
            var candidate = new DicomTag(a.Tag.Group, (ushort)((block << 8) | offset));
            if (string.Equals(existing, creator, StringComparison.Ordinal) && !dataset.Contains(candidate)) return candidate;
        }
        if (free is not { } b) throw Error(r, $"no free private block left in group {a.Tag.Group:X4} for creator '{creator}'");
        dataset.AddOrUpdate(new DicomTag(a.Tag.Group, b), DicomVR.LO, creator);
        return new DicomTag(a.Tag.Group, (ushort)((b << 8) | offset));
    }

    private DicomException Error(XmlReader r, string problem)
    {
        var where = Location;
        return new DicomException(where.Length > 0 ? $"DICOM XML: {where}: {problem}{LineInfo(r)}" : $"DICOM XML: {problem}{LineInfo(r)}");
    }

    private static string LineInfo(XmlReader r) =>
        r is IXmlLineInfo { } info && info.HasLineInfo()
            ? string.Create(CultureInfo.InvariantCulture, $" (line {info.LineNumber}, position {info.LinePosition})")
            : "";

    /// <summary>One DicomAttribute as read, applied to the data set once its tag is final.</summary>
    private sealed class Attribute(DicomTag tag, DicomVR vr, string? creator)
    {
        public DicomTag Tag { get; set; } = tag;
        public DicomVR VR { get; } = vr;
        public string? Creator { get; } = creator;
        public bool Deferred { get; set; }
        public List<(int Number, string Value)>? Values { get; private set; }
        public List<(int Number, DicomDataset Item)>? Items { get; set; }
        public DicomBuffer? Buffer { get; set; }

        public void Add(int number, string value) => (Values ??= []).Add((number, value));
    }
}
