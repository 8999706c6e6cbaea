using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.ObjectModel;
using System.Text;

namespace RadBridge.Dicom;

/// <summary>
/// The character set of a data set's text, built from the values of Specific Character Set (0008,0005): decodes stored
/// values to Unicode and encodes Unicode back, by the rules of PS3.5 Section 6.1 and PS3.3 Section C.12.1.1.2.
/// </summary>
/// <remarks>
/// <para>Supported: the default repertoire (ISO 646); the single-byte sets without code extensions (ISO_IR 100, 101,
/// 109, 110, 144, 127, 126, 138, 148, 203, 13, 166); UTF-8 (ISO_IR 192), GB18030 and GBK; and ISO 2022 code extensions
/// with ISO 2022 IR 6, 100, 101, 109, 110, 144, 127, 126, 138, 148, 203, 13, 166, 87, 159, 149 and 58. The terms and
/// their escape sequences live in one table, Data/character-sets.tsv (PS3.3 Tables C.12-2 to C.12-5).</para>
/// <para>Reading is lenient and never throws: unknown terms fall back to the default repertoire with a
/// <see cref="Warnings">warning</see>, bytes above 7F that no set claims read as ISO 8859-1, and invalid bytes become
/// U+FFFD. Writing is strict: a character the set cannot hold throws <see cref="DicomCharacterSetException"/>.</para>
/// <para>Instances are immutable, thread-safe and cached per distinct list of terms.</para>
/// <para>Known simplifications: JIS X 0201 Romaji (ISO-IR 14, in G0 with ISO 2022 IR 13) is read and written as
/// ASCII, so 5C is the DICOM backslash rather than YEN SIGN, as pydicom and DCMTK do. GB18030 and GBK follow
/// GB 18030-2022: .NET's code page tables predate it for 19 codes, corrected through Data/gb18030-2022.tsv.</para>
/// </remarks>
public sealed class DicomTextEncoding
{
    private const int MaxCachedInstances = 512;

    private static readonly ConcurrentDictionary<string, DicomTextEncoding> Cache = new(StringComparer.Ordinal);
    private static readonly char[] TermPadding = [' ', '\0', '\t', '\r', '\n'];
    private static readonly ReadOnlyCollection<string> NoTerms = Array.AsReadOnly(Array.Empty<string>());
    private static readonly ReadOnlyCollection<string> Latin1Terms = Array.AsReadOnly(new[] { "ISO_IR 100" });
    private static readonly ReadOnlyCollection<string> Utf8Terms = Array.AsReadOnly(new[] { "ISO_IR 192" });

    private readonly Mode _mode;
    private readonly string _display;
    private readonly char[]? _byteToChar;
    private readonly GraphicSet? _g1;
    private readonly Encoding? _utf8;
    private readonly ChineseCodec? _chinese;
    private readonly GraphicSet _initialG0 = CharacterSetTable.Ascii;
    private readonly GraphicSet? _initialG1;
    private readonly GraphicSet[] _sets = [];

    private enum Mode : byte
    {
        /// <summary>No (known) Specific Character Set: ISO 646, high bytes read as ISO 8859-1.</summary>
        Default,
        /// <summary>One term of Table C.12-2: one byte per character, no escape sequences.</summary>
        SingleByte,
        /// <summary>ISO_IR 192, GB18030 or GBK (Table C.12-5).</summary>
        StandAlone,
        /// <summary>ISO 2022 terms (Tables C.12-3, C.12-4), or several values.</summary>
        Iso2022,
    }

    private DicomTextEncoding(string[] terms)
    {
        var warnings = new List<string>();
        var resolved = new DefinedTerm?[terms.Length];
        for (var i = 0; i < terms.Length; i++)
        {
            resolved[i] = terms[i].Length == 0 ? null : Resolve(terms[i], warnings);
        }
        SpecificCharacterSet = Array.AsReadOnly(terms);
        _display = string.Join('\\', terms);

        var first = resolved.Length > 0 ? resolved[0] : null;
        if (terms.Length == 0 || (terms.Length == 1 && (first is null || first.IsDefaultRepertoire)))
        {
            _mode = Mode.Default; // no term, or one that is unknown (warned about in Resolve) or an alias of none
        }
        else if (first is { StandAlone: { } standAlone })
        {
            if (terms.Length > 1) warnings.Add($"\"{terms[0]}\" cannot be used with code extensions (PS3.5 6.1.2.5.4); values 2 to {terms.Length} are ignored");
            _mode = Mode.StandAlone;
            if (standAlone == SetCodec.Utf8) _utf8 = CodePages.Utf8;
            else _chinese = standAlone == SetCodec.Gb18030 ? ChineseCodec.Gb18030 : ChineseCodec.Gbk;
        }
        else if (terms.Length == 1 && first is { HasCodeExtensions: false })
        {
            _mode = Mode.SingleByte;
            _g1 = first.G1!;
            _byteToChar = new char[256];
            for (var b = 0; b < 0xA0; b++) _byteToChar[b] = (char)b;
            for (var b = 0xA0; b < 0x100; b++) _byteToChar[b] = _g1.DecodeHigh((byte)b);
        }
        else
        {
            _mode = Mode.Iso2022;
            var sets = new List<GraphicSet>();
            if (first is not null && !first.IsDefaultRepertoire)
            {
                if (!first.HasCodeExtensions && terms.Length > 1)
                    warnings.Add($"value 1 \"{terms[0]}\" is a term without code extensions; read as its ISO 2022 form");
                if (first.IsMultiByte)
                {
                    warnings.Add($"value 1 \"{terms[0]}\" is a multi-byte set, which PS3.3 C.12.1.1.2 allows only as value 2 or later");
                    if (first.G0 is not null) warnings.Add($"ISO 646 stays in G0 until an escape sequence designates {first.G0.Registration}");
                }
                if (first.G0 is { IsAsciiLike: true }) _initialG0 = first.G0;
                _initialG1 = first.G1;
                AddSets(sets, first);
            }
            for (var i = 1; i < terms.Length; i++)
            {
                var term = resolved[i];
                if (term is null)
                {
                    if (terms[i].Length == 0) warnings.Add($"value {i + 1} of Specific Character Set is empty and is ignored");
                }
                else if (term.StandAlone is not null)
                {
                    warnings.Add($"\"{terms[i]}\" cannot be used with code extensions (PS3.5 6.1.2.5.4) and is ignored");
                }
                else
                {
                    if (!term.HasCodeExtensions && !term.IsDefaultRepertoire)
                        warnings.Add($"value {i + 1} \"{terms[i]}\" is a term without code extensions; read as its ISO 2022 form");
                    AddSets(sets, term);
                }
            }
            _sets = [.. sets];
        }
        Warnings = warnings.Count == 0 ? NoTerms : warnings.AsReadOnly();

        static void AddSets(List<GraphicSet> sets, DefinedTerm term)
        {
            if (term.G0 is not null && !sets.Contains(term.G0)) sets.Add(term.G0);
            if (term.G1 is not null && !sets.Contains(term.G1)) sets.Add(term.G1);
        }
    }

    /// <summary>The default character repertoire (no Specific Character Set): ISO 646; bytes above 7F read as ISO 8859-1.</summary>
    public static DicomTextEncoding Default { get; } = new([]);

    /// <summary>The values of Specific Character Set this encoding was built from, trimmed; empty for <see cref="Default"/>.</summary>
    public IReadOnlyList<string> SpecificCharacterSet { get; }

    /// <summary>
    /// Problems found in the terms: unknown or misspelt terms, combinations the standard does not allow. Empty when the
    /// terms are as PS3.3 defines them.
    /// </summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when values may contain ISO 2022 escape sequences (several values, or an "ISO 2022 ..." term).</summary>
    public bool UsesCodeExtensions => _mode == Mode.Iso2022;

    /// <summary>
    /// The encoding for the values of Specific Character Set (0008,0005). Null or no values give <see cref="Default"/>;
    /// values are trimmed of padding; an empty value 1 followed by ISO 2022 terms means ISO 2022 IR 6 initially. Never
    /// throws for bad terms: see <see cref="Warnings"/>.
    /// </summary>
    public static DicomTextEncoding FromSpecificCharacterSet(IReadOnlyList<string>? terms)
    {
        if (terms is null || terms.Count == 0) return Default;
        if (terms.Count == 1)
        {
            var single = (terms[0] ?? "").Trim(TermPadding);
            return single.Length == 0 ? Default : Cached(single, [single]);
        }
        var trimmed = new string[terms.Count];
        var count = 0;
        for (var i = 0; i < trimmed.Length; i++)
        {
            trimmed[i] = (terms[i] ?? "").Trim(TermPadding);
            if (trimmed[i].Length > 0) count = i + 1;
        }
        // Trailing empty values carry no meaning; "" alone is the default repertoire.
        if (count == 0) return Default;
        if (count < trimmed.Length) Array.Resize(ref trimmed, count);
        return count == 1 ? Cached(trimmed[0], trimmed) : Cached(string.Join('\\', trimmed), trimmed);
    }

    /// <summary>
    /// The Specific Character Set to declare for <paramref name="text"/>: none for ASCII, "ISO_IR 100" when ISO 8859-1
    /// suffices, <paramref name="preferred"/> when it is a term without code extensions (e.g. "GB18030") that can
    /// represent the text, else "ISO_IR 192". A preferred "ISO_IR 192" is taken for any non-ASCII text.
    /// </summary>
    public static IReadOnlyList<string> ChooseFor(string text, string? preferred = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Ascii.IsValid(text)) return NoTerms;
        var wanted = preferred?.Trim(TermPadding);
        if (wanted == "ISO_IR 192") return Utf8Terms;
        if (FromSpecificCharacterSet(Latin1Terms).CanEncode(text, DicomVR.UT)) return Latin1Terms;
        if (!string.IsNullOrEmpty(wanted))
        {
            var candidate = FromSpecificCharacterSet([wanted]);
            if (candidate is { Warnings.Count: 0, UsesCodeExtensions: false } && !ReferenceEquals(candidate, Default)
                && candidate.CanEncode(text, DicomVR.UT))
            {
                return candidate.SpecificCharacterSet;
            }
        }
        return Utf8Terms;
    }

    /// <summary>
    /// Decodes a whole stored value (all its backslash-separated values) to Unicode. Padding is not removed. VRs that
    /// do not use Specific Character Set (AE, CS, DA, UI, ...) read as ISO 8859-1 whatever the character set.
    /// </summary>
    /// <remarks>Split multiple values on the returned string, not on the bytes: in GB18030 and GBK, and in ISO 2022
    /// two-byte sets, byte 5C can be half of a character.</remarks>
    public string Decode(ReadOnlySpan<byte> value, DicomVR vr)
    {
        if (value.IsEmpty) return string.Empty;
        // ASCII is ASCII in every supported set; only ISO 2022 needs a look for escape sequences first.
        if ((Ascii.IsValid(value) && (_mode != Mode.Iso2022 || !value.Contains((byte)0x1B))) || !vr.UsesSpecificCharacterSet())
        {
            return Encoding.Latin1.GetString(value);
        }
        return _mode switch
        {
            Mode.SingleByte => DecodeSingleByte(value, _byteToChar!),
            Mode.StandAlone => _chinese?.Decode(value) ?? _utf8!.GetString(value),
            Mode.Iso2022 => Iso2022.Decode(value, vr, _initialG0, _initialG1),
            _ => Encoding.Latin1.GetString(value),
        };
    }

    /// <summary>
    /// Encodes a value (multiple values joined by backslash) in this character set, with ISO 2022 escape sequences where
    /// characters need another set, returning to the initial sets before delimiters and at the end (PS3.5 6.1.2.5.3).
    /// No padding is added.
    /// </summary>
    /// <exception cref="DicomCharacterSetException">A character the character set cannot represent; for VRs without
    /// Specific Character Set, any non-ASCII character.</exception>
    public byte[] Encode(string value, DicomVR vr)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (IsAsciiOnly(value)) return Encoding.ASCII.GetBytes(value);
        var sink = new ByteSink(value.Length * 3 + 8);
        try
        {
            var failed = EncodeCore(value, vr, ref sink);
            if (failed >= 0) throw Unrepresentable(value, vr, failed);
            return sink.Written.ToArray();
        }
        finally
        {
            sink.Dispose();
        }
    }

    /// <summary>As <see cref="Encode(string, DicomVR)"/>, writing to <paramref name="destination"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="DicomCharacterSetException">A character the character set cannot represent; nothing is written.</exception>
    public int Encode(ReadOnlySpan<char> value, DicomVR vr, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (IsAsciiOnly(value))
        {
            var n = Encoding.ASCII.GetBytes(value, destination.GetSpan(value.Length));
            destination.Advance(n);
            return n;
        }
        var sink = new ByteSink(value.Length * 3 + 8);
        try
        {
            var failed = EncodeCore(value, vr, ref sink);
            if (failed >= 0) throw Unrepresentable(value, vr, failed);
            destination.Write(sink.Written);
            return sink.Written.Length;
        }
        finally
        {
            sink.Dispose();
        }
    }

    /// <summary>True when <see cref="Encode(string, DicomVR)"/> would succeed.</summary>
    public bool CanEncode(ReadOnlySpan<char> value, DicomVR vr)
    {
        if (IsAsciiOnly(value)) return true;
        var sink = new ByteSink(value.Length * 3 + 8);
        try
        {
            return EncodeCore(value, vr, ref sink) < 0;
        }
        finally
        {
            sink.Dispose();
        }
    }

    /// <summary>The terms, backslash-separated, or "default repertoire".</summary>
    public override string ToString() => _display.Length == 0 ? "default repertoire" : _display;

    private static DicomTextEncoding Cached(string key, string[] terms)
    {
        if (Cache.TryGetValue(key, out var cached)) return cached;
        var created = new DicomTextEncoding(terms);
        // Term lists come from the data; a peer sending endless distinct lists must not grow the cache for ever.
        return Cache.Count < MaxCachedInstances ? Cache.GetOrAdd(key, created) : created;
    }

    private static DefinedTerm? Resolve(string term, List<string> warnings)
    {
        if (CharacterSetTable.Terms.TryGetValue(term, out var definedTerm) && !definedTerm.IsDefaultRepertoire) return definedTerm;
        if (CharacterSetTable.TryResolveAlias(term, out definedTerm))
        {
            warnings.Add(definedTerm.IsDefaultRepertoire
                ? $"\"{term}\" is not a defined term; read as the default repertoire (no Specific Character Set)"
                : $"\"{term}\" is not a defined term; read as \"{definedTerm.Term}\"");
            return definedTerm;
        }
        warnings.Add($"unknown Specific Character Set term \"{term}\": the default repertoire is used in its place, bytes above 7F read as ISO 8859-1");
        return null;
    }

    private bool IsAsciiOnly(ReadOnlySpan<char> value) =>
        Ascii.IsValid(value) && (_mode != Mode.Iso2022 || !value.Contains('\u001B'));

    private static string DecodeSingleByte(ReadOnlySpan<byte> value, char[] map)
    {
        char[]? rented = null;
        var chars = value.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(value.Length));
        try
        {
            for (var i = 0; i < value.Length; i++) chars[i] = map[value[i]];
            return new string(chars[..value.Length]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    // Returns -1, or the index of the first character that cannot be represented.
    private int EncodeCore(ReadOnlySpan<char> value, DicomVR vr, ref ByteSink sink)
    {
        if (!vr.UsesSpecificCharacterSet() || _mode == Mode.Default)
        {
            var nonAscii = value.IndexOfAnyExceptInRange('\0', '\u007F');
            if (nonAscii >= 0) return nonAscii;
            Encoding.ASCII.GetBytes(value, sink.GetSpan(value.Length));
            sink.Advance(value.Length);
            return -1;
        }
        switch (_mode)
        {
            case Mode.SingleByte:
                for (var i = 0; i < value.Length; i++)
                {
                    var c = value[i];
                    if (c < 0x80) sink.Add((byte)c);
                    else if (_g1!.TryEncodeHigh(c, out var b)) sink.Add(b);
                    else return i;
                }
                return -1;
            case Mode.StandAlone:
                return EncodeStandAlone(value, ref sink);
            default:
                return Iso2022.Encode(value, vr, _initialG0, _initialG1, _sets, ref sink);
        }
    }

    private int EncodeStandAlone(ReadOnlySpan<char> value, ref ByteSink sink)
    {
        if (_chinese is not null) return _chinese.Encode(value, ref sink);
        // .NET's UTF-8 encoder replaces a lone surrogate instead of reporting it; every other character is representable.
        var loneSurrogate = IndexOfLoneSurrogate(value);
        if (loneSurrogate >= 0) return loneSurrogate;
        var count = _utf8!.GetByteCount(value);
        sink.Advance(_utf8.GetBytes(value, sink.GetSpan(count)));
        return -1;
    }

    private static int IndexOfLoneSurrogate(ReadOnlySpan<char> value)
    {
        var i = value.IndexOfAnyInRange('\uD800', '\uDFFF');
        while (i >= 0)
        {
            if (!char.IsHighSurrogate(value[i]) || i + 1 == value.Length || !char.IsLowSurrogate(value[i + 1])) return i;
            var next = value[(i + 2)..].IndexOfAnyInRange('\uD800', '\uDFFF');
            i = next < 0 ? -1 : i + 2 + next;
        }
        return -1;
    }

    private DicomCharacterSetException Unrepresentable(ReadOnlySpan<char> value, DicomVR vr, int index)
    {
        var codePoint = index + 1 < value.Length && char.IsSurrogatePair(value[index], value[index + 1])
            ? char.ConvertToUtf32(value[index], value[index + 1])
            : value[index];
        return new DicomCharacterSetException(_display, vr, index, codePoint);
    }
}
