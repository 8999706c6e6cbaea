using System.Globalization;

namespace RadBridge.Dicom;

/// <summary>A DICOM attribute tag: group and element, ordered as the standard orders data elements.</summary>
public readonly record struct DicomTag(ushort Group, ushort Element) : IComparable<DicomTag>
{
    /// <summary>Creates a tag from its 32-bit value (group in the high 16 bits).</summary>
    public DicomTag(uint value) : this((ushort)(value >> 16), (ushort)value) { }

    /// <summary>The tag as a 32-bit number, group in the high half: the sort key of a data set.</summary>
    public uint Value => ((uint)Group << 16) | Element;

    /// <summary>Odd group numbers (other than 0001, 0003, 0005, 0007 and FFFF) hold private attributes.</summary>
    public bool IsPrivate => (Group & 1) == 1 && Group > 0x0007 && Group != 0xFFFF;

    /// <summary>A private creator element: (gggg,0010)–(gggg,00FF) in an odd group.</summary>
    public bool IsPrivateCreator => IsPrivate && Element >= 0x0010 && Element <= 0x00FF;

    /// <summary>For a private data element (gggg,xxyy) the creator element that reserves its block: (gggg,00xx).</summary>
    public DicomTag PrivateCreatorTag => new(Group, (ushort)(Element >> 8));

    /// <summary>Group length elements (gggg,0000), which writers drop.</summary>
    public bool IsGroupLength => Element == 0x0000;

    /// <summary>File Meta Information group (0002).</summary>
    public bool IsFileMeta => Group == 0x0002;

    public int CompareTo(DicomTag other) => Value.CompareTo(other.Value);

    public static bool operator <(DicomTag a, DicomTag b) => a.Value < b.Value;
    public static bool operator >(DicomTag a, DicomTag b) => a.Value > b.Value;
    public static bool operator <=(DicomTag a, DicomTag b) => a.Value <= b.Value;
    public static bool operator >=(DicomTag a, DicomTag b) => a.Value >= b.Value;

    /// <summary>"(GGGG,EEEE)" in upper-case hex, as dcmdump prints it.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"({Group:X4},{Element:X4})");

    /// <summary>Eight upper-case hex digits, the DICOM JSON key form.</summary>
    public string ToHexString() => Value.ToString("X8", CultureInfo.InvariantCulture);

    /// <summary>Parses "(0010,0010)", "0010,0010", "00100010" or a dictionary keyword such as "PatientName".</summary>
    public static DicomTag Parse(string text)
    {
        if (TryParse(text, out var tag)) return tag;
        throw new FormatException($"'{text}' is not a DICOM tag or a known keyword");
    }

    /// <summary>See <see cref="Parse"/>.</summary>
    public static bool TryParse(string? text, out DicomTag tag)
    {
        tag = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s.StartsWith('(') && s.EndsWith(')')) s = s[1..^1];
        var hex = s.Replace(",", "", StringComparison.Ordinal);
        if (hex.Length == 8 && uint.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var v))
        {
            tag = new DicomTag(v);
            return true;
        }
        var entry = DicomDictionary.Default.Find(s);
        if (entry is null) return false;
        tag = entry.Tag;
        return true;
    }

    /// <summary>Item (FFFE,E000).</summary>
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);
    /// <summary>Item Delimitation Item (FFFE,E00D).</summary>
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);
    /// <summary>Sequence Delimitation Item (FFFE,E0DD).</summary>
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);
}
