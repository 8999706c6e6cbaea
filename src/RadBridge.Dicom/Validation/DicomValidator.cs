using System.Globalization;

namespace RadBridge.Dicom;

/// <summary>How serious a validation finding is.</summary>
public enum DicomFindingSeverity
{
    /// <summary>Violates PS3.5/PS3.10; other software may reject or misread it.</summary>
    Error,
    /// <summary>Legal but suspicious, retired or likely to cause trouble.</summary>
    Warning,
}

/// <summary>One problem found by <see cref="DicomValidator"/>.</summary>
/// <param name="Severity">Error or warning.</param>
/// <param name="Tag">The element concerned, if any.</param>
/// <param name="Path">Where the element is: "" at top level, else e.g. "(0008,1115)[1]/(0008,114A)[2]".</param>
/// <param name="Message">What is wrong, in words that name the rule.</param>
public sealed record DicomFinding(DicomFindingSeverity Severity, DicomTag? Tag, string Path, string Message)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var where = Tag is { } t ? (Path.Length > 0 ? Path + "/" : "") + t.ToString() : "file";
        return $"{(Severity == DicomFindingSeverity.Error ? "error" : "warning")}: {where}: {Message}";
    }
}

/// <summary>
/// Checks a file against the encoding rules of PS3.5 and PS3.10: File Meta, VR and VM against the dictionary,
/// value lengths and characters per VR (Table 6.2-1), padding, character set terms and private creators.
/// It does not check IOD/module requirements (dciodvfy's domain).
/// </summary>
public static class DicomValidator
{
    /// <summary>Validates a file read by <see cref="DicomFile.Open"/>, including what the reader reported.</summary>
    public static IReadOnlyList<DicomFinding> Validate(DicomFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var findings = new List<DicomFinding>();
        foreach (var w in file.Warnings) findings.Add(new(DicomFindingSeverity.Warning, null, "", "read: " + w));
        ValidateMeta(file, findings);
        ValidateDataset(file.Dataset, "", findings);
        return findings;
    }

    /// <summary>Validates a data set (VR, VM, lengths, characters, padding, private creators).</summary>
    public static IReadOnlyList<DicomFinding> Validate(DicomDataset dataset)
    {
        var findings = new List<DicomFinding>();
        ValidateDataset(dataset, "", findings);
        return findings;
    }

    private static void ValidateMeta(DicomFile file, List<DicomFinding> findings)
    {
        var meta = file.FileMetaInformation;
        if (!file.HasPreamble)
        {
            findings.Add(new(DicomFindingSeverity.Error, null, "", "no 128-byte preamble and \"DICM\" prefix (PS3.10 §7.1)"));
        }
        if (meta.Count == 0)
        {
            findings.Add(new(DicomFindingSeverity.Error, null, "", "no File Meta Information group (0002) (PS3.10 §7.1)"));
            return;
        }
        (ushort Element, string Name)[] required =
        [
            (0x0001, "File Meta Information Version"), (0x0002, "Media Storage SOP Class UID"),
            (0x0003, "Media Storage SOP Instance UID"), (0x0010, "Transfer Syntax UID"), (0x0012, "Implementation Class UID"),
        ];
        foreach (var (element, name) in required)
        {
            var tag = new DicomTag(0x0002, element);
            if (meta[tag] is not DicomValueElement { Length: > 0 })
                findings.Add(new(DicomFindingSeverity.Error, tag, "", $"File Meta lacks {name} (Type 1, PS3.10 Table 7.1-1)"));
        }
        var tsUid = meta.GetString(new DicomTag(0x0002, 0x0010));
        if (!string.IsNullOrEmpty(tsUid) && !DicomTransferSyntax.IsKnownUid(tsUid))
            findings.Add(new(DicomFindingSeverity.Warning, new DicomTag(0x0002, 0x0010), "", $"transfer syntax {tsUid} is not a known one"));
        Compare(meta, new DicomTag(0x0002, 0x0002), file.Dataset, new DicomTag(0x0008, 0x0016), "SOP Class UID", findings);
        Compare(meta, new DicomTag(0x0002, 0x0003), file.Dataset, new DicomTag(0x0008, 0x0018), "SOP Instance UID", findings);
        ValidateDataset(meta, "", findings);
    }

    private static void Compare(DicomDataset meta, DicomTag metaTag, DicomDataset ds, DicomTag dsTag, string what, List<DicomFinding> findings)
    {
        var a = meta.GetString(metaTag);
        var b = ds.GetString(dsTag);
        if (a is not null && b is not null && a != b)
            findings.Add(new(DicomFindingSeverity.Error, metaTag, "", $"File Meta {what} '{a}' differs from the data set's '{b}' {dsTag}"));
    }

    private static void ValidateDataset(DicomDataset dataset, string path, List<DicomFinding> findings)
    {
        var dictionary = DicomDictionary.Default;
        foreach (var element in dataset)
        {
            var tag = element.Tag;
            void Add(DicomFindingSeverity s, string m) => findings.Add(new(s, tag, path, m));

            if (tag.IsGroupLength && tag.Group != 0x0002)
            {
                Add(DicomFindingSeverity.Warning, "group length element (retired, PS3.5 §7.2)");
                continue;
            }
            string? creator = null;
            if (tag.IsPrivate && !tag.IsPrivateCreator)
            {
                creator = dataset.GetPrivateCreator(tag);
                if (creator is null)
                    Add(DicomFindingSeverity.Error, $"private element without its private creator {tag.PrivateCreatorTag} (PS3.5 §7.8.1)");
            }
            var entry = tag.IsPrivateCreator ? null : dictionary.Find(tag, creator);
            if (entry is not null && element.VR != DicomVR.UN && !entry.VRs.Contains(element.VR))
                Add(DicomFindingSeverity.Error, $"VR {element.VR.Code()} where the dictionary says {string.Join(" or ", entry.VRs.Select(v => v.Code()))}");
            if (tag.IsPrivateCreator && element.VR is not (DicomVR.LO or DicomVR.UN))
                Add(DicomFindingSeverity.Error, $"private creator has VR {element.VR.Code()}, not LO");
            if (entry is { IsRetired: true })
                Add(DicomFindingSeverity.Warning, $"{entry.Keyword} is retired");

            switch (element)
            {
                case DicomSequence seq:
                    for (var i = 0; i < seq.Items.Count; i++)
                        ValidateDataset(seq.Items[i], $"{(path.Length > 0 ? path + "/" : "")}{tag}[{i + 1}]", findings);
                    break;
                case DicomValueElement v:
                    ValidateValue(dataset, v, entry, Add);
                    break;
            }
        }
    }

    private static void ValidateValue(DicomDataset dataset, DicomValueElement v, DicomDictionaryEntry? entry, Action<DicomFindingSeverity, string> add)
    {
        var vr = v.VR;
        if ((v.Length & 1) != 0)
            add(DicomFindingSeverity.Error, $"odd value length {v.Length} (PS3.5 §7.1.1 requires even lengths)");
        if (vr.IsBinaryNumber() && vr.UnitSize() > 1 && v.Length % vr.UnitSize() != 0)
            add(DicomFindingSeverity.Error, $"length {v.Length} is not a multiple of {vr.UnitSize()} for VR {vr.Code()}");
        if (vr == DicomVR.AT && v.Length % 4 != 0)
            add(DicomFindingSeverity.Error, $"length {v.Length} is not a multiple of 4 for VR AT");
        if (v.Buffer.IsLazy) return;

        int count;
        if (vr.IsText())
        {
            var values = vr.IsMultiValuedText() ? dataset.GetStrings(v.Tag) : (dataset.GetString(v.Tag) is { Length: > 0 } s ? [s] : []);
            count = values.Length;
            var raw = v.Buffer.GetMemory().Span;
            if (vr == DicomVR.UI && raw.Length > 0 && raw[^1] == (byte)' ')
                add(DicomFindingSeverity.Error, "UI padded with a space instead of NUL (PS3.5 §9.1)");
            if (vr != DicomVR.UI && raw.IndexOf((byte)0) >= 0 && raw[^1] != 0)
                add(DicomFindingSeverity.Warning, "NUL byte inside a text value");
            foreach (var value in values) CheckText(vr, value, add);
            if (dataset.TextEncoding.Decode(raw, vr).Contains('\uFFFD', StringComparison.Ordinal))
                add(DicomFindingSeverity.Error, "bytes that are not valid in the Specific Character Set");
        }
        else if (vr.IsBinaryNumber() && vr is not (DicomVR.OB or DicomVR.OW or DicomVR.OD or DicomVR.OF or DicomVR.OL or DicomVR.OV))
        {
            count = (int)(v.Length / vr.UnitSize());
        }
        else if (vr == DicomVR.AT)
        {
            count = (int)(v.Length / 4);
        }
        else
        {
            return; // OB/OW/... have VM 1 by definition
        }
        if (entry is not null && count > 0 && !VmAllows(entry.VM, count))
            add(DicomFindingSeverity.Error, $"{count} values where the dictionary allows VM {entry.VM}");
    }

    private static void CheckText(DicomVR vr, string value, Action<DicomFindingSeverity, string> add)
    {
        var max = vr.MaxValueLength();
        if (max > 0 && vr is not (DicomVR.PN or DicomVR.DA or DicomVR.TM or DicomVR.DT) && value.Length > max)
            add(DicomFindingSeverity.Error, $"value '{Shorten(value)}' is {value.Length} characters, more than {max} for VR {vr.Code()}");
        switch (vr)
        {
            case DicomVR.CS:
                foreach (var c in value)
                {
                    if (!(c is >= 'A' and <= 'Z' or >= '0' and <= '9' or ' ' or '_'))
                    {
                        add(DicomFindingSeverity.Error, $"CS value '{Shorten(value)}' has '{c}': only upper-case letters, digits, space and underscore are allowed");
                        break;
                    }
                }
                break;
            case DicomVR.UI:
                if (!DicomUid.IsValid(value)) add(DicomFindingSeverity.Error, $"'{Shorten(value)}' is not a valid UID (PS3.5 §9.1)");
                break;
            case DicomVR.DT:
                if (!DicomDateTime.TryParse(value, DicomParseMode.Strict, out _))
                    add(DicomFindingSeverity.Error, $"'{Shorten(value)}' is not a date-time YYYY[MM[DD[HH[MM[SS[.F]]]]]][&ZZXX]");
                break;
            case DicomVR.DA:
                if (!DicomDate.TryParse(value, DicomParseMode.Strict, out _))
                    add(DicomFindingSeverity.Error, $"'{Shorten(value)}' is not a date YYYYMMDD");
                break;
            case DicomVR.TM:
                if (!DicomTime.TryParse(value, DicomParseMode.Strict, out _)) add(DicomFindingSeverity.Error, $"'{Shorten(value)}' is not a time HH[MM[SS[.F{{1-6}}]]]");
                break;
            case DicomVR.IS:
                if (!DicomIntegerString.TryParse(value, DicomParseMode.Strict, out _))
                    add(DicomFindingSeverity.Error, $"'{Shorten(value)}' is not an integer string in [-2^31, 2^31-1]");
                break;
            case DicomVR.DS:
                if (!DicomDecimalString.TryParse(value, DicomParseMode.Strict, out _))
                    add(DicomFindingSeverity.Error, $"'{Shorten(value)}' is not a decimal string");
                break;
            case DicomVR.AS:
                if (!DicomAge.TryParse(value, DicomParseMode.Strict, out _))
                    add(DicomFindingSeverity.Error, $"'{Shorten(value)}' is not an age string nnnD/W/M/Y");
                break;
            case DicomVR.PN:
                if (value.Count(c => c == '=') > 2) add(DicomFindingSeverity.Error, "person name has more than three component groups");
                foreach (var group in value.Split('='))
                {
                    if (group.Count(c => c == '^') > 4) add(DicomFindingSeverity.Error, "person name group has more than five components");
                    if (group.Length > 64) add(DicomFindingSeverity.Error, $"person name component group is {group.Length} characters, more than 64");
                }
                break;
        }
    }

    /// <summary>Whether a value count satisfies a dictionary VM ("1", "1-3", "1-n", "2-2n", "3-3n").</summary>
    internal static bool VmAllows(string vm, int count)
    {
        var dash = vm.IndexOf('-', StringComparison.Ordinal);
        if (dash < 0) return int.TryParse(vm, NumberStyles.None, CultureInfo.InvariantCulture, out var exact) && count == exact;
        if (!int.TryParse(vm[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var min)) return true;
        var upper = vm[(dash + 1)..];
        if (upper.EndsWith('n'))
        {
            var step = upper.Length == 1 ? 1 : int.Parse(upper[..^1], CultureInfo.InvariantCulture);
            return count >= min && count % step == 0;
        }
        return int.TryParse(upper, NumberStyles.None, CultureInfo.InvariantCulture, out var max) && count >= min && count <= max;
    }

    private static string Shorten(string s) => s.Length > 40 ? s[..37] + "..." : s;
}
