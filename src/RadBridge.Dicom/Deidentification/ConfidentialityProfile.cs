using System.Collections.Frozen;
using System.Reflection;

namespace RadBridge.Dicom.Deidentification;

/// <summary>
/// One row of PS3.15 Table E.1-1: an attribute (or a pattern of them), its Basic Profile action and the action
/// each option column gives it.
/// </summary>
public sealed class ConfidentialityProfileRow
{
    internal ConfidentialityProfileRow(string tagText, uint value, uint mask, bool isPrivatePattern, string name,
        bool inStandardCompositeIod, DeidentificationAction basic, FrozenDictionary<ConfidentialityProfileOption, DeidentificationAction> options)
    {
        TagText = tagText;
        Value = value;
        Mask = mask;
        IsPrivatePattern = isPrivatePattern;
        Name = name;
        InStandardCompositeIod = inStandardCompositeIod;
        BasicProfile = basic;
        OptionActions = options;
    }

    /// <summary>The tag as the table writes it, e.g. "(0010,0010)", "(60xx,3000)", "(gggg,eeee)".</summary>
    public string TagText { get; }

    /// <summary>The tag (for a pattern, its fixed bits).</summary>
    public DicomTag Tag => new(Value);

    internal uint Value { get; }

    /// <summary>Bits of the tag that must equal <see cref="Value"/>; all ones for a single attribute.</summary>
    internal uint Mask { get; }

    /// <summary>True for the row that covers all private attributes.</summary>
    public bool IsPrivatePattern { get; }

    /// <summary>True when the row stands for more than one tag (repeating groups, private attributes).</summary>
    public bool IsPattern => IsPrivatePattern || Mask != uint.MaxValue;

    /// <summary>The attribute name as in the table.</summary>
    public string Name { get; }

    /// <summary>The table's "In Std. Comp. IOD" column.</summary>
    public bool InStandardCompositeIod { get; }

    /// <summary>The Basic Profile action.</summary>
    public DeidentificationAction BasicProfile { get; }

    /// <summary>The non-empty option cells of the row.</summary>
    public IReadOnlyDictionary<ConfidentialityProfileOption, DeidentificationAction> OptionActions { get; }

    /// <summary>True when the row applies to <paramref name="tag"/>.</summary>
    public bool Matches(DicomTag tag) =>
        IsPrivatePattern ? tag.IsPrivate : (tag.Value & Mask) == Value && (Mask == uint.MaxValue || (tag.Group & 1) == 0);

    /// <summary>
    /// The action under a set of options: the Basic Profile action unless an enabled option has a cell in this row.
    /// When several enabled options have one, the most retaining wins (K, then C, then the option's own action):
    /// each option is a promise to keep a kind of information, and keeping it for one option does not break another.
    /// </summary>
    public DeidentificationAction Resolve(IReadOnlySet<ConfidentialityProfileOption> enabled)
    {
        ArgumentNullException.ThrowIfNull(enabled);
        DeidentificationAction? best = null;
        foreach (var (option, action) in OptionActions)
        {
            if (!enabled.Contains(option)) continue;
            if (best is null || Rank(action) < Rank(best.Value)) best = action;
        }
        return best ?? BasicProfile;
    }

    private static int Rank(DeidentificationAction a) => a switch
    {
        DeidentificationAction.Keep => 0,
        DeidentificationAction.Clean => 1,
        _ => 2,
    };

    /// <inheritdoc/>
    public override string ToString() => $"{TagText} {Name}: {BasicProfile.Code()}";
}

/// <summary>
/// PS3.15 Table E.1-1, loaded from the curated table Data/confidentiality-profile.tsv (embedded), whose header
/// names the edition and the coverage.
/// </summary>
public sealed class ConfidentialityProfile
{
    private const string ResourceName = "RadBridge.Dicom.Data.confidentiality-profile.tsv";

    private static readonly ConfidentialityProfileOption[] Columns =
    [
        ConfidentialityProfileOption.RetainSafePrivate,
        ConfidentialityProfileOption.RetainUids,
        ConfidentialityProfileOption.RetainDeviceIdentity,
        ConfidentialityProfileOption.RetainInstitutionIdentity,
        ConfidentialityProfileOption.RetainPatientCharacteristics,
        ConfidentialityProfileOption.RetainLongitudinalFullDates,
        ConfidentialityProfileOption.RetainLongitudinalModifiedDates,
        ConfidentialityProfileOption.CleanDescriptors,
        ConfidentialityProfileOption.CleanStructuredContent,
        ConfidentialityProfileOption.CleanGraphics,
    ];

    private readonly FrozenDictionary<uint, ConfidentialityProfileRow> _exact;
    private readonly ConfidentialityProfileRow[] _patterns;

    private ConfidentialityProfile(List<ConfidentialityProfileRow> rows)
    {
        Rows = rows;
        _exact = rows.Where(r => !r.IsPattern).ToFrozenDictionary(r => r.Value);
        _patterns = [.. rows.Where(r => r.IsPattern)];
    }

    /// <summary>The table as shipped.</summary>
    public static ConfidentialityProfile Standard { get; } = Load();

    /// <summary>All rows in file order.</summary>
    public IReadOnlyList<ConfidentialityProfileRow> Rows { get; }

    /// <summary>
    /// The row for a tag: an exact row first, then the repeating-group and private patterns. Null for attributes the
    /// table does not list.
    /// </summary>
    public ConfidentialityProfileRow? Find(DicomTag tag)
    {
        if (_exact.TryGetValue(tag.Value, out var row)) return row;
        foreach (var p in _patterns)
        {
            if (p.Matches(tag)) return p;
        }
        return null;
    }

    private static ConfidentialityProfile Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException("embedded confidentiality-profile.tsv is missing");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }

    internal static ConfidentialityProfile Parse(TextReader reader)
    {
        var rows = new List<ConfidentialityProfileRow>();
        var lineNumber = 0;
        var sawHeader = false;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#') continue;
            var c = line.Split('\t');
            if (!sawHeader)
            {
                sawHeader = true;
                if (c[0] == "tag") continue;
            }
            if (c.Length != 4 + Columns.Length) throw new InvalidOperationException($"confidentiality-profile.tsv line {lineNumber}: {c.Length} columns");
            if (!DeidentificationActionCodes.TryParse(c[3], out var basic))
                throw new InvalidOperationException($"confidentiality-profile.tsv line {lineNumber}: unknown action '{c[3]}'");
            var options = new Dictionary<ConfidentialityProfileOption, DeidentificationAction>();
            for (var i = 0; i < Columns.Length; i++)
            {
                var cell = c[4 + i];
                if (cell == "-") continue;
                if (!DeidentificationActionCodes.TryParse(cell, out var a))
                    throw new InvalidOperationException($"confidentiality-profile.tsv line {lineNumber}: unknown action '{cell}'");
                options[Columns[i]] = a;
            }
            var (value, mask, isPrivate) = ParseTag(c[0], lineNumber);
            rows.Add(new ConfidentialityProfileRow(c[0], value, mask, isPrivate, c[1], c[2] == "Y", basic, options.ToFrozenDictionary()));
        }
        return new ConfidentialityProfile(rows);
    }

    // "(GGGG,EEEE)" with "x" for any hex digit of a repeating group; "(gggg,eeee)" for all private attributes.
    private static (uint Value, uint Mask, bool IsPrivate) ParseTag(string text, int lineNumber)
    {
        if (text == "(gggg,eeee)") return (0, 0, true);
        if (text.Length != 11 || text[0] != '(' || text[5] != ',' || text[10] != ')')
            throw new InvalidOperationException($"confidentiality-profile.tsv line {lineNumber}: bad tag '{text}'");
        var digits = string.Concat(text.AsSpan(1, 4), text.AsSpan(6, 4));
        uint value = 0, mask = 0;
        foreach (var ch in digits)
        {
            value <<= 4;
            mask <<= 4;
            if (ch is 'x' or 'X') continue;
            value |= (uint)Convert.ToInt32(ch.ToString(), 16);
            mask |= 0xF;
        }
        return (value, mask, false);
    }
}
