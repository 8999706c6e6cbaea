using System.Globalization;
using System.Text;

namespace RadBridge.DictionaryGenerator;

/// <summary>An attribute of PS3.6 as pydicom transcribed it: (VR, VM, Name, Retired, Keyword).</summary>
/// <param name="Tag">The tag, or the base tag of a repeating form (x digits as 0).</param>
/// <param name="Mask">0xFFFFFFFF, or the mask of the PS3.6 "x" digits (e.g. 60xx3000 → 0xFF00FFFF, 1000xxx0 → 0xFFFF000F).</param>
/// <param name="VR">PS3.6's VR column ("US or SS", …).</param>
/// <param name="VM">Value multiplicity.</param>
/// <param name="Name">The attribute name (e.g. Patient's Name).</param>
/// <param name="Retired">True when PS3.6 marks it retired.</param>
/// <param name="Keyword">The keyword (e.g. PatientName).</param>
public sealed record Ps36Attribute(uint Tag, uint Mask, string VR, string VM, string Name, bool Retired, string Keyword);

/// <summary>A UID of PS3.6 Annex A as pydicom transcribed it: (Name, Type, Info, Retired, Keyword).</summary>
public sealed record Ps36Uid(string Uid, string Name, string Type, string Info, bool Retired, string Keyword);

/// <summary>
/// Reads the data tables of pydicom (_dicom_dict.py, _uid_dict.py), which pydicom generates from the DocBook
/// of the DICOM standard. Only the dictionary literal lines are read ("    key: (str, str, …),"), no Python is run.
/// </summary>
public static class PydicomTableReader
{
    /// <summary>Parses DicomDictionary and RepeatersDictionary of _dicom_dict.py.</summary>
    public static IReadOnlyList<Ps36Attribute> ParseAttributes(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<Ps36Attribute>();
        foreach (var (key, values, line) in DictionaryLines(text))
        {
            if (values.Count != 5) throw new FormatException($"_dicom_dict.py:{line}: expected 5 values");
            uint tag, mask;
            if (key.StartsWith("0x", StringComparison.Ordinal))
            {
                tag = uint.Parse(key.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
                mask = 0xFFFFFFFF;
            }
            else
            {
                // A repeating form such as '60xx3000' or '002804x0': x is any hex digit.
                if (key.Length != 8) throw new FormatException($"_dicom_dict.py:{line}: bad repeating tag {key}");
                tag = 0;
                mask = 0;
                foreach (var c in key)
                {
                    var isX = c is 'x' or 'X';
                    tag = (tag << 4) | (isX ? 0u : uint.Parse(c.ToString(), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture));
                    mask = (mask << 4) | (isX ? 0u : 0xFu);
                }
            }
            result.Add(new Ps36Attribute(tag, mask, values[0], values[1], values[2], values[3] == "Retired", values[4]));
        }
        return result;
    }

    /// <summary>Parses UID_dictionary of _uid_dict.py.</summary>
    public static IReadOnlyList<Ps36Uid> ParseUids(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new List<Ps36Uid>();
        foreach (var (key, values, line) in DictionaryLines(text))
        {
            if (values.Count != 5) throw new FormatException($"_uid_dict.py:{line}: expected 5 values");
            result.Add(new Ps36Uid(key, values[0], values[1], values[2], values[3] == "Retired", values[4]));
        }
        return result;
    }

    /// <summary>Lines of the form <c>    KEY: ('a', "b", …),  # comment</c>, KEY a hex number or a quoted string.</summary>
    private static IEnumerable<(string Key, List<string> Values, int Line)> DictionaryLines(string text)
    {
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (!line.StartsWith("    ", StringComparison.Ordinal)) continue;
            var pos = 4;
            string key;
            if (line[pos] is '\'' or '"')
            {
                key = ReadString(line, ref pos, lineNumber);
            }
            else if (line.AsSpan(pos).StartsWith("0x", StringComparison.Ordinal))
            {
                var end = line.IndexOf(':', pos);
                if (end < 0) continue;
                key = line[pos..end];
                pos = end;
            }
            else
            {
                continue;
            }
            SkipSpaces(line, ref pos);
            Expect(line, ref pos, ':', lineNumber);
            SkipSpaces(line, ref pos);
            Expect(line, ref pos, '(', lineNumber);
            var values = new List<string>();
            while (true)
            {
                SkipSpaces(line, ref pos);
                if (pos < line.Length && line[pos] == ')') break;
                values.Add(ReadString(line, ref pos, lineNumber));
                SkipSpaces(line, ref pos);
                if (pos < line.Length && line[pos] == ',') pos++;
            }
            yield return (key, values, lineNumber);
        }
    }

    private static string ReadString(string line, ref int pos, int lineNumber)
    {
        if (pos >= line.Length || line[pos] is not ('\'' or '"')) throw new FormatException($"line {lineNumber}: expected a string at column {pos + 1}");
        var quote = line[pos++];
        var sb = new StringBuilder();
        while (pos < line.Length && line[pos] != quote)
        {
            if (line[pos] == '\\' && pos + 1 < line.Length) pos++;
            sb.Append(line[pos++]);
        }
        if (pos >= line.Length) throw new FormatException($"line {lineNumber}: unterminated string");
        pos++;
        return sb.ToString();
    }

    private static void SkipSpaces(string line, ref int pos)
    {
        while (pos < line.Length && line[pos] == ' ') pos++;
    }

    private static void Expect(string line, ref int pos, char c, int lineNumber)
    {
        if (pos >= line.Length || line[pos] != c) throw new FormatException($"line {lineNumber}: expected '{c}' at column {pos + 1}");
        pos++;
    }
}
