using System.Globalization;
using System.Text;
using RadBridge.Dicom;

namespace RadBridge.Cli.Commands;

/// <summary>Prints a data set as an indented tree in the spirit of dcmdump: tag, VR, value decoded to Unicode, length, keyword.</summary>
internal static class DicomTreePrinter
{
    private const int MaxValueChars = 66;

    public static void Print(TextWriter output, DicomFile file, string name)
    {
        var sb = new StringBuilder();
        sb.Append("# ").Append(name).Append('\n');
        if (file.FileMetaInformation.Count > 0)
        {
            sb.Append("# File Meta Information (Explicit VR Little Endian)\n");
            AppendDataset(sb, file.FileMetaInformation, 0);
        }
        sb.Append("# Data set: ").Append(file.TransferSyntax.Name).Append(" (").Append(file.TransferSyntax.Uid).Append(")\n");
        AppendDataset(sb, file.Dataset, 0);
        foreach (var w in file.Warnings) sb.Append("# warning: ").Append(w).Append('\n');
        if (!file.IsComplete) sb.Append("# incomplete: the data set was not read to its end\n");
        output.Write(sb.ToString());
    }

    private static void AppendDataset(StringBuilder sb, DicomDataset dataset, int depth)
    {
        foreach (var element in dataset)
        {
            var indent = new string(' ', depth * 2);
            var keyword = Keyword(dataset, element.Tag);
            switch (element)
            {
                case DicomSequence seq:
                    Line(sb, indent, element, $"(Sequence, {Plural(seq.Items.Count, "item")}{(seq.UndefinedLength ? ", undefined length" : "")})", "", keyword);
                    for (var i = 0; i < seq.Items.Count; i++)
                    {
                        sb.Append(indent).Append("  (FFFE,E000) Item #").Append(i + 1).Append(" (").Append(Plural(seq.Items[i].Count, "element")).Append(")\n");
                        AppendDataset(sb, seq.Items[i], depth + 2);
                    }
                    break;
                case DicomFragmentSequence frag:
                    Line(sb, indent, element, $"(Encapsulated: offset table {frag.OffsetTable.Length / 4} entries, {Plural(frag.Fragments.Count, "fragment")}, {frag.Fragments.Sum(f => f.Length)} bytes)", "", keyword);
                    break;
                case DicomValueElement v:
                    Line(sb, indent, element, FormatValue(dataset, v), string.Create(CultureInfo.InvariantCulture, $"{v.Length}"), keyword);
                    break;
            }
        }
    }

    private static void Line(StringBuilder sb, string indent, DicomElement e, string value, string length, string keyword)
    {
        var start = sb.Length;
        sb.Append(indent).Append(e.Tag.ToString()).Append(' ').Append(e.VR.Code()).Append(' ').Append(value);
        var width = sb.Length - start;
        sb.Append(' ', Math.Max(1, 72 - width)).Append("# ");
        if (length.Length > 0) sb.Append(length).Append(", ");
        sb.Append(keyword).Append('\n');
    }

    private static string FormatValue(DicomDataset dataset, DicomValueElement v)
    {
        if (v.Buffer.IsLazy) return $"(bulk data, {v.Length} bytes, read on demand)";
        if (v.Length == 0) return "(no value)";
        string text;
        if (v.VR.IsText())
        {
            text = "[" + (dataset.GetString(v.Tag) ?? "") + "]";
        }
        else if (v.VR is DicomVR.OB or DicomVR.UN or DicomVR.OW or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV)
        {
            var bytes = v.Buffer.GetMemory().Span;
            var n = Math.Min(bytes.Length, 16);
            text = Convert.ToHexString(bytes[..n]).ToLowerInvariant() + (bytes.Length > n ? "..." : "");
        }
        else
        {
            text = string.Join('\\', dataset.GetStrings(v.Tag));
        }
        text = text.ReplaceLineEndings("\\n");
        return text.Length > MaxValueChars ? text[..(MaxValueChars - 3)] + "..." : text;
    }

    private static string Keyword(DicomDataset dataset, DicomTag tag)
    {
        if (tag.IsPrivateCreator) return "PrivateCreator";
        var entry = DicomDictionary.Default.Find(tag, dataset.GetPrivateCreator(tag));
        if (entry is not null) return entry.Keyword.Length > 0 ? entry.Keyword : entry.Name;
        return tag.IsPrivate ? $"Private ({dataset.GetPrivateCreator(tag) ?? "no creator"})" : "Unknown";
    }

    private static string Plural(int n, string word) => string.Create(CultureInfo.InvariantCulture, $"{n} {word}{(n == 1 ? "" : "s")}");
}
