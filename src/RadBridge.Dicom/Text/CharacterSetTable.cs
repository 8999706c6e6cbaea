using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;

namespace RadBridge.Dicom;

/// <summary>A defined term of Specific Character Set (0008,0005) and the code elements it designates.</summary>
internal sealed class DefinedTerm(string term, string table, GraphicSet? g0, GraphicSet? g1, SetCodec? standAlone)
{
    /// <summary>As written in PS3.3, e.g. "ISO 2022 IR 87"; "none" for the default repertoire.</summary>
    public string Term { get; } = term;

    /// <summary>"C.12-2", "C.12-3", "C.12-4" or "C.12-5".</summary>
    public string Table { get; } = table;

    public GraphicSet? G0 { get; } = g0;

    public GraphicSet? G1 { get; } = g1;

    /// <summary>UTF-8, GB18030 or GBK (Table C.12-5); null for the ISO 2022 based terms.</summary>
    public SetCodec? StandAlone { get; } = standAlone;

    public bool IsDefaultRepertoire => Term == "none";

    /// <summary>Tables C.12-3 and C.12-4: the "ISO 2022 ..." terms.</summary>
    public bool HasCodeExtensions => Table is "C.12-3" or "C.12-4";

    /// <summary>Table C.12-4.</summary>
    public bool IsMultiByte => Table == "C.12-4";
}

/// <summary>
/// The defined terms of PS3.3 Tables C.12-2 to C.12-5, loaded once from the embedded Data/character-sets.tsv, with the
/// single-byte code tables of Data/g1-sets.tsv. The one place that knows which term means which bytes.
/// </summary>
internal static class CharacterSetTable
{
    private static readonly (FrozenDictionary<string, DefinedTerm> Terms, GraphicSet[] Sets) Loaded = Load();

    // Spellings seen in the field for which the intended set is clear. Keys are compacted (see Compact).
    private static readonly FrozenDictionary<string, string> Aliases = new Dictionary<string, string>
    {
        ["ISOIR6"] = "none",
        ["UTF8"] = "ISO_IR 192",
        // EUC-CN bytes without escape sequences: GBK reads them exactly (it contains GB 2312 at the same codes).
        ["GB2312"] = "GBK",
        ["EUCCN"] = "GBK",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, DefinedTerm> ByCompactName = Loaded.Terms.Values
        .Where(t => !t.IsDefaultRepertoire)
        .ToFrozenDictionary(t => Compact(t.Term), StringComparer.Ordinal);

    private static readonly FrozenDictionary<uint, GraphicSet> ByEscape = Loaded.Sets.ToFrozenDictionary(s => EscapeKey(s.Escape));

    /// <summary>Defined term (exact spelling) to its definition.</summary>
    public static FrozenDictionary<string, DefinedTerm> Terms => Loaded.Terms;

    /// <summary>The default repertoire (ISO-IR 6 in G0, no G1).</summary>
    public static DefinedTerm DefaultRepertoire => Loaded.Terms["none"];

    /// <summary>ISO 646 (ISO-IR 6), the initial G0 set whenever value 1 does not name another.</summary>
    public static GraphicSet Ascii => DefaultRepertoire.G0!;

    /// <summary>
    /// A term that is not spelled as defined but whose meaning is clear: different case or separators
    /// ("ISO-IR 100", "iso_ir 192"), "UTF-8", "GB2312", "ISO_IR 6".
    /// </summary>
    public static bool TryResolveAlias(string term, out DefinedTerm definedTerm)
    {
        var compact = Compact(term);
        if (ByCompactName.TryGetValue(compact, out definedTerm!)) return true;
        if (Aliases.TryGetValue(compact, out var name))
        {
            definedTerm = Loaded.Terms[name];
            return true;
        }
        return false;
    }

    /// <summary>The graphic set an escape sequence (ESC, intermediate bytes, final byte) designates.</summary>
    public static GraphicSet? FindByEscape(ReadOnlySpan<byte> sequence) =>
        sequence.Length <= 4 && ByEscape.TryGetValue(EscapeKey(sequence), out var set) ? set : null;

    // The escape sequences of Tables C.12-3/C.12-4 are 3 or 4 bytes long, all starting with ESC: packed into one
    // number for the lookup (a 3-byte key is below 1000000h, a 4-byte one above).
    private static uint EscapeKey(ReadOnlySpan<byte> sequence)
    {
        var key = 0u;
        foreach (var b in sequence) key = key << 8 | b;
        return key;
    }

    private static string Compact(string term)
    {
        Span<char> buffer = stackalloc char[Math.Min(term.Length, 64)];
        var n = 0;
        foreach (var c in term)
        {
            if (n == buffer.Length) break;
            if (char.IsAsciiLetterOrDigit(c)) buffer[n++] = char.ToUpperInvariant(c);
        }
        return new string(buffer[..n]);
    }

    private static (FrozenDictionary<string, DefinedTerm>, GraphicSet[]) Load()
    {
        var high = new Dictionary<string, char[]>(StringComparer.Ordinal);
        foreach (var c in ReadRows("g1-sets.tsv"))
        {
            // registration, source codec, then 96 columns for bytes A0..FF.
            var table = new char[96];
            for (var i = 0; i < 96; i++)
            {
                table[i] = c[2 + i] == "-" ? '\uFFFF' : (char)int.Parse(c[2 + i], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            }
            high[c[0]] = table;
        }

        var rows = ReadRows("character-sets.tsv");
        // A registration's escape sequence is listed in Tables C.12-3/C.12-4 and applies wherever it is used.
        var sets = new Dictionary<string, GraphicSet>(StringComparer.Ordinal);
        foreach (var c in rows.Where(r => r[3] != "-").OrderBy(r => r[2] == "-" ? 1 : 0))
        {
            if (sets.ContainsKey(c[3])) continue;
            var element = c[5] == "G0" ? CodeElement.G0 : CodeElement.G1;
            sets[c[3]] = new GraphicSet(c[3], element, ParseCodec(c[6]), ParseEscape(c[2]), high.GetValueOrDefault(c[3]));
        }

        var terms = new Dictionary<string, DefinedTerm>(StringComparer.Ordinal);
        foreach (var group in rows.GroupBy(r => r[1], StringComparer.Ordinal))
        {
            var first = group.First();
            GraphicSet? g0 = null, g1 = null;
            SetCodec? standAlone = null;
            foreach (var c in group)
            {
                if (c[3] == "-") standAlone = ParseCodec(c[6]);
                else if (c[5] == "G0") g0 = sets[c[3]];
                else g1 = sets[c[3]];
            }
            terms[group.Key] = new DefinedTerm(group.Key, first[0], g0, g1, standAlone);
        }
        return (terms.ToFrozenDictionary(StringComparer.Ordinal), sets.Values.Where(s => s.Escape.Length > 0).ToArray());
    }

    private static List<string[]> ReadRows(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("RadBridge.Dicom.Data." + name)
            ?? throw new InvalidOperationException($"embedded {name} is missing");
        using var reader = new StreamReader(stream);
        var result = new List<string[]>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            result.Add(line.Split('\t'));
        }
        return result;
    }

    private static SetCodec ParseCodec(string codec) => codec switch
    {
        "ascii" => SetCodec.Ascii,
        "jis-roman" => SetCodec.JisRoman,
        "g1-table" => SetCodec.G1Table,
        "jisx0208" => SetCodec.JisX0208,
        "jisx0212" => SetCodec.JisX0212,
        "ksx1001" => SetCodec.KsX1001,
        "gb2312" => SetCodec.Gb2312,
        "utf-8" => SetCodec.Utf8,
        "gb18030" => SetCodec.Gb18030,
        "gbk" => SetCodec.Gbk,
        _ => throw new InvalidOperationException($"character-sets.tsv: unknown codec '{codec}'"),
    };

    // "ESC 02/04 02/09 04/03" (column/row of the ISO 2022 code table) to 1B 24 29 43.
    private static byte[] ParseEscape(string text)
    {
        if (text == "-") return [];
        var parts = text.Split(' ');
        var bytes = new byte[parts.Length];
        bytes[0] = 0x1B;
        for (var i = 1; i < parts.Length; i++)
        {
            var slash = parts[i].IndexOf('/', StringComparison.Ordinal);
            bytes[i] = (byte)(int.Parse(parts[i].AsSpan(0, slash), CultureInfo.InvariantCulture) * 16
                + int.Parse(parts[i].AsSpan(slash + 1), CultureInfo.InvariantCulture));
        }
        return bytes;
    }
}
