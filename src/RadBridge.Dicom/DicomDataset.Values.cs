using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;

namespace RadBridge.Dicom;

// Typed access to values: text decoded with the data set's character set, numbers from binary or IS/DS text.
public sealed partial class DicomDataset
{
    /// <summary>The character set for text values of this data set: its own (0008,0005), else its parent's, else the default repertoire.</summary>
    public DicomTextEncoding TextEncoding
    {
        get
        {
            if (!_encodingResolved)
            {
                _ownEncoding = TryGetElement(SpecificCharacterSetTag, out var e) && e is DicomValueElement v
                    ? DicomTextEncoding.FromSpecificCharacterSet(SplitAndTrim(DicomTextEncoding.Default.Decode(v.Buffer.GetMemory().Span, DicomVR.CS), DicomVR.CS))
                    : null;
                _encodingResolved = true;
            }
            return _ownEncoding ?? Parent?.TextEncoding ?? DicomTextEncoding.Default;
        }
    }

    private void InvalidateEncoding() => _encodingResolved = false;

    /// <summary>
    /// The whole value of a text element decoded to Unicode (multiple values still joined by backslash), with padding
    /// removed; for binary elements the values formatted and joined by backslash. Null when absent.
    /// </summary>
    public string? GetString(DicomTag tag)
    {
        if (!TryGetElement(tag, out var e)) return null;
        return e switch
        {
            DicomValueElement v when v.VR.IsText() || v.VR == DicomVR.UN && v.Length < 1024 && IsTextLike(v) =>
                DicomTextRules.TrimValue(TextEncoding.Decode(v.Buffer.GetMemory().Span, v.VR == DicomVR.UN ? DicomVR.LO : v.VR), v.VR == DicomVR.UN ? DicomVR.LO : v.VR),
            DicomValueElement v => string.Join('\\', FormatBinary(v)),
            _ => null,
        };
    }

    /// <summary>All values of an element as strings (text split on backslash and trimmed; binary numbers formatted invariantly).</summary>
    public string[] GetStrings(DicomTag tag)
    {
        if (!TryGetElement(tag, out var e) || e is not DicomValueElement v) return [];
        if (v.VR.IsText())
        {
            var text = TextEncoding.Decode(v.Buffer.GetMemory().Span, v.VR);
            return v.VR.IsMultiValuedText() ? SplitAndTrim(text, v.VR) : text.Length == 0 ? [] : [DicomTextRules.TrimValue(text, v.VR)];
        }
        return FormatBinary(v);
    }

    /// <summary>Value <paramref name="index"/> of an element converted to <typeparamref name="T"/> (number types, string, DicomTag).</summary>
    /// <exception cref="DicomException">Absent element, missing value or a value that does not convert.</exception>
    public T GetValue<T>(DicomTag tag, int index = 0)
    {
        if (TryGetValue<T>(tag, index, out var value)) return value;
        throw new DicomException(Contains(tag)
            ? $"{tag} has no value {index} convertible to {typeof(T).Name}"
            : $"{tag} is not in the data set");
    }

    /// <summary>Like <see cref="GetValue{T}"/> but returns <paramref name="defaultValue"/> when absent or not convertible.</summary>
    public T GetValueOrDefault<T>(DicomTag tag, int index, T defaultValue) =>
        TryGetValue<T>(tag, index, out var v) ? v : defaultValue;

    /// <summary>Tries to read value <paramref name="index"/> as <typeparamref name="T"/>.</summary>
    public bool TryGetValue<T>(DicomTag tag, int index, out T value)
    {
        value = default!;
        if (index < 0 || !TryGetElement(tag, out var e) || e is not DicomValueElement v) return false;
        if (typeof(T) == typeof(string))
        {
            var all = GetStrings(tag);
            if (index >= all.Length) return false;
            value = (T)(object)all[index];
            return true;
        }
        if (typeof(T) == typeof(DicomTag))
        {
            if (v.VR != DicomVR.AT) return false;
            var span = v.Buffer.GetMemory().Span;
            if ((index + 1) * 4 > span.Length) return false;
            value = (T)(object)new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[(index * 4)..]), BinaryPrimitives.ReadUInt16LittleEndian(span[(index * 4 + 2)..]));
            return true;
        }
        if (v.VR.IsText())
        {
            var strings = GetStrings(tag);
            if (index >= strings.Length) return false;
            return TryParseTyped(strings[index], out value) || TryParseNumber(strings[index], out value);
        }
        return TryReadBinary(v, index, out value);
    }

    /// <summary>All values converted to <typeparamref name="T"/>; empty when absent.</summary>
    public T[] GetValues<T>(DicomTag tag)
    {
        if (!TryGetElement(tag, out var e) || e is not DicomValueElement v) return [];
        var count = v.VR.IsText() || typeof(T) == typeof(string) ? GetStrings(tag).Length : (int)(v.Length / Math.Max(1, v.VR == DicomVR.AT ? 4 : v.VR.UnitSize()));
        var result = new T[count];
        for (var i = 0; i < count; i++) result[i] = GetValue<T>(tag, i);
        return result;
    }

    /// <summary>Sets a text element (VR from the dictionary); several values are joined by backslash.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params string[] values) =>
        AddOrUpdate(tag, DictionaryVR(tag), values);

    /// <summary>
    /// Sets an element from strings: text VRs are encoded with the data set's character set (switching it to one that
    /// can hold the text when needed, re-encoding existing text); numeric VRs are parsed invariantly.
    /// </summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (vr == DicomVR.SQ) throw new DicomException($"{tag}: use a DicomSequence for SQ");
        if (vr.IsText())
        {
            var joined = string.Join('\\', values);
            if (vr.UsesSpecificCharacterSet()) EnsureCharacterSetFor(joined);
            var bytes = (tag == SpecificCharacterSetTag ? DicomTextEncoding.Default : TextEncoding).Encode(joined, vr);
            return AddOrUpdate(new DicomValueElement(tag, vr, DicomBuffer.FromMemory(bytes)));
        }
        if (vr == DicomVR.AT)
        {
            return AddOrUpdate(tag, values.Select(DicomTag.Parse).ToArray());
        }
        return vr switch
        {
            DicomVR.US or DicomVR.OW => AddOrUpdate(tag, vr, values.Select(s => ushort.Parse(s, CultureInfo.InvariantCulture)).ToArray()),
            DicomVR.SS => AddOrUpdate(tag, vr, values.Select(s => short.Parse(s, CultureInfo.InvariantCulture)).ToArray()),
            DicomVR.UL or DicomVR.OL => AddOrUpdate(tag, vr, values.Select(s => uint.Parse(s, CultureInfo.InvariantCulture)).ToArray()),
            DicomVR.SL => AddOrUpdate(tag, vr, values.Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray()),
            DicomVR.FL or DicomVR.OF => AddOrUpdate(tag, vr, values.Select(s => float.Parse(s, CultureInfo.InvariantCulture)).ToArray()),
            DicomVR.FD or DicomVR.OD => AddOrUpdate(tag, vr, values.Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray()),
            DicomVR.SV => AddOrUpdate(tag, vr, values.Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray()),
            DicomVR.UV or DicomVR.OV => AddOrUpdate(tag, vr, values.Select(s => ulong.Parse(s, CultureInfo.InvariantCulture)).ToArray()),
            _ => throw new DicomException($"{tag}: cannot set a {vr.Code()} value from text"),
        };
    }

    /// <summary>Sets a binary numeric element (US, SS, UL, SL, FL, FD, SV, UV, OB, OW, OL, OF, OD, OV).</summary>
    public DicomDataset AddOrUpdate<T>(DicomTag tag, DicomVR vr, params T[] values) where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("big-endian hosts are not supported");
        return AddOrUpdate(new DicomValueElement(tag, vr, DicomBuffer.FromMemory(bytes)));
    }

    /// <summary>Sets an AT element.</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, params DicomTag[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4), values[i].Group);
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(i * 4 + 2), values[i].Element);
        }
        return AddOrUpdate(new DicomValueElement(tag, DicomVR.AT, DicomBuffer.FromMemory(bytes)));
    }

    /// <summary>Sets raw value bytes (little endian for binary VRs; text already in the data set's character set).</summary>
    public DicomDataset AddOrUpdate(DicomTag tag, DicomVR vr, ReadOnlyMemory<byte> bytes) =>
        AddOrUpdate(new DicomValueElement(tag, vr, DicomBuffer.FromMemory(bytes)));

    /// <summary>The Specific Character Set values of this data set (its own element only).</summary>
    public IReadOnlyList<string> SpecificCharacterSet => GetStrings(SpecificCharacterSetTag);

    /// <summary>
    /// Changes the Specific Character Set, re-encoding every text value of this data set and of items that inherit it.
    /// Throws a <see cref="DicomException"/> when a value cannot be represented.
    /// </summary>
    public void ChangeSpecificCharacterSet(IReadOnlyList<string> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var decoded = new List<(DicomDataset Owner, DicomTag Tag, DicomVR VR, string Text)>();
        CollectText(this, decoded, isRoot: true);
        if (terms.Count == 0) Remove(SpecificCharacterSetTag);
        else AddOrUpdate(new DicomValueElement(SpecificCharacterSetTag, DicomVR.CS, DicomBuffer.FromMemory(DicomTextEncoding.Default.Encode(string.Join('\\', terms), DicomVR.CS))));
        foreach (var (owner, tag, vr, text) in decoded)
        {
            owner._elements[owner.IndexOf(tag)] = new DicomValueElement(tag, vr, DicomBuffer.FromMemory(owner.TextEncoding.Encode(text, vr)));
        }
    }

    private static void CollectText(DicomDataset ds, List<(DicomDataset, DicomTag, DicomVR, string)> into, bool isRoot)
    {
        if (!isRoot && ds.Contains(SpecificCharacterSetTag)) return; // an item with its own character set keeps it
        foreach (var e in ds._elements)
        {
            if (e is DicomValueElement v && v.VR.UsesSpecificCharacterSet())
                into.Add((ds, v.Tag, v.VR, ds.TextEncoding.Decode(v.Buffer.GetMemory().Span, v.VR)));
            else if (e is DicomSequence s)
                foreach (var item in s.Items) CollectText(item, into, isRoot: false);
        }
    }

    private void EnsureCharacterSetFor(string text)
    {
        var current = TextEncoding;
        if (CanEncode(current, text)) return;
        var chosen = DicomTextEncoding.ChooseFor(text);
        // Widening to UTF-8 keeps every existing value representable.
        var terms = chosen.Count == 1 && chosen[0] == "ISO_IR 100" && !IsDefaultRepertoire(current) ? ["ISO_IR 192"] : chosen;
        var root = this;
        if (Parent is not null && !Contains(SpecificCharacterSetTag))
        {
            while (root.Parent is not null && !root.Contains(SpecificCharacterSetTag)) root = root.Parent;
        }
        root.ChangeSpecificCharacterSet(terms);
    }

    private static bool IsDefaultRepertoire(DicomTextEncoding e) => ReferenceEquals(e, DicomTextEncoding.Default);

    private static bool CanEncode(DicomTextEncoding encoding, string text)
    {
        var ascii = true;
        foreach (var c in text)
        {
            if (c >= 0x80) { ascii = false; break; }
        }
        if (ascii) return true;
        if (IsDefaultRepertoire(encoding)) return false;
        try
        {
            var bytes = encoding.Encode(text, DicomVR.LO);
            return encoding.Decode(bytes, DicomVR.LO) == text;
        }
        catch (DicomException)
        {
            return false;
        }
    }

    private DicomVR DictionaryVR(DicomTag tag)
    {
        var entry = DicomDictionary.Default.Find(tag, GetPrivateCreator(tag));
        if (entry is null) throw new DicomException($"{tag} is not in the dictionary: give its VR");
        return entry.VR;
    }

    private static bool IsTextLike(DicomValueElement v)
    {
        foreach (var b in v.Buffer.GetMemory().Span)
        {
            if (b < 0x20 && b != 0 && b != 0x0A && b != 0x0D && b != 0x09 && b != 0x1B) return false;
        }
        return true;
    }

    internal static string[] SplitAndTrim(string text, DicomVR vr) => DicomValueSplitter.Split(text, vr);

    /// <summary>The typed value classes of the text VRs, parsed leniently (real data is not always conformant).</summary>
    private static bool TryParseTyped<T>(string text, out T value)
    {
        value = default!;
        const DicomParseMode mode = DicomParseMode.Lenient;
        object? result = typeof(T) switch
        {
            var t when t == typeof(DicomDate) => DicomDate.TryParse(text, mode, out var x) ? x : null,
            var t when t == typeof(DicomTime) => DicomTime.TryParse(text, mode, out var x) ? x : null,
            var t when t == typeof(DicomDateTime) => DicomDateTime.TryParse(text, mode, out var x) ? x : null,
            var t when t == typeof(DicomAge) => DicomAge.TryParse(text, mode, out var x) ? x : null,
            var t when t == typeof(DicomDecimalString) => DicomDecimalString.TryParse(text, mode, out var x) ? x : null,
            var t when t == typeof(DicomIntegerString) => DicomIntegerString.TryParse(text, mode, out var x) ? x : null,
            var t when t == typeof(DicomPersonName) => DicomPersonName.TryParse(text, mode, out var x) ? x : null,
            var t when t == typeof(DicomUid) => DicomUid.TryParse(text, mode, out var x) ? x : null,
            var t when t == typeof(DateOnly) => DicomDate.TryParse(text, mode, out var x) ? x.ToDateOnly() : null,
            var t when t == typeof(TimeOnly) => DicomTime.TryParse(text, mode, out var x) ? x.ToTimeOnly() : null,
            _ => null,
        };
        if (result is null) return false;
        value = (T)result;
        return true;
    }

    private static bool TryParseNumber<T>(string text, out T value)
    {
        value = default!;
        var s = text.Trim();
        if (typeof(T) == typeof(double)) { var ok = double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d); value = (T)(object)d; return ok; }
        if (typeof(T) == typeof(float)) { var ok = float.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d); value = (T)(object)d; return ok; }
        if (typeof(T) == typeof(decimal)) { var ok = decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d); value = (T)(object)d; return ok; }
        if (typeof(T) == typeof(int)) { var ok = int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d); value = (T)(object)d; return ok; }
        if (typeof(T) == typeof(long)) { var ok = long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d); value = (T)(object)d; return ok; }
        if (typeof(T) == typeof(ushort)) { var ok = ushort.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d); value = (T)(object)d; return ok; }
        if (typeof(T) == typeof(uint)) { var ok = uint.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var d); value = (T)(object)d; return ok; }
        return false;
    }

    private static bool TryReadBinary<T>(DicomValueElement v, int index, out T value)
    {
        value = default!;
        var span = v.Buffer.GetMemory().Span;
        var unit = v.VR.UnitSize();
        if ((long)(index + 1) * unit > span.Length) return false;
        var at = span[(index * unit)..];
        switch (v.VR)
        {
            case DicomVR.US: case DicomVR.OW: return Convert(BinaryPrimitives.ReadUInt16LittleEndian(at), out value);
            case DicomVR.SS: return Convert(BinaryPrimitives.ReadInt16LittleEndian(at), out value);
            case DicomVR.UL: case DicomVR.OL: return Convert(BinaryPrimitives.ReadUInt32LittleEndian(at), out value);
            case DicomVR.SL: return Convert(BinaryPrimitives.ReadInt32LittleEndian(at), out value);
            case DicomVR.FL: case DicomVR.OF: return ConvertFloat(BinaryPrimitives.ReadSingleLittleEndian(at), out value);
            case DicomVR.FD: case DicomVR.OD: return ConvertFloat(BinaryPrimitives.ReadDoubleLittleEndian(at), out value);
            case DicomVR.SV: return Convert(BinaryPrimitives.ReadInt64LittleEndian(at), out value);
            case DicomVR.UV: case DicomVR.OV: return Convert(BinaryPrimitives.ReadUInt64LittleEndian(at), out value);
            case DicomVR.OB: case DicomVR.UN: return Convert(at[0], out value);
            default: return false;
        }
    }

    private static bool Convert<TFrom, T>(TFrom from, out T value) where TFrom : IBinaryInteger<TFrom>
    {
        value = default!;
        object? r = typeof(T) switch
        {
            var t when t == typeof(int) => int.CreateChecked(from),
            var t when t == typeof(long) => long.CreateChecked(from),
            var t when t == typeof(uint) => uint.CreateChecked(from),
            var t when t == typeof(ulong) => ulong.CreateChecked(from),
            var t when t == typeof(ushort) => ushort.CreateChecked(from),
            var t when t == typeof(short) => short.CreateChecked(from),
            var t when t == typeof(byte) => byte.CreateChecked(from),
            var t when t == typeof(double) => double.CreateChecked(from),
            var t when t == typeof(float) => float.CreateChecked(from),
            var t when t == typeof(decimal) => decimal.CreateChecked(from),
            _ => null,
        };
        if (r is null) return false;
        value = (T)r;
        return true;
    }

    private static bool ConvertFloat<TFrom, T>(TFrom from, out T value) where TFrom : IFloatingPoint<TFrom>
    {
        value = default!;
        object? r = typeof(T) switch
        {
            var t when t == typeof(double) => double.CreateChecked(from),
            var t when t == typeof(float) => float.CreateChecked(from),
            var t when t == typeof(decimal) && TFrom.IsFinite(from) => decimal.CreateChecked(from),
            _ => null,
        };
        if (r is null) return false;
        value = (T)r;
        return true;
    }

    private static string[] FormatBinary(DicomValueElement v)
    {
        var span = v.Buffer.IsLazy ? ReadOnlySpan<byte>.Empty : v.Buffer.GetMemory().Span;
        var inv = CultureInfo.InvariantCulture;
        switch (v.VR)
        {
            case DicomVR.AT:
                var tags = new string[span.Length / 4];
                for (var i = 0; i < tags.Length; i++)
                    tags[i] = new DicomTag(BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 4)..]), BinaryPrimitives.ReadUInt16LittleEndian(span[(i * 4 + 2)..])).ToHexString();
                return tags;
            case DicomVR.US: return Map(MemoryMarshal.Cast<byte, ushort>(span[..(span.Length & ~1)]), x => x.ToString(inv));
            case DicomVR.SS: return Map(MemoryMarshal.Cast<byte, short>(span[..(span.Length & ~1)]), x => x.ToString(inv));
            case DicomVR.UL: return Map(MemoryMarshal.Cast<byte, uint>(span[..(span.Length & ~3)]), x => x.ToString(inv));
            case DicomVR.SL: return Map(MemoryMarshal.Cast<byte, int>(span[..(span.Length & ~3)]), x => x.ToString(inv));
            case DicomVR.FL: return Map(MemoryMarshal.Cast<byte, float>(span[..(span.Length & ~3)]), x => x.ToString("R", inv));
            case DicomVR.FD: return Map(MemoryMarshal.Cast<byte, double>(span[..(span.Length & ~7)]), x => x.ToString("R", inv));
            case DicomVR.SV: return Map(MemoryMarshal.Cast<byte, long>(span[..(span.Length & ~7)]), x => x.ToString(inv));
            case DicomVR.UV: return Map(MemoryMarshal.Cast<byte, ulong>(span[..(span.Length & ~7)]), x => x.ToString(inv));
            default: return [];
        }
    }

    private static string[] Map<T>(ReadOnlySpan<T> values, Func<T, string> format)
    {
        var r = new string[values.Length];
        for (var i = 0; i < values.Length; i++) r[i] = format(values[i]);
        return r;
    }
}
