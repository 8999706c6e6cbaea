using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;

namespace RadBridge.Dicom;

/// <summary>
/// Writes data sets in the DICOM JSON Model (PS3.18 Annex F) to a <see cref="Utf8JsonWriter"/>. One instance per
/// document (it tracks the sequence path for bulk data references); not thread-safe.
/// </summary>
/// <remarks>
/// Choices where PS3.18 leaves room, or where a stored value cannot take the standard's form:
/// <list type="bullet">
/// <item>IS and DS values are JSON numbers whose token is the stored text made valid JSON without touching its digits
/// ("+1.5" → 1.5, ".5" → 0.5, "007" → 7, "1.50" stays 1.50, "1e3" stays 1e3); values that are not numbers of their
/// VR's grammar are written as JSON strings, which F.2.3 allows for IS and DS.</item>
/// <item>SV and UV values beyond ±2^53 (not exact in an IEEE double, what most JSON parsers use) are JSON strings, as
/// F.2.3 allows; smaller ones are numbers.</item>
/// <item>FL and FD NaN and infinities, which JSON numbers cannot express, are the strings "NaN", "Infinity" and
/// "-Infinity"; the reader accepts them back.</item>
/// <item>Empty values within a multi-valued element are null (F.2.5); a zero-length element has only "vr". A Person
/// Name value with no non-empty component group is null; empty groups are left out of the PN object.</item>
/// <item>Encapsulated pixel data is its whole value field (offset table, fragment items, delimiter) as InlineBinary or
/// behind one BulkDataURI.</item>
/// <item>Group length elements (gggg,0000) are not written (F.2.2).</item>
/// </list>
/// </remarks>
internal sealed class DicomJsonWriter
{
    private static readonly JsonEncodedText VrName = JsonEncodedText.Encode("vr");
    private static readonly JsonEncodedText ValueName = JsonEncodedText.Encode("Value");
    private static readonly JsonEncodedText InlineBinaryName = JsonEncodedText.Encode("InlineBinary");
    private static readonly JsonEncodedText BulkDataUriName = JsonEncodedText.Encode("BulkDataURI");
    private static readonly JsonEncodedText AlphabeticName = JsonEncodedText.Encode("Alphabetic");
    private static readonly JsonEncodedText IdeographicName = JsonEncodedText.Encode("Ideographic");
    private static readonly JsonEncodedText PhoneticName = JsonEncodedText.Encode("Phonetic");
    private static readonly JsonEncodedText NaNText = JsonEncodedText.Encode("NaN");
    private static readonly JsonEncodedText InfinityText = JsonEncodedText.Encode("Infinity");
    private static readonly JsonEncodedText NegativeInfinityText = JsonEncodedText.Encode("-Infinity");
    private static readonly JsonEncodedText[] VrCodes = CreateVrCodes();

    /// <summary>2^53: integers up to this magnitude are exact in a double.</summary>
    private const long MaxExactInteger = 1L << 53;

    private readonly Utf8JsonWriter _writer;
    private readonly DicomJsonOptions _options;
    private readonly List<DicomItemStep> _path = [];

    public DicomJsonWriter(Utf8JsonWriter writer, DicomJsonOptions options)
    {
        _writer = writer;
        _options = options;
    }

    /// <summary>Writes one data set as a JSON object.</summary>
    public void WriteDataset(DicomDataset dataset)
    {
        _writer.WriteStartObject();
        foreach (var element in dataset) WriteElement(dataset, element, preloaded: null);
        _writer.WriteEndObject();
    }

    /// <summary>
    /// Writes one attribute (name and object) of <paramref name="dataset"/>. <paramref name="preloaded"/> carries the
    /// bytes of a lazy value the caller already read asynchronously.
    /// </summary>
    public void WriteElement(DicomDataset dataset, DicomElement element, ReadOnlyMemory<byte>? preloaded)
    {
        if (element.Tag.IsGroupLength) return;
        Span<byte> name = stackalloc byte[8];
        element.Tag.Value.TryFormat(name, out _, "X8", CultureInfo.InvariantCulture);
        _writer.WritePropertyName(name);
        _writer.WriteStartObject();
        var vr = element.VR == DicomVR.None ? DicomVR.UN : element.VR;
        _writer.WriteString(VrName, VrCodes[(int)vr]);
        switch (element)
        {
            case DicomSequence s:
                WriteSequence(s);
                break;
            case DicomFragmentSequence f:
                WriteFragments(f);
                break;
            case DicomValueElement v:
                WriteValue(dataset, v, vr, preloaded);
                break;
        }
        _writer.WriteEndObject();
    }

    /// <summary>
    /// True when a lazy value will certainly be read to be written inline (the URI factory will not be asked), so an
    /// asynchronous caller can load it first. Values the factory declines are loaded synchronously when written.
    /// </summary>
    public bool WillLoad(DicomElement element) =>
        element is DicomValueElement { Buffer: { IsLazy: true, Length: > 0 } } v
        && (_options.BulkDataUriFactory is null || v.Buffer.Length <= _options.BulkDataThreshold || !MayBeBulkDataUri(v.VR));

    private void WriteSequence(DicomSequence s)
    {
        if (s.Items.Count == 0) return;
        // Writing recurses per level: refuse what the binary reader could never have produced (a data set built deeper).
        if (_path.Count >= DicomReadOptions.MaxSupportedDepth)
            throw new DicomException($"DICOM JSON: {s.Tag} is nested deeper than {DicomReadOptions.MaxSupportedDepth} sequence levels");
        _writer.WriteStartArray(ValueName);
        for (var i = 0; i < s.Items.Count; i++)
        {
            _path.Add(new DicomItemStep(s.Tag, i));
            WriteDataset(s.Items[i]);
            _path.RemoveAt(_path.Count - 1);
        }
        _writer.WriteEndArray();
    }

    private void WriteFragments(DicomFragmentSequence f)
    {
        var length = DicomBulkData.EncapsulatedLength(f);
        if (BulkUri(f, DicomVR.OB, length) is { } uri)
        {
            _writer.WriteString(BulkDataUriName, uri);
            return;
        }
        _writer.WriteBase64String(InlineBinaryName, DicomBulkData.EncodeEncapsulated(f));
    }

    private string? BulkUri(DicomElement element, DicomVR vr, long length)
    {
        var factory = _options.BulkDataUriFactory;
        if (factory is null || length <= _options.BulkDataThreshold) return null;
        var lazy = element is DicomValueElement { Buffer.IsLazy: true };
        if (!IsInlineBinaryVR(vr) && !(lazy && MayBeBulkDataUri(vr))) return null;
        return factory(new DicomBulkDataReference(element, [.. _path], length));
    }

    private void WriteValue(DicomDataset dataset, DicomValueElement v, DicomVR vr, ReadOnlyMemory<byte>? preloaded)
    {
        var length = v.Buffer.Length;
        if (length == 0) return;
        if (BulkUri(v, vr, length) is { } uri)
        {
            _writer.WriteString(BulkDataUriName, uri);
            return;
        }
        var bytes = preloaded ?? v.Buffer.GetMemory();
        if (IsInlineBinaryVR(vr))
        {
            _writer.WriteBase64String(InlineBinaryName, bytes.Span);
            return;
        }
        if (vr.IsText())
        {
            WriteText(dataset.TextEncoding.Decode(bytes.Span, vr), vr);
            return;
        }
        var span = bytes.Span;
        var unit = vr == DicomVR.AT ? 4 : vr.UnitSize();
        var count = span.Length / unit;
        if (count == 0) return;
        _writer.WriteStartArray(ValueName);
        for (var i = 0; i < count; i++)
        {
            var at = span.Slice(i * unit, unit);
            switch (vr)
            {
                case DicomVR.US: _writer.WriteNumberValue(BinaryPrimitives.ReadUInt16LittleEndian(at)); break;
                case DicomVR.SS: _writer.WriteNumberValue(BinaryPrimitives.ReadInt16LittleEndian(at)); break;
                case DicomVR.UL: _writer.WriteNumberValue(BinaryPrimitives.ReadUInt32LittleEndian(at)); break;
                case DicomVR.SL: _writer.WriteNumberValue(BinaryPrimitives.ReadInt32LittleEndian(at)); break;
                case DicomVR.FL: WriteFloat(BinaryPrimitives.ReadSingleLittleEndian(at)); break;
                case DicomVR.FD: WriteDouble(BinaryPrimitives.ReadDoubleLittleEndian(at)); break;
                case DicomVR.SV: WriteSigned64(BinaryPrimitives.ReadInt64LittleEndian(at)); break;
                case DicomVR.UV: WriteUnsigned64(BinaryPrimitives.ReadUInt64LittleEndian(at)); break;
                case DicomVR.AT: WriteTagValue(at); break;
                default: throw new DicomException($"{v.Tag}: VR {vr.Code()} has no DICOM JSON form");
            }
        }
        _writer.WriteEndArray();
    }

    private void WriteText(string text, DicomVR vr)
    {
        if (!DicomModelText.HasValues(text, vr)) return;
        _writer.WriteStartArray(ValueName);
        foreach (var value in DicomModelText.Values(text, vr))
        {
            if (value.IsEmpty) _writer.WriteNullValue();
            else if (vr == DicomVR.PN) WritePersonName(value);
            else if (vr is DicomVR.IS or DicomVR.DS) WriteNumberString(value, vr == DicomVR.IS);
            else _writer.WriteStringValue(value);
        }
        _writer.WriteEndArray();
    }

    private void WritePersonName(ReadOnlySpan<char> value)
    {
        DicomModelText.SplitGroups(value, out var alphabetic, out var ideographic, out var phonetic);
        if (alphabetic.IsEmpty && ideographic.IsEmpty && phonetic.IsEmpty)
        {
            _writer.WriteNullValue();
            return;
        }
        _writer.WriteStartObject();
        if (!alphabetic.IsEmpty) _writer.WriteString(AlphabeticName, alphabetic);
        if (!ideographic.IsEmpty) _writer.WriteString(IdeographicName, ideographic);
        if (!phonetic.IsEmpty) _writer.WriteString(PhoneticName, phonetic);
        _writer.WriteEndObject();
    }

    private void WriteNumberString(ReadOnlySpan<char> value, bool integerOnly)
    {
        // Normalisation adds at most one character ("0" before a leading point).
        Span<char> buffer = value.Length < 128 ? stackalloc char[value.Length + 1] : new char[value.Length + 1];
        if (DicomModelText.TryFormatJsonNumber(value, integerOnly, buffer, out var written))
            _writer.WriteRawValue(buffer[..written], skipInputValidation: true);
        else
            _writer.WriteStringValue(value);
    }

    private void WriteFloat(float value)
    {
        if (float.IsFinite(value)) _writer.WriteNumberValue(value);
        else _writer.WriteStringValue(float.IsNaN(value) ? NaNText : value > 0 ? InfinityText : NegativeInfinityText);
    }

    private void WriteDouble(double value)
    {
        if (double.IsFinite(value)) _writer.WriteNumberValue(value);
        else _writer.WriteStringValue(double.IsNaN(value) ? NaNText : value > 0 ? InfinityText : NegativeInfinityText);
    }

    private void WriteSigned64(long value)
    {
        if (value >= -MaxExactInteger && value <= MaxExactInteger)
        {
            _writer.WriteNumberValue(value);
            return;
        }
        Span<char> text = stackalloc char[20];
        value.TryFormat(text, out var n, default, CultureInfo.InvariantCulture);
        _writer.WriteStringValue(text[..n]);
    }

    private void WriteUnsigned64(ulong value)
    {
        if (value <= MaxExactInteger)
        {
            _writer.WriteNumberValue(value);
            return;
        }
        Span<char> text = stackalloc char[20];
        value.TryFormat(text, out var n, default, CultureInfo.InvariantCulture);
        _writer.WriteStringValue(text[..n]);
    }

    private void WriteTagValue(ReadOnlySpan<byte> at)
    {
        var tag = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(at), BinaryPrimitives.ReadUInt16LittleEndian(at[2..]));
        Span<byte> text = stackalloc byte[8];
        tag.Value.TryFormat(text, out _, "X8", CultureInfo.InvariantCulture);
        _writer.WriteStringValue(text);
    }

    /// <summary>VRs whose value F.2.2 writes as InlineBinary: OB OD OF OL OV OW UN.</summary>
    internal static bool IsInlineBinaryVR(DicomVR vr) =>
        vr is DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV or DicomVR.OW or DicomVR.UN;

    /// <summary>VRs F.2.2 allows a BulkDataURI for (besides the InlineBinary ones).</summary>
    internal static bool MayBeBulkDataUri(DicomVR vr) =>
        IsInlineBinaryVR(vr) || vr is DicomVR.DS or DicomVR.FL or DicomVR.FD or DicomVR.IS or DicomVR.LT or DicomVR.SL or DicomVR.SS
            or DicomVR.ST or DicomVR.SV or DicomVR.UC or DicomVR.UL or DicomVR.US or DicomVR.UT or DicomVR.UV;

    private static JsonEncodedText[] CreateVrCodes()
    {
        var values = Enum.GetValues<DicomVR>();
        var codes = new JsonEncodedText[values.Max(v => (int)v) + 1];
        foreach (var vr in values) codes[(int)vr] = JsonEncodedText.Encode(vr == DicomVR.None ? "UN" : vr.Code());
        return codes;
    }
}
