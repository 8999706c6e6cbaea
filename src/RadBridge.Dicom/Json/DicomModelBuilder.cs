using System.Buffers.Binary;
using System.Globalization;

namespace RadBridge.Dicom;

/// <summary>
/// Adds values read from DICOM JSON or XML to a data set: text is encoded with the data set's Specific Character Set,
/// which is widened to UTF-8 (ISO_IR 192) when the text needs it; binary values become elements, or encapsulated
/// pixel data when they are laid out as such.
/// </summary>
internal static class DicomModelBuilder
{
    private static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);
    private static readonly string[] Utf8Terms = ["ISO_IR 192"];

    /// <summary>
    /// Sets a text element from its values (null for an empty value). Specific Character Set itself re-encodes text the
    /// data set already holds, so the order attributes arrive in does not matter.
    /// </summary>
    public static void AddText(DicomDataset dataset, DicomTag tag, DicomVR vr, IReadOnlyList<string?> values)
    {
        if (tag == SpecificCharacterSet)
        {
            SetCharacterSet(dataset, values);
            return;
        }
        if (values.Count == 0)
        {
            dataset.AddOrUpdate(new DicomValueElement(tag, vr, DicomBuffer.Empty));
            return;
        }
        var joined = values.Count == 1 ? values[0] ?? "" : string.Join('\\', values);
        if (vr.UsesSpecificCharacterSet() && !DicomModelText.IsAscii(joined)) EnsureEncodable(dataset, joined, vr);
        dataset.AddOrUpdate(tag, vr, joined);
    }

    /// <summary>Sets a binary value, or encapsulated pixel data when the bytes are its item structure.</summary>
    public static void AddBinary(DicomDataset dataset, DicomTag tag, DicomVR vr, DicomBuffer buffer)
    {
        if (DicomBulkData.TrySplitEncapsulated(tag, vr, buffer) is { } fragments) dataset.AddOrUpdate(fragments);
        else dataset.AddOrUpdate(new DicomValueElement(tag, vr, buffer));
    }

    /// <summary>
    /// Encodes one value of a binary numeric VR (or AT, as "GGGGEEEE") from its text into <paramref name="into"/>
    /// (VR unit size bytes, little endian). Integers may be written as "1.0" or "1e3"; FL and FD accept "NaN",
    /// "Infinity" and "-Infinity". False when the text is not a value of the VR (out of range included).
    /// </summary>
    public static bool TryEncodeNumber(string text, DicomVR vr, Span<byte> into)
    {
        var inv = CultureInfo.InvariantCulture;
        text = text.Trim();
        switch (vr)
        {
            case DicomVR.AT:
                if (text.Length != 8 || !uint.TryParse(text, NumberStyles.AllowHexSpecifier, inv, out var tag)) return false;
                BinaryPrimitives.WriteUInt16LittleEndian(into, (ushort)(tag >> 16));
                BinaryPrimitives.WriteUInt16LittleEndian(into[2..], (ushort)tag);
                return true;
            case DicomVR.FL:
                if (!float.TryParse(text, NumberStyles.Float, inv, out var f)) return false;
                BinaryPrimitives.WriteSingleLittleEndian(into, f);
                return true;
            case DicomVR.FD:
                if (!double.TryParse(text, NumberStyles.Float, inv, out var d)) return false;
                BinaryPrimitives.WriteDoubleLittleEndian(into, d);
                return true;
        }
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, inv, out var n) && !TryIntegral(text, out n))
        {
            if (vr == DicomVR.UV && ulong.TryParse(text, NumberStyles.None, inv, out var big))
            {
                BinaryPrimitives.WriteUInt64LittleEndian(into, big);
                return true;
            }
            return false;
        }
        switch (vr)
        {
            case DicomVR.US when n is >= ushort.MinValue and <= ushort.MaxValue: BinaryPrimitives.WriteUInt16LittleEndian(into, (ushort)n); return true;
            case DicomVR.SS when n is >= short.MinValue and <= short.MaxValue: BinaryPrimitives.WriteInt16LittleEndian(into, (short)n); return true;
            case DicomVR.UL when n is >= uint.MinValue and <= uint.MaxValue: BinaryPrimitives.WriteUInt32LittleEndian(into, (uint)n); return true;
            case DicomVR.SL when n is >= int.MinValue and <= int.MaxValue: BinaryPrimitives.WriteInt32LittleEndian(into, (int)n); return true;
            case DicomVR.SV: BinaryPrimitives.WriteInt64LittleEndian(into, n); return true;
            case DicomVR.UV when n >= 0: BinaryPrimitives.WriteUInt64LittleEndian(into, (ulong)n); return true;
            default: return false;
        }
    }

    private static bool TryIntegral(string text, out long value)
    {
        value = 0;
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var m) || decimal.Truncate(m) != m) return false;
        if (m < long.MinValue || m > long.MaxValue) return false;
        value = (long)m;
        return true;
    }

    /// <summary>
    /// Makes sure <paramref name="text"/> can be encoded in the character set that applies to <paramref name="dataset"/>:
    /// when none is declared, or the declared one cannot hold it, the data set that declares it (or the top-level one)
    /// switches to ISO_IR 192 and its text is re-encoded.
    /// </summary>
    private static void EnsureEncodable(DicomDataset dataset, string text, DicomVR vr)
    {
        var holder = dataset;
        while (holder is not null && !holder.Contains(SpecificCharacterSet)) holder = holder.Parent;
        if (holder is not null && holder.SpecificCharacterSet.Count > 0 && dataset.TextEncoding.CanEncode(text, vr)) return;
        if (holder is null)
        {
            holder = dataset;
            while (holder.Parent is not null) holder = holder.Parent;
        }
        holder.ChangeSpecificCharacterSet(Utf8Terms);
    }

    private static void SetCharacterSet(DicomDataset dataset, IReadOnlyList<string?> values)
    {
        var terms = new string[values.Count];
        for (var i = 0; i < terms.Length; i++) terms[i] = values[i] ?? "";
        if (!HoldsText(dataset))
        {
            dataset.AddOrUpdate(SpecificCharacterSet, DicomVR.CS, terms);
            return;
        }
        // Text arrived before the character set (JSON from a producer that does not sort): re-encode it.
        try
        {
            dataset.ChangeSpecificCharacterSet(terms);
        }
        catch (DicomException)
        {
            dataset.ChangeSpecificCharacterSet(Utf8Terms);
            return;
        }
        if (terms.Length == 0) dataset.AddOrUpdate(new DicomValueElement(SpecificCharacterSet, DicomVR.CS, DicomBuffer.Empty));
    }

    private static bool HoldsText(DicomDataset dataset)
    {
        foreach (var e in dataset)
        {
            if (e is DicomSequence || (e is DicomValueElement v && v.VR.UsesSpecificCharacterSet() && v.Length > 0)) return true;
        }
        return false;
    }
}
