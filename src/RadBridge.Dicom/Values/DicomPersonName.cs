using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace RadBridge.Dicom;

/// <summary>
/// One Person Name component group of PS3.5 §6.2 (Table 6.2-1) and §6.2.1: five components — family name
/// complex, given name complex, middle name, name prefix, name suffix — delimited by "^".
/// </summary>
/// <remarks>Components are stored without leading and trailing spaces, which PS3.5 defines as insignificant in PN.</remarks>
public sealed class DicomPersonNameGroup : IEquatable<DicomPersonNameGroup>
{
    /// <summary>The group with five empty components.</summary>
    public static DicomPersonNameGroup Empty { get; } = new(null);

    /// <summary>
    /// Creates a group; null means empty. Throws <see cref="ArgumentException"/> when a component contains a
    /// delimiter ("^", "=", "\").
    /// </summary>
    public DicomPersonNameGroup(string? familyName, string? givenName = null, string? middleName = null, string? prefix = null, string? suffix = null)
    {
        FamilyName = Component(familyName, nameof(familyName));
        GivenName = Component(givenName, nameof(givenName));
        MiddleName = Component(middleName, nameof(middleName));
        Prefix = Component(prefix, nameof(prefix));
        Suffix = Component(suffix, nameof(suffix));
    }

    private static string Component(string? value, string parameter)
    {
        if (string.IsNullOrEmpty(value)) return string.Empty;
        if (value.AsSpan().IndexOfAny('^', '=', '\\') >= 0)
            throw new ArgumentException("A name component cannot contain '^', '=' or '\\'.", parameter);
        return value.Trim(' ');
    }

    /// <summary>Family name complex (component 1).</summary>
    public string FamilyName { get; }

    /// <summary>Given name complex (component 2).</summary>
    public string GivenName { get; }

    /// <summary>Middle name (component 3).</summary>
    public string MiddleName { get; }

    /// <summary>Name prefix (component 4), e.g. "Rev.".</summary>
    public string Prefix { get; }

    /// <summary>Name suffix (component 5), e.g. "B.A. M.Div.".</summary>
    public string Suffix { get; }

    /// <summary>True when all five components are empty.</summary>
    public bool IsEmpty => FamilyName.Length + GivenName.Length + MiddleName.Length + Prefix.Length + Suffix.Length == 0;

    /// <summary>
    /// The group's DICOM encoding: components joined with "^", trailing empty components and their delimiters
    /// omitted (PS3.5 §6.2.1), e.g. "Adams^John Robert Quincy^^Rev.".
    /// </summary>
    public override string ToString()
    {
        string[] parts = [FamilyName, GivenName, MiddleName, Prefix, Suffix];
        var count = parts.Length;
        while (count > 0 && parts[count - 1].Length == 0) count--;
        return string.Join('^', parts, 0, count);
    }

    /// <summary>Component-wise ordinal equality.</summary>
    public bool Equals(DicomPersonNameGroup? other) =>
        other is not null && FamilyName == other.FamilyName && GivenName == other.GivenName && MiddleName == other.MiddleName
        && Prefix == other.Prefix && Suffix == other.Suffix;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as DicomPersonNameGroup);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(FamilyName, GivenName, MiddleName, Prefix, Suffix);
}

/// <summary>
/// A PN (Person Name) value of PS3.5 §6.2 (Table 6.2-1) and §6.2.1: up to three component groups — alphabetic,
/// ideographic, phonetic — delimited by "=", each of five components delimited by "^", e.g.
/// "Wang^XiaoDong=王^小东" or "Yamada^Tarou=山田^太郎=やまだ^たろう".
/// </summary>
/// <remarks>
/// <para>This type works on the decoded string of one value: the character set layer has already turned the
/// bytes (and ISO 2022 escapes) into text, and multiple values have been split on "\" (see
/// <see cref="DicomValueSplitter"/>).</para>
/// <para>Strict parsing: at most 3 groups and 5 components per group, at most 64 characters per group
/// (Table 6.2-1), no "\" and none of the control characters CR, LF, FF. Leading and trailing spaces around
/// components are insignificant and dropped. <see cref="DicomParseMode.Lenient"/> also accepts groups longer
/// than 64 characters, the control characters, and more than five components (the extra ones are appended to
/// the suffix, separated by spaces, rather than lost). More than three groups is an error in both modes.</para>
/// <para><see cref="ToString"/> omits trailing empty components and trailing empty groups with their delimiters,
/// as §6.2.1 allows, and keeps interior ones: "Wang^XiaoDong=王^小东=" is written "Wang^XiaoDong=王^小东",
/// "=山田^太郎" stays as is.</para>
/// </remarks>
public sealed class DicomPersonName : IEquatable<DicomPersonName>
{
    /// <summary>Maximum characters per component group (PS3.5 Table 6.2-1).</summary>
    public const int MaxGroupLength = 64;

    /// <summary>The empty name (a zero-length value).</summary>
    public static DicomPersonName Empty { get; } = new(DicomPersonNameGroup.Empty);

    /// <summary>A name from its groups; null groups are empty.</summary>
    public DicomPersonName(DicomPersonNameGroup? alphabetic, DicomPersonNameGroup? ideographic = null, DicomPersonNameGroup? phonetic = null)
    {
        Alphabetic = alphabetic ?? DicomPersonNameGroup.Empty;
        Ideographic = ideographic ?? DicomPersonNameGroup.Empty;
        Phonetic = phonetic ?? DicomPersonNameGroup.Empty;
    }

    /// <summary>A name with only the alphabetic group.</summary>
    public DicomPersonName(string? familyName, string? givenName = null, string? middleName = null, string? prefix = null, string? suffix = null)
        : this(new DicomPersonNameGroup(familyName, givenName, middleName, prefix, suffix))
    {
    }

    /// <summary>The first group: alphabetic (single-byte) representation.</summary>
    public DicomPersonNameGroup Alphabetic { get; }

    /// <summary>The second group: ideographic representation (e.g. Kanji, Hanzi, Hanja).</summary>
    public DicomPersonNameGroup Ideographic { get; }

    /// <summary>The third group: phonetic representation (e.g. Hiragana, Hangul).</summary>
    public DicomPersonNameGroup Phonetic { get; }

    /// <summary>Family name of the alphabetic group.</summary>
    public string FamilyName => Alphabetic.FamilyName;

    /// <summary>Given name of the alphabetic group.</summary>
    public string GivenName => Alphabetic.GivenName;

    /// <summary>Middle name of the alphabetic group.</summary>
    public string MiddleName => Alphabetic.MiddleName;

    /// <summary>Name prefix of the alphabetic group.</summary>
    public string Prefix => Alphabetic.Prefix;

    /// <summary>Name suffix of the alphabetic group.</summary>
    public string Suffix => Alphabetic.Suffix;

    /// <summary>True when every group is empty.</summary>
    public bool IsEmpty => Alphabetic.IsEmpty && Ideographic.IsEmpty && Phonetic.IsEmpty;

    /// <summary>Parses a PN value; throws <see cref="FormatException"/> when it is not one.</summary>
    public static DicomPersonName Parse(string text, DicomParseMode mode = DicomParseMode.Strict) =>
        TryParse(text, mode, out var value) ? value : throw new FormatException($"'{text}' is not a DICOM PN value.");

    /// <summary>Strict <see cref="TryParse(string?, DicomParseMode, out DicomPersonName?)"/>.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out DicomPersonName? value) =>
        TryParse(text, DicomParseMode.Strict, out value);

    /// <summary>Parses one decoded PN value (rules: see the type remarks). The empty string is the empty name.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, DicomParseMode mode, [NotNullWhen(true)] out DicomPersonName? value)
    {
        value = null;
        if (text is null) return false;
        var s = DicomValueText.Trim(text, mode, leadingInsignificant: true);
        if (s.Contains('\\')) return false;
        var strict = mode == DicomParseMode.Strict;
        if (strict && s.IndexOfAny('\r', '\n', '\f') >= 0) return false;
        var groups = new DicomPersonNameGroup[3];
        var index = 0;
        foreach (var range in s.Split('='))
        {
            if (index == 3) return false;
            var group = s[range];
            if (strict && group.Length > MaxGroupLength) return false;
            if (!TryParseGroup(group, strict, out groups[index])) return false;
            index++;
        }
        value = new DicomPersonName(groups[0], groups[1], groups[2]);
        return true;
    }

    private static bool TryParseGroup(ReadOnlySpan<char> s, bool strict, out DicomPersonNameGroup group)
    {
        group = DicomPersonNameGroup.Empty;
        var c = new string[5];
        var index = 0;
        foreach (var range in s.Split('^'))
        {
            var component = s[range].Trim(' ');
            if (index < 5) c[index++] = component.ToString();
            else if (strict) return false;
            else if (!component.IsEmpty) c[4] = c[4].Length == 0 ? component.ToString() : string.Concat(c[4], " ", component);
        }
        group = new DicomPersonNameGroup(c[0], c[1], c[2], c[3], c[4]);
        return true;
    }

    /// <summary>The DICOM encoding of the value (see the type remarks for what is omitted).</summary>
    public override string ToString()
    {
        string[] groups = [Alphabetic.ToString(), Ideographic.ToString(), Phonetic.ToString()];
        var count = groups.Length;
        while (count > 0 && groups[count - 1].Length == 0) count--;
        return string.Join('=', groups, 0, count);
    }

    /// <summary>
    /// A name for people to read. Each non-empty group is written as "Prefix Family Given Middle, Suffix" with
    /// empty parts left out; parts written in CJK scripts (Han, kana, Hangul) are joined without a space, as those
    /// names are written ("王小东", "홍길동"). The first non-empty group comes first, the others follow in
    /// parentheses separated by ", ": "Wang^XiaoDong=王^小东" → "Wang XiaoDong (王小东)",
    /// "Yamada^Tarou=山田^太郎=やまだ^たろう" → "Yamada Tarou (山田太郎, やまだたろう)",
    /// "Adams^John Robert Quincy^^Rev.^B.A. M.Div." → "Rev. Adams John Robert Quincy, B.A. M.Div.".
    /// </summary>
    public string ToDisplayString()
    {
        var shown = new List<string>(3);
        foreach (var g in (ReadOnlySpan<DicomPersonNameGroup>)[Alphabetic, Ideographic, Phonetic])
        {
            if (!g.IsEmpty) shown.Add(Display(g));
        }
        return shown.Count switch
        {
            0 => string.Empty,
            1 => shown[0],
            _ => string.Concat(shown[0], " (", string.Join(", ", shown.Skip(1)), ")"),
        };
    }

    private static string Display(DicomPersonNameGroup g)
    {
        var sb = new StringBuilder();
        foreach (var part in (ReadOnlySpan<string>)[g.Prefix, g.FamilyName, g.GivenName, g.MiddleName])
        {
            if (part.Length == 0) continue;
            if (sb.Length > 0 && !(EndsWithCjk(sb) && StartsWithCjk(part))) sb.Append(' ');
            sb.Append(part);
        }
        if (g.Suffix.Length > 0)
        {
            if (sb.Length > 0) sb.Append(EndsWithCjk(sb) && StartsWithCjk(g.Suffix) ? "" : ", ");
            sb.Append(g.Suffix);
        }
        return sb.ToString();

        static bool StartsWithCjk(string s) => Rune.TryGetRuneAt(s, 0, out var r) && DicomValueText.IsCjk(r);
        static bool EndsWithCjk(StringBuilder sb)
        {
            var last = sb.Length - 1;
            if (char.IsLowSurrogate(sb[last]) && last > 0) return DicomValueText.IsCjk(new Rune(sb[last - 1], sb[last]));
            return Rune.TryCreate(sb[last], out var r) && DicomValueText.IsCjk(r);
        }
    }

    /// <summary>
    /// Normalises a person name — a stored PN value or a user's query — so that comparing or substring-searching
    /// the results is case-, accent- and delimiter-insensitive. The rule, in order:
    /// <list type="number">
    /// <item>Unicode NFD, then every non-spacing mark (category Mn) is removed — "é" becomes "e", "ü" becomes "u" —
    /// except the kana voicing marks U+3099/U+309A, so that "が" stays distinct from "か"; then NFC again, which
    /// recomposes Hangul syllables and voiced kana. Han characters pass through unchanged.</item>
    /// <item>Upper-casing with the invariant culture, then the Latin letters that have no decomposition are
    /// folded: ß/ẞ → SS, Æ → AE, Œ → OE, Ø → O, Ł → L, Đ/Ð → D, Ħ → H, Þ → TH.</item>
    /// <item>The delimiters "^" and "=" and any white space are separators. A run of separators becomes one
    /// space, except that a run made only of "^" and white space between two CJK characters (Han, kana, Hangul)
    /// is removed, since CJK names are written without spaces: "王^小东" and "王 小东" both become "王小东".
    /// A "=" (group boundary) always leaves a space. Leading and trailing separators are removed.</item>
    /// </list>
    /// Examples: "Müller^José" and "MULLER^JOSE" → "MULLER JOSE"; "Wang^XiaoDong=王^小东=" → "WANG XIAODONG 王小东";
    /// "Yamada^Tarou=山田^太郎=やまだ^たろう" → "YAMADA TAROU 山田太郎 やまだたろう".
    /// Other characters, including the query wildcards "*" and "?", are kept. Compatibility forms (e.g.
    /// full-width Latin letters) are not folded, as NFD leaves them alone.
    /// </summary>
    public static string NormalizeForMatching(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark && c is not ('\u3099' or '\u309A')) continue;
            sb.Append(c);
        }
        var upper = sb.ToString().Normalize(NormalizationForm.FormC).ToUpperInvariant();

        sb.Clear();
        var pending = Separator.None;
        var previous = default(Rune);
        foreach (var rune in upper.EnumerateRunes())
        {
            if (rune.Value == '=')
            {
                pending = Separator.Group;
                continue;
            }
            if (rune.Value == '^' || Rune.IsWhiteSpace(rune))
            {
                if (pending == Separator.None) pending = Separator.Component;
                continue;
            }
            if (pending != Separator.None && sb.Length > 0
                && (pending == Separator.Group || !(DicomValueText.IsCjk(previous) && DicomValueText.IsCjk(rune))))
            {
                sb.Append(' ');
            }
            pending = Separator.None;
            AppendFolded(sb, rune);
            previous = rune;
        }
        return sb.ToString();
    }

    private enum Separator { None, Component, Group }

    private static void AppendFolded(StringBuilder sb, Rune rune)
    {
        var folded = rune.Value switch
        {
            'ß' or 'ẞ' => "SS",
            'Æ' => "AE",
            'Œ' => "OE",
            'Ø' => "O",
            'Ł' => "L",
            'Đ' or 'Ð' => "D",
            'Ħ' => "H",
            'Þ' => "TH",
            _ => null,
        };
        if (folded is not null)
        {
            sb.Append(folded);
            return;
        }
        Span<char> utf16 = stackalloc char[2];
        sb.Append(utf16[..rune.EncodeToUtf16(utf16)]);
    }

    /// <summary>Group-wise, component-wise ordinal equality (so equal names have equal <see cref="ToString"/>).</summary>
    public bool Equals(DicomPersonName? other) =>
        other is not null && Alphabetic.Equals(other.Alphabetic) && Ideographic.Equals(other.Ideographic) && Phonetic.Equals(other.Phonetic);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as DicomPersonName);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Alphabetic, Ideographic, Phonetic);
}
