using System.Globalization;

namespace RadBridge.DictionaryGenerator;

/// <summary>One entry of dicom.dic or private.dic, tags already turned into a base tag and a mask.</summary>
/// <param name="Tag">Base tag: the first tag of a range; for private entries (gggg,00ee), or (gggg,eeee) for a fixed element.</param>
/// <param name="Mask">Bits of a tag that must equal those of <paramref name="Tag"/>.</param>
/// <param name="Vr">The VR as DCMTK spells it, pseudo VRs (xs, ox, lt, up, na, px) included.</param>
/// <param name="Name">DCMTK's name field: the keyword, "RETIRED_" prefixed for retired attributes.</param>
/// <param name="VM">Value multiplicity.</param>
/// <param name="Version">DCMTK's version field (DICOM, DICOM/retired, DICOM/DICONDE, PrivateTag…).</param>
/// <param name="Creator">Private creator for private.dic entries, null for dicom.dic.</param>
/// <param name="Line">Line number in the source file, for messages.</param>
public sealed record DcmtkEntry(uint Tag, uint Mask, string Vr, string Name, string VM, string Version, string? Creator, int Line);

/// <summary>
/// Reads DCMTK's data dictionary format (dcmdata/data/dicom.dic and private.dic): tab-separated lines
/// "(gggg,eeee) VR Name VM [Version]", '#' comments; ranges (gggg-gggg,eeee) cover even numbers only,
/// (gggg-o-gggg,…) odd ones and (gggg-u-gggg,…) both; private tags are written (gggg,"CREATOR",ee) or (gggg,"CREATOR",eeee).
/// </summary>
public static class DcmtkDictionaryReader
{
    private enum Restriction { Single, Even, Odd, Unrestricted }

    /// <summary>
    /// Versions of dicom.dic's catch-all rules (any group length is UL, any private creator LO, groups 1-7 are
    /// illegal). They are not attributes of PS3.6; <c>DicomDictionary.GetImplicitVR</c> applies the same rules in code.
    /// </summary>
    public static readonly IReadOnlySet<string> RuleVersions = new HashSet<string>(StringComparer.Ordinal) { "PRIVATE", "ILLEGAL", "GENERIC" };

    /// <summary>
    /// Parses the text of a DCMTK dictionary, leaving out the catch-all rules of <see cref="RuleVersions"/>.
    /// Entries are returned in file order (DCMTK lets a later entry override an earlier one for the same tag).
    /// </summary>
    public static IReadOnlyList<DcmtkEntry> Parse(string text, string fileName, out int skippedRules)
    {
        skippedRules = 0;
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<DcmtkEntry>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#' || string.IsNullOrWhiteSpace(line)) continue;
            var fields = line.Split('\t', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (fields.Length is < 4 or > 5)
                throw Error(fileName, lineNumber, $"expected 4 or 5 tab-separated fields, found {fields.Length}");
            if (fields.Length == 5 && RuleVersions.Contains(fields[4]))
            {
                skippedRules++;
                continue;
            }
            var (tag, mask, creator) = ParseTag(fields[0], fileName, lineNumber);
            entries.Add(new DcmtkEntry(tag, mask, fields[1], fields[2], fields[3], fields.Length == 5 ? fields[4] : "", creator, lineNumber));
        }
        return entries;
    }

    private static (uint Tag, uint Mask, string? Creator) ParseTag(string field, string fileName, int line)
    {
        if (field.Length < 2 || field[0] != '(' || field[^1] != ')') throw Error(fileName, line, $"malformed tag {field}");
        var inner = field[1..^1];
        var firstQuote = inner.IndexOf('"', StringComparison.Ordinal);
        if (firstQuote >= 0)
        {
            // Private: (gggg,"CREATOR",ee) is an element of whichever block (gggg,00bb) the creator reserved, so it is
            // keyed by the low byte (element 00ee, mask FFFF00FF). (gggg,"CREATOR",eeee) is one fixed element (mask
            // FFFFFFFF): vendors such as Philips reserve several blocks under one creator and define each differently.
            var lastQuote = inner.LastIndexOf('"');
            if (lastQuote <= firstQuote || inner[firstQuote - 1] != ',' || inner[lastQuote + 1] != ',')
                throw Error(fileName, line, $"malformed private tag {field}");
            var creator = inner[(firstQuote + 1)..lastQuote];
            var (group, groupMask) = ParseRange(inner[..(firstQuote - 1)], fileName, line);
            var elementText = inner[(lastQuote + 2)..];
            if (elementText.Length is not (2 or 4) || !ushort.TryParse(elementText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var element))
                throw Error(fileName, line, $"unsupported private element {elementText} in {field}");
            if (elementText.Length == 4 && element < 0x1000) throw Error(fileName, line, $"fixed private element below 1000 in {field}");
            if ((group & 1) == 0) throw Error(fileName, line, $"private tag in an even group: {field}");
            return elementText.Length == 2
                ? (((uint)group << 16) | element, ((uint)groupMask << 16) | 0x00FF, creator)
                : (((uint)group << 16) | element, ((uint)groupMask << 16) | 0xFFFF, creator);
        }
        var comma = inner.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0) throw Error(fileName, line, $"malformed tag {field}");
        var (g, gm) = ParseRange(inner[..comma], fileName, line);
        var (e, em) = ParseRange(inner[(comma + 1)..], fileName, line);
        return (((uint)g << 16) | e, ((uint)gm << 16) | em, null);
    }

    /// <summary>
    /// "gggg", "gggg-gggg" (even numbers), "gggg-o-gggg" (odd) or "gggg-u-gggg" (all) as a base value and a mask.
    /// The even/odd restriction becomes a free low bit: whether a standard range may match an odd (private) group
    /// is decided by the dictionary lookup, which never matches standard entries against private tags.
    /// </summary>
    private static (ushort Value, ushort Mask) ParseRange(string text, string fileName, int line)
    {
        var restriction = Restriction.Single;
        string loText = text, hiText = text;
        var parts = text.Split('-');
        switch (parts.Length)
        {
            case 1: break;
            case 2: (loText, hiText, restriction) = (parts[0], parts[1], Restriction.Even); break;
            case 3 when parts[1] is "o" or "u":
                (loText, hiText) = (parts[0], parts[2]);
                restriction = parts[1] == "o" ? Restriction.Odd : Restriction.Unrestricted;
                break;
            default: throw Error(fileName, line, $"malformed range {text}");
        }
        if (loText.Length != 4 || hiText.Length != 4
            || !ushort.TryParse(loText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var lo)
            || !ushort.TryParse(hiText, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hi))
            throw Error(fileName, line, $"malformed number in {text}");
        if (restriction == Restriction.Single) return (lo, 0xFFFF);
        var free = lo ^ hi;
        if (restriction != Restriction.Unrestricted) free |= 1;
        var contiguous = (free & (free + 1)) == 0;
        var expectedLowBits = restriction == Restriction.Odd ? 1 : 0;
        if (!contiguous || (hi & free) != free || (lo & free) != expectedLowBits)
            throw Error(fileName, line, $"range {text} cannot be expressed as a tag mask");
        return (lo, (ushort)~free);
    }

    private static FormatException Error(string fileName, int line, string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{fileName}:{line}: {message}"));
}
