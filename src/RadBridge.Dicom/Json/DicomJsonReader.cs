using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace RadBridge.Dicom;

/// <summary>
/// Reads data sets in the DICOM JSON Model (PS3.18 Annex F) from a <see cref="Utf8JsonReader"/>. One instance per
/// document; not thread-safe.
/// </summary>
/// <remarks>
/// Lenient where other producers differ and nothing is lost: attribute properties in any order (the "vr" is looked for
/// first), "vr" missing for a tag the dictionary knows, unknown properties skipped, "Value": [] or null as no value, PN
/// values given as plain strings, numbers given as strings and integers given as 1.0. IS and DS numbers keep the text
/// of their JSON token ("1.50" stays "1.50"); a DS token longer than the 16 bytes PS3.5 allows is shortened without
/// changing its value where possible (see <see cref="DicomModelText.FitDecimalString"/>). Anything else that does not
/// fit the model is a <see cref="DicomException"/> naming the attribute and the byte position.
/// </remarks>
internal sealed class DicomJsonReader
{
    private readonly DicomBulkDataOptions _options;
    private readonly List<DicomItemStep> _path = [];
    private byte[] _scratch = new byte[256];
    private int _used;

    public DicomJsonReader(DicomBulkDataOptions options) => _options = options;

    /// <summary>The attribute being read (for messages), or null between attributes.</summary>
    public DicomTag? CurrentTag { get; private set; }

    /// <summary>Where the current attribute is: sequence steps then the tag, e.g. "(0040,A730)[0] (0040,A010)".</summary>
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

    /// <summary>Reads the data set object the reader is positioned on (its StartObject token).</summary>
    public DicomDataset ReadDataset(ref Utf8JsonReader r, DicomDataset? parent)
    {
        if (r.TokenType != JsonTokenType.StartObject) throw Error(ref r, $"expected a data set object, found {r.TokenType}");
        var dataset = new DicomDataset();
        if (parent is not null) dataset.Parent = parent;
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject) break;
            var tag = ParseTag(ref r);
            CurrentTag = tag;
            Next(ref r);
            if (r.TokenType != JsonTokenType.StartObject) throw Error(ref r, $"expected an attribute object, found {r.TokenType}");
            ReadAttribute(ref r, dataset, tag);
            CurrentTag = null;
        }
        return dataset;
    }

    private void ReadAttribute(ref Utf8JsonReader r, DicomDataset dataset, DicomTag tag)
    {
        var vr = FindVR(r, dataset, tag);
        var haveValue = false;
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject) break;
            if (r.ValueTextEquals("vr"u8))
            {
                Next(ref r);
                continue;
            }
            var kind = r.ValueTextEquals("Value"u8) ? 1 : r.ValueTextEquals("InlineBinary"u8) ? 2 : r.ValueTextEquals("BulkDataURI"u8) ? 3 : 0;
            Next(ref r);
            if (kind == 0)
            {
                r.Skip();
                continue;
            }
            if (r.TokenType == JsonTokenType.Null) continue;
            if (haveValue) throw Error(ref r, "more than one of Value, InlineBinary and BulkDataURI");
            haveValue = true;
            switch (kind)
            {
                case 1:
                    ReadValue(ref r, dataset, tag, vr);
                    break;
                case 2:
                    if (r.TokenType != JsonTokenType.String) throw Error(ref r, "InlineBinary is not a string");
                    if (vr == DicomVR.SQ) throw Error(ref r, "a sequence cannot have InlineBinary");
                    byte[] bytes;
                    try
                    {
                        bytes = r.GetBytesFromBase64();
                    }
                    catch (FormatException ex)
                    {
                        throw Error(ref r, $"InlineBinary is not base64 ({ex.Message})");
                    }
                    DicomModelBuilder.AddBinary(dataset, tag, vr, DicomBuffer.FromMemory(bytes));
                    break;
                default:
                    if (r.TokenType != JsonTokenType.String) throw Error(ref r, "BulkDataURI is not a string");
                    if (vr == DicomVR.SQ) throw Error(ref r, "a sequence cannot have a BulkDataURI");
                    DicomModelBuilder.AddBinary(dataset, tag, vr, Resolve(ref r, r.GetString()!));
                    break;
            }
        }
        if (!haveValue && !dataset.Contains(tag))
        {
            if (vr == DicomVR.SQ) dataset.AddOrUpdate(new DicomSequence(tag));
            else dataset.AddOrUpdate(new DicomValueElement(tag, vr, DicomBuffer.Empty));
        }
    }

    /// <summary>The attribute's "vr", looked up on a copy of the reader so it may come after "Value".</summary>
    private DicomVR FindVR(Utf8JsonReader probe, DicomDataset dataset, DicomTag tag)
    {
        while (true)
        {
            Next(ref probe);
            if (probe.TokenType == JsonTokenType.EndObject) break;
            var isVr = probe.ValueTextEquals("vr"u8);
            Next(ref probe);
            if (!isVr)
            {
                probe.Skip();
                continue;
            }
            if (probe.TokenType != JsonTokenType.String || !DicomVRInfo.TryParse(probe.GetString(), out var vr))
                throw Error(ref probe, $"\"vr\" is not a Value Representation");
            return vr;
        }
        if (tag.IsPrivateCreator) return DicomVR.LO;
        var entry = DicomDictionary.Default.Find(tag, dataset.GetPrivateCreator(tag));
        return entry?.VR ?? throw Error(ref probe, "no \"vr\", and the tag is not in the dictionary");
    }

    private DicomBuffer Resolve(ref Utf8JsonReader r, string uri)
    {
        try
        {
            return _options.BulkDataResolver is { } resolve ? resolve(uri) : DicomBulkData.ResolveFileUri(uri);
        }
        catch (DicomException ex)
        {
            throw new DicomException($"DICOM JSON: {Location}: {ex.Message} (at byte {r.TokenStartIndex})", ex);
        }
    }

    private void ReadValue(ref Utf8JsonReader r, DicomDataset dataset, DicomTag tag, DicomVR vr)
    {
        if (r.TokenType != JsonTokenType.StartArray) throw Error(ref r, "\"Value\" is not an array");
        switch (vr)
        {
            case DicomVR.SQ:
                ReadItems(ref r, dataset, tag);
                return;
            case DicomVR.AT:
            case DicomVR.US or DicomVR.SS or DicomVR.UL or DicomVR.SL or DicomVR.FL or DicomVR.FD or DicomVR.SV or DicomVR.UV:
                ReadNumbers(ref r, vr);
                DicomModelBuilder.AddBinary(dataset, tag, vr, DicomBuffer.FromMemory(_scratch.AsSpan(0, _used).ToArray()));
                return;
            default:
                if (!vr.IsText()) throw Error(ref r, $"{vr.Code()} values are written as InlineBinary or BulkDataURI, not Value");
                DicomModelBuilder.AddText(dataset, tag, vr, ReadStrings(ref r, vr));
                return;
        }
    }

    private void ReadItems(ref Utf8JsonReader r, DicomDataset dataset, DicomTag tag)
    {
        var items = new List<DicomDataset>();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray) break;
            _path.Add(new DicomItemStep(tag, items.Count));
            CurrentTag = null;
            if (r.TokenType == JsonTokenType.Null)
            {
                items.Add(new DicomDataset { Parent = dataset });
            }
            else
            {
                if (r.TokenType != JsonTokenType.StartObject) throw Error(ref r, $"a sequence item is a {r.TokenType}, not an object");
                items.Add(ReadDataset(ref r, dataset));
            }
            _path.RemoveAt(_path.Count - 1);
            CurrentTag = tag;
        }
        dataset.AddOrUpdate(new DicomSequence(tag, items));
    }

    private List<string?> ReadStrings(ref Utf8JsonReader r, DicomVR vr)
    {
        var values = new List<string?>();
        while (true)
        {
            Next(ref r);
            switch (r.TokenType)
            {
                case JsonTokenType.EndArray:
                    return values;
                case JsonTokenType.Null:
                    values.Add(null);
                    break;
                case JsonTokenType.String:
                    values.Add(r.GetString());
                    break;
                case JsonTokenType.Number:
                    // The token's own text, so "1.50" keeps its digits.
                    var text = Encoding.ASCII.GetString(r.ValueSpan);
                    values.Add(vr == DicomVR.DS ? DicomModelText.FitDecimalString(text) : vr == DicomVR.IS ? DicomModelText.NormaliseIntegerString(text) : text);
                    break;
                case JsonTokenType.StartObject when vr == DicomVR.PN:
                    values.Add(ReadPersonName(ref r));
                    break;
                default:
                    throw Error(ref r, $"a {vr.Code()} value cannot be a JSON {r.TokenType}");
            }
        }
    }

    private string ReadPersonName(ref Utf8JsonReader r)
    {
        string? alphabetic = null, ideographic = null, phonetic = null;
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndObject) break;
            var group = r.ValueTextEquals("Alphabetic"u8) ? 0 : r.ValueTextEquals("Ideographic"u8) ? 1 : r.ValueTextEquals("Phonetic"u8) ? 2 : -1;
            Next(ref r);
            if (group < 0)
            {
                r.Skip();
                continue;
            }
            if (r.TokenType == JsonTokenType.Null) continue;
            if (r.TokenType != JsonTokenType.String) throw Error(ref r, "a Person Name component group is not a string");
            var value = r.GetString();
            if (group == 0) alphabetic = value;
            else if (group == 1) ideographic = value;
            else phonetic = value;
        }
        return DicomModelText.JoinGroups(alphabetic, ideographic, phonetic);
    }

    private void ReadNumbers(ref Utf8JsonReader r, DicomVR vr)
    {
        _used = 0;
        var unit = vr == DicomVR.AT ? 4 : vr.UnitSize();
        while (true)
        {
            Next(ref r);
            if (r.TokenType == JsonTokenType.EndArray) return;
            if (r.TokenType is not (JsonTokenType.Number or JsonTokenType.String))
                throw Error(ref r, $"a {vr.Code()} value cannot be a JSON {r.TokenType}");
            if (_used + unit > _scratch.Length) Array.Resize(ref _scratch, _scratch.Length * 2);
            var into = _scratch.AsSpan(_used, unit);
            var encoded = TryEncodeNumberToken(ref r, vr, into)
                || ((vr != DicomVR.AT || r.TokenType == JsonTokenType.String) && DicomModelBuilder.TryEncodeNumber(TokenText(ref r), vr, into));
            if (!encoded) throw Error(ref r, $"'{TokenText(ref r)}' is not a valid {vr.Code()} value");
            _used += unit;
        }
    }

    /// <summary>The common case without allocating: a JSON number token that fits the VR as written.</summary>
    private static bool TryEncodeNumberToken(ref Utf8JsonReader r, DicomVR vr, Span<byte> into)
    {
        if (r.TokenType != JsonTokenType.Number) return false;
        switch (vr)
        {
            case DicomVR.US when r.TryGetUInt16(out var us): BinaryPrimitives.WriteUInt16LittleEndian(into, us); return true;
            case DicomVR.SS when r.TryGetInt16(out var ss): BinaryPrimitives.WriteInt16LittleEndian(into, ss); return true;
            case DicomVR.UL when r.TryGetUInt32(out var ul): BinaryPrimitives.WriteUInt32LittleEndian(into, ul); return true;
            case DicomVR.SL when r.TryGetInt32(out var sl): BinaryPrimitives.WriteInt32LittleEndian(into, sl); return true;
            case DicomVR.SV when r.TryGetInt64(out var sv): BinaryPrimitives.WriteInt64LittleEndian(into, sv); return true;
            case DicomVR.UV when r.TryGetUInt64(out var uv): BinaryPrimitives.WriteUInt64LittleEndian(into, uv); return true;
            case DicomVR.FL when r.TryGetSingle(out var fl) && float.IsFinite(fl): BinaryPrimitives.WriteSingleLittleEndian(into, fl); return true;
            case DicomVR.FD when r.TryGetDouble(out var fd) && double.IsFinite(fd): BinaryPrimitives.WriteDoubleLittleEndian(into, fd); return true;
            default: return false;
        }
    }

    private static string TokenText(ref Utf8JsonReader r) =>
        r.TokenType == JsonTokenType.String ? r.GetString() ?? "" : Encoding.UTF8.GetString(r.ValueSpan);

    private DicomTag ParseTag(ref Utf8JsonReader r)
    {
        var name = r.ValueSpan;
        if (r.ValueIsEscaped || name.Length != 8 || !uint.TryParse(name, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            throw Error(ref r, $"'{r.GetString()}' is not a tag (eight hex digits)");
        return new DicomTag(value);
    }

    private void Next(ref Utf8JsonReader r)
    {
        if (!r.Read()) throw Error(ref r, "the JSON ends early");
    }

    private DicomException Error(ref Utf8JsonReader r, string problem)
    {
        var where = Location;
        return new DicomException(where.Length > 0
            ? $"DICOM JSON: {where}: {problem} (at byte {r.TokenStartIndex})"
            : $"DICOM JSON: {problem} (at byte {r.TokenStartIndex})");
    }
}
