using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace RadBridge.DictionaryGenerator;

/// <summary>A generated source file: its name inside <see cref="DicomDictionaryGenerator.OutputDirectory"/> and its text.</summary>
public sealed record GeneratedFile(string FileName, string Text);

/// <summary>
/// Builds src/RadBridge.Dicom/Dictionary/*.g.cs from the sources of <see cref="DictionarySources"/>. Pure: the same
/// input files give the same output byte for byte (sorted, LF line ends, no dates), so a test can check that the
/// checked-in files are current.
/// </summary>
public static partial class DicomDictionaryGenerator
{
    /// <summary>Where the generated files live, relative to the repository root.</summary>
    public const string OutputDirectory = "src/RadBridge.Dicom/Dictionary";

    /// <summary>The generated file names, in the order <see cref="Generate"/> returns them.</summary>
    public static IReadOnlyList<string> FileNames { get; } = ["DicomDictionaryData.g.cs", "DicomTags.g.cs", "DicomUids.g.cs"];

    /// <summary>
    /// DCMTK's pseudo VRs and the VRs of PS3.6 they stand for, the one assumed for Implicit VR first:
    /// US before SS (PS3.5 §A.1: the Pixel Representation decides later), OW before OB (Pixel Data and overlays
    /// read with Implicit VR are OW, PS3.5 §A.1 and §8.1.2), OW first for LUT data ("US or SS or OW", read as words
    /// and interpreted with the LUT Descriptor), UL for the DICOMDIR offsets ("up"), none for items and delimiters ("na").
    /// </summary>
    private static readonly Dictionary<string, string[]> PseudoVRs = new(StringComparer.Ordinal)
    {
        ["xs"] = ["US", "SS"],
        ["ox"] = ["OW", "OB"],
        ["px"] = ["OW", "OB"],
        ["lt"] = ["OW", "US", "SS"],
        ["up"] = ["UL"],
        ["na"] = [],
    };

    /// <summary>The VRs of PS3.5 Table 6.2-1.</summary>
    private static readonly HashSet<string> RealVRs = new(StringComparer.Ordinal)
    {
        "AE", "AS", "AT", "CS", "DA", "DS", "DT", "FD", "FL", "IS", "LO", "LT", "OB", "OD", "OF", "OL", "OV", "OW",
        "PN", "SH", "SL", "SQ", "SS", "ST", "SV", "TM", "UC", "UI", "UL", "UN", "UR", "US", "UT", "UV",
    };

    /// <summary>
    /// The UID types of PS3.6 Annex A (column "UID Type"; capitalisation varies between tables) and the
    /// DicomUidType member each becomes. An unknown type stops the generator rather than being guessed.
    /// </summary>
    private static readonly Dictionary<string, string> UidTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Transfer Syntax"] = "TransferSyntax",
        ["SOP Class"] = "SopClass",
        ["Meta SOP Class"] = "MetaSopClass",
        ["Service Class"] = "ServiceClass",
        ["Well-known SOP Instance"] = "WellKnownSopInstance",
        ["Well-known Printer SOP Instance"] = "WellKnownPrinterSopInstance",
        ["Well-known Print Queue SOP Instance"] = "WellKnownPrintQueueSopInstance",
        ["Well-known frame of reference"] = "WellKnownFrameOfReference",
        ["Synchronization Frame of Reference"] = "SynchronizationFrameOfReference",
        ["Coding Scheme"] = "CodingScheme",
        ["DICOM UIDs as a Coding Scheme"] = "DicomUidsAsCodingScheme",
        ["Application Context Name"] = "ApplicationContextName",
        ["Application Hosting Model"] = "ApplicationHostingModel",
        ["Mapping Resource"] = "MappingResource",
        ["LDAP OID"] = "LdapOid",
        ["Context Group Name"] = "ContextGroupName",
    };

    private sealed record Attribute(uint Tag, uint Mask, string[] VRs, string VM, string Keyword, string Name, bool Retired, string? Creator);

    private sealed record UidRow(string Uid, string Keyword, string Member, string Name, string Type, string Info, bool Retired);

    /// <summary>Reads the sources and returns the generated files (see <see cref="FileNames"/>).</summary>
    public static IReadOnlyList<GeneratedFile> Generate(DictionarySources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var dicomDicText = File.ReadAllText(sources.DicomDic);
        var standard = DcmtkDictionaryReader.Parse(dicomDicText, Path.GetFileName(sources.DicomDic), out var rules);
        var privates = DcmtkDictionaryReader.Parse(File.ReadAllText(sources.PrivateDic), Path.GetFileName(sources.PrivateDic), out _);
        var ps36 = PydicomTableReader.ParseAttributes(File.ReadAllText(sources.PydicomDicomDict));
        var uids = PydicomTableReader.ParseUids(File.ReadAllText(sources.PydicomUidDict));

        var stats = new Stats { Rules = rules };
        var attributes = BuildAttributes(standard, privates, ps36, stats);
        var uidRows = BuildUids(uids, out var uidsWithoutKeyword);

        var dcmtkPackage = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(sources.DicomDic))) ?? "";
        var dicEdition = DicEditionRegex().Match(dicomDicText) is { Success: true } m ? m.Groups[1].Value.TrimEnd('.') : "an unstated edition";
        var dcmtkSource = $"dicom.dic and private.dic of DCMTK {sources.DcmtkVersion} ({(dcmtkPackage.Length > 0 ? "Debian package " + dcmtkPackage : "DCMTK data directory")}); DCMTK generated dicom.dic from {dicEdition}";
        var pydicomSource = $"pydicom {sources.PydicomVersion} (Debian package python3-pydicom), its transcription of DICOM {sources.PydicomStandardEdition}";

        return
        [
            new(FileNames[0], EmitDictionaryData(attributes, dcmtkSource, pydicomSource, stats)),
            new(FileNames[1], EmitTags(attributes, dcmtkSource, pydicomSource)),
            new(FileNames[2], EmitUids(uidRows, pydicomSource, uidsWithoutKeyword)),
        ];
    }

    private sealed class Stats
    {
        public int Rules { get; init; }
        public int Standard { get; set; }
        public int Private { get; set; }
        public int Widened { get; set; }
        public List<string> DerivedNames { get; } = [];
        public int Overridden { get; set; }
    }

    private static List<Attribute> BuildAttributes(IReadOnlyList<DcmtkEntry> standard, IReadOnlyList<DcmtkEntry> privates,
        IReadOnlyList<Ps36Attribute> ps36, Stats stats)
    {
        var ps36ByKeyword = new Dictionary<string, Ps36Attribute>(StringComparer.Ordinal);
        foreach (var a in ps36)
        {
            if (a.Keyword.Length > 0) ps36ByKeyword.TryAdd(a.Keyword, a);
        }

        // Keyed like DCMTK's own dictionary, so that a later line overrides an earlier one.
        var byKey = new Dictionary<(uint Tag, uint Mask, string Creator), Attribute>();
        foreach (var e in standard)
        {
            const string RetiredPrefix = "RETIRED_";
            var keyword = e.Name.StartsWith(RetiredPrefix, StringComparison.Ordinal) ? e.Name[RetiredPrefix.Length..] : e.Name;
            var retired = e.Version.EndsWith("/retired", StringComparison.Ordinal);
            if (retired != e.Name.StartsWith(RetiredPrefix, StringComparison.Ordinal))
                throw new FormatException($"dicom.dic:{e.Line}: retired version and RETIRED_ prefix disagree for {e.Name}");
            var (tag, mask) = (e.Tag, e.Mask);
            ps36ByKeyword.TryGetValue(keyword, out var ps);
            if (ps is not null && ps.Mask != 0xFFFFFFFF && ps.Mask != mask)
            {
                // PS3.6 forms such as (0028,04x0) or (1000,xxx0) that dicom.dic cannot express and lists as one
                // concrete tag instead (see its comments): take the standard's form when the concrete tag is one of its tags.
                if ((tag & ps.Mask) != ps.Tag || (mask & ps.Mask) != ps.Mask)
                    throw new FormatException($"dicom.dic:{e.Line}: {keyword} is {Hex(tag)}/{Hex(mask)} but PS3.6 has {Hex(ps.Tag)}/{Hex(ps.Mask)}");
                (tag, mask) = (ps.Tag, ps.Mask);
                stats.Widened++;
            }
            string name;
            if (ps is not null) name = ps.Name;
            else
            {
                name = NameFromKeyword(keyword);
                stats.DerivedNames.Add(keyword);
            }
            var attribute = new Attribute(tag, mask, MapVR(e.Vr, e.Line), e.VM, keyword, name, retired, null);
            if (!byKey.TryAdd((tag, mask, ""), attribute))
            {
                byKey[(tag, mask, "")] = attribute;
                stats.Overridden++;
            }
        }
        foreach (var e in privates)
        {
            var attribute = new Attribute(e.Tag, e.Mask, MapVR(e.Vr, e.Line), e.VM, e.Name, e.Name, false, e.Creator);
            if (!byKey.TryAdd((e.Tag, e.Mask, e.Creator!), attribute))
            {
                byKey[(e.Tag, e.Mask, e.Creator!)] = attribute;
                stats.Overridden++;
            }
        }

        var list = byKey.Values.ToList();
        list.Sort(static (a, b) =>
        {
            var c = (a.Creator is null).CompareTo(b.Creator is null);
            if (c != 0) return -c; // standard entries first
            c = string.CompareOrdinal(a.Creator, b.Creator);
            if (c != 0) return c;
            c = a.Tag.CompareTo(b.Tag);
            return c != 0 ? c : b.Mask.CompareTo(a.Mask);
        });
        stats.Standard = list.Count(a => a.Creator is null);
        stats.Private = list.Count - stats.Standard;

        var keywords = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in list.Where(a => a.Creator is null))
        {
            if (!keywords.Add(a.Keyword)) throw new FormatException($"keyword {a.Keyword} is used by two standard attributes");
            if (!IdentifierRegex().IsMatch(a.Keyword)) throw new FormatException($"keyword {a.Keyword} is not a C# identifier");
        }
        return list;
    }

    private static string[] MapVR(string vr, int line)
    {
        if (PseudoVRs.TryGetValue(vr, out var mapped)) return mapped;
        if (RealVRs.Contains(vr)) return [vr];
        throw new FormatException($"line {line}: unknown VR {vr}");
    }

    /// <summary>"PyramidUID" → "Pyramid UID": only for attributes newer than the PS3.6 edition that gives names.</summary>
    private static string NameFromKeyword(string keyword) => CamelCaseBoundaryRegex().Replace(keyword, " ");

    private static List<UidRow> BuildUids(IReadOnlyList<Ps36Uid> uids, out int withoutKeyword)
    {
        var rows = new List<UidRow>();
        withoutKeyword = 0;
        var members = new HashSet<string>(StringComparer.Ordinal);
        foreach (var u in uids)
        {
            if (u.Keyword.Length == 0 || u.Name.Length == 0)
            {
                // PS3.6 keeps a few retired UIDs as placeholders with neither name nor keyword.
                withoutKeyword++;
                continue;
            }
            if (!UidTypes.TryGetValue(u.Type, out var type))
                throw new FormatException($"UID {u.Uid}: unknown UID type '{u.Type}': add it to DicomUidType and the generator's table");
            if (!UidRegex().IsMatch(u.Uid)) throw new FormatException($"'{u.Uid}' is not a UID");
            // LDAP OID keywords start with a lower-case letter (dicomDeviceName); C# members do not.
            var member = char.ToUpperInvariant(u.Keyword[0]) + u.Keyword[1..];
            if (!IdentifierRegex().IsMatch(member)) throw new FormatException($"UID keyword {u.Keyword} is not a C# identifier");
            if (!members.Add(member)) throw new FormatException($"two UIDs have the member name {member}");
            rows.Add(new UidRow(u.Uid, u.Keyword, member, u.Name, type, u.Info, u.Retired));
        }
        rows.Sort(static (a, b) => CompareUids(a.Uid, b.Uid));
        return rows;
    }

    /// <summary>Orders UIDs arc by arc numerically, so 1.2.840.10008.1.2.4.100 follows 1.2.840.10008.1.2.4.91.</summary>
    private static int CompareUids(string a, string b)
    {
        var x = a.Split('.');
        var y = b.Split('.');
        for (var i = 0; i < Math.Min(x.Length, y.Length); i++)
        {
            var c = x[i].Length.CompareTo(y[i].Length);
            if (c == 0) c = string.CompareOrdinal(x[i], y[i]);
            if (c != 0) return c;
        }
        return x.Length.CompareTo(y.Length);
    }

    private static string Header(params string[] sources)
    {
        var sb = new StringBuilder();
        sb.Append("// <auto-generated>\n");
        sb.Append("// Generated by tools/RadBridge.DictionaryGenerator. Do not edit: rerun\n");
        sb.Append("//     dotnet run --project tools/RadBridge.DictionaryGenerator\n");
        sb.Append("// Sources:\n");
        foreach (var s in sources) sb.Append("//   - ").Append(s).Append('\n');
        sb.Append("// </auto-generated>\n");
        return sb.ToString();
    }

    private static string EmitDictionaryData(List<Attribute> attributes, string dcmtkSource, string pydicomSource, Stats stats)
    {
        var sb = new StringBuilder();
        sb.Append(Header(
            dcmtkSource + ": tags, VRs, VMs, keywords, retired flags, private dictionaries",
            pydicomSource + ": attribute names and the repeating forms of PS3.6 that dicom.dic cannot express"));
        sb.Append(CultureInfo.InvariantCulture, $"// {stats.Standard} standard and {stats.Private} private entries. Left out: dicom.dic's {stats.Rules} catch-all rules\n");
        sb.Append("// (group lengths, private creators, illegal groups), which DicomDictionary applies in code.\n");
        sb.Append(CultureInfo.InvariantCulture, $"// {stats.Widened} entries take the PS3.6 repeating form instead of dicom.dic's single tag;\n");
        sb.Append(CultureInfo.InvariantCulture, $"// {stats.Overridden} lines repeat an earlier tag and override it, as in DCMTK.\n");
        if (stats.DerivedNames.Count > 0)
        {
            sb.Append("// Newer than the names' edition, named from their keyword: ")
              .Append(string.Join(", ", stats.DerivedNames.Order(StringComparer.Ordinal))).Append(".\n");
        }
        sb.Append(
            """
            #nullable enable
            namespace RadBridge.Dicom;

            internal static partial class DicomDictionaryData
            {
            """);
        sb.Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>Number of lines of <see cref=\"Rows\"/>.</summary>\n    internal const int EntryCount = {attributes.Count};\n\n");
        sb.Append(
            """"
                /// <summary>
                /// One entry per line, tab-separated: tag and mask (8 hex digits each), VRs ('/'-separated, the one for
                /// Implicit VR first, empty for items and delimiters), VM, retired (1 or 0), keyword, name, and for private
                /// entries the private creator. Standard entries first in tag order, then private ones by creator and tag.
                /// </summary>
                private static ReadOnlySpan<byte> Rows => """
            """");
        sb.Append('\n');
        foreach (var a in attributes)
        {
            sb.Append("        ");
            sb.Append(Hex(a.Tag)).Append('\t').Append(Hex(a.Mask)).Append('\t')
              .Append(string.Join('/', a.VRs)).Append('\t')
              .Append(a.VM).Append('\t')
              .Append(a.Retired ? '1' : '0').Append('\t')
              .Append(a.Keyword).Append('\t')
              .Append(a.Name);
            if (a.Creator is not null) sb.Append('\t').Append(a.Creator);
            sb.Append('\n');
        }
        sb.Append("        \"\"\"u8;\n\n");
        sb.Append("    internal static DicomDictionaryEntry[] CreateEntries() => Parse(Rows, EntryCount);\n}\n");
        return sb.ToString();
    }

    private static string EmitTags(List<Attribute> attributes, string dcmtkSource, string pydicomSource)
    {
        var sb = new StringBuilder();
        sb.Append(Header(dcmtkSource, pydicomSource + ": attribute names"));
        sb.Append(
            """
            #nullable enable
            namespace RadBridge.Dicom;

            /// <summary>
            /// The tags of the standard data dictionary by keyword (PS3.6), e.g. <c>DicomTags.PatientName</c>.
            /// Repeating-group attributes (50xx, 60xx, 7Fxx, …) and private attributes are found through <see cref="DicomDictionary"/>.
            /// </summary>
            public static partial class DicomTags
            {
            """);
        sb.Append('\n');
        var first = true;
        foreach (var a in attributes.Where(a => a.Creator is null && a.Mask == 0xFFFFFFFF))
        {
            if (!first) sb.Append('\n');
            first = false;
            var group = (ushort)(a.Tag >> 16);
            var element = (ushort)a.Tag;
            var vr = a.VRs.Length == 0 ? "none" : string.Join(" or ", a.VRs);
            sb.Append(CultureInfo.InvariantCulture,
                $"    /// <summary>({group:X4},{element:X4}) {Xml(a.Name)}: VR {vr}, VM {a.VM}{(a.Retired ? " (retired)" : "")}.</summary>\n");
            sb.Append(CultureInfo.InvariantCulture, $"    public static DicomTag {a.Keyword} => new(0x{group:X4}, 0x{element:X4});\n");
        }
        sb.Append("}\n");
        return sb.ToString();
    }

    private static string EmitUids(List<UidRow> rows, string pydicomSource, int withoutKeyword)
    {
        var sb = new StringBuilder();
        sb.Append(Header(pydicomSource + ": the UID registry of PS3.6 Annex A (UID, name, type, retired, keyword). Chosen over"
            + " DCMTK's dcuid.h, which has neither the standard's names nor its UID types and lists fewer standard UIDs"));
        sb.Append(CultureInfo.InvariantCulture, $"// {rows.Count} UIDs; {withoutKeyword} retired placeholder UIDs without name or keyword in PS3.6 are left out.\n");
        sb.Append(
            """
            #nullable enable
            namespace RadBridge.Dicom;

            /// <summary>The UIDs registered in PS3.6 Annex A by keyword, e.g. <c>DicomUids.CTImageStorage</c>.</summary>
            public static partial class DicomUids
            {
            """);
        sb.Append('\n');
        var first = true;
        foreach (var r in rows)
        {
            if (!first) sb.Append('\n');
            first = false;
            sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>{Xml(r.Name)} ({Xml(TypeText(r.Type))}{(r.Retired ? ", retired" : "")}).</summary>\n");
            if (r.Info.Length > 0) sb.Append(CultureInfo.InvariantCulture, $"    /// <remarks>{Xml(r.Info)}</remarks>\n");
            sb.Append(CultureInfo.InvariantCulture, $"    public const string {r.Member} = \"{r.Uid}\";\n");
        }
        sb.Append("}\n\n");
        sb.Append(
            """
            public static partial class DicomUidRegistry
            {
            """);
        sb.Append('\n');
        sb.Append(CultureInfo.InvariantCulture, $"    /// <summary>Number of lines of <see cref=\"Rows\"/>.</summary>\n    internal const int EntryCount = {rows.Count};\n\n");
        sb.Append(
            """"
                /// <summary>One UID per line, tab-separated: UID, keyword, <see cref="DicomUidType"/> member, retired (1 or 0), name.</summary>
                private static ReadOnlySpan<byte> Rows => """
            """");
        sb.Append('\n');
        foreach (var r in rows)
        {
            sb.Append("        ").Append(r.Uid).Append('\t').Append(r.Keyword).Append('\t').Append(r.Type).Append('\t')
              .Append(r.Retired ? '1' : '0').Append('\t').Append(r.Name).Append('\n');
        }
        sb.Append("        \"\"\"u8;\n}\n");
        return sb.ToString();
    }

    private static string TypeText(string member) => UidTypes.First(kv => kv.Value == member).Key;

    private static string Hex(uint value) => value.ToString("X8", CultureInfo.InvariantCulture);

    private static string Xml(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    [GeneratedRegex(@"^# Generated automatically from (.+)$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex DicEditionRegex();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdentifierRegex();

    [GeneratedRegex(@"^[0-2](\.(0|[1-9][0-9]*))+$", RegexOptions.CultureInvariant)]
    private static partial Regex UidRegex();

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", RegexOptions.CultureInvariant)]
    private static partial Regex CamelCaseBoundaryRegex();
}
