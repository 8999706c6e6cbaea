using System.Buffers.Text;
using System.Collections.ObjectModel;
using System.Text;

namespace RadBridge.Dicom;

/// <summary>
/// Reads the table that tools/RadBridge.DictionaryGenerator writes into DicomDictionaryData.g.cs. The table is a
/// UTF-8 literal parsed once on first use rather than thousands of constructor calls: a method that size takes
/// the JIT far longer than parsing the bytes does, and the command line pays that on every start.
/// </summary>
internal static partial class DicomDictionaryData
{
    private static readonly ReadOnlyCollection<DicomVR> NoVR = Array.AsReadOnly(new[] { DicomVR.None });

    /// <summary>Parses rows of the form documented on <c>Rows</c> in the generated file.</summary>
    internal static DicomDictionaryEntry[] Parse(ReadOnlySpan<byte> rows, int expectedCount)
    {
        var entries = new List<DicomDictionaryEntry>(expectedCount);
        // Few distinct VR lists and VMs exist (dozens), so each is decoded once and shared.
        var vrLists = new SmallCache<ReadOnlyCollection<DicomVR>>();
        var vms = new SmallCache<string>();
        var previousCreator = "";
        ReadOnlySpan<byte> previousCreatorBytes = default;
        var lineNumber = 0;
        while (!rows.IsEmpty)
        {
            lineNumber++;
            var end = rows.IndexOf((byte)'\n');
            var line = end < 0 ? rows : rows[..end];
            rows = end < 0 ? default : rows[(end + 1)..];
            line = line.TrimEnd((byte)'\r').TrimStart((byte)' ');
            if (line.IsEmpty) continue;

            var tag = ParseHex(NextField(ref line, lineNumber), lineNumber);
            var mask = ParseHex(NextField(ref line, lineNumber), lineNumber);
            var vrs = VRList(NextField(ref line, lineNumber), vrLists, lineNumber);
            var vm = Intern(NextField(ref line, lineNumber), vms);
            var retired = NextField(ref line, lineNumber) is [(byte)'1'];
            var keywordBytes = NextField(ref line, lineNumber);
            var keyword = Encoding.UTF8.GetString(keywordBytes);
            var nameBytes = NextField(ref line, lineNumber, last: true);
            var name = nameBytes.SequenceEqual(keywordBytes) ? keyword : Encoding.UTF8.GetString(nameBytes);
            string? creator = null;
            if (!line.IsEmpty)
            {
                // Private rows arrive grouped by creator: reuse the previous string rather than decode it again.
                if (!line.SequenceEqual(previousCreatorBytes))
                {
                    previousCreator = Encoding.UTF8.GetString(line);
                    previousCreatorBytes = line;
                }
                creator = previousCreator;
            }
            entries.Add(new DicomDictionaryEntry(new DicomTag(tag), mask, vrs, vm, keyword, name, retired, creator));
        }
        return [.. entries];
    }

    /// <summary>
    /// The next tab-separated field. The name is read with <paramref name="last"/> set: it may end the row, or be
    /// followed by the private creator, which <paramref name="line"/> then holds.
    /// </summary>
    private static ReadOnlySpan<byte> NextField(ref ReadOnlySpan<byte> line, int lineNumber, bool last = false)
    {
        var tab = line.IndexOf((byte)'\t');
        if (tab < 0)
        {
            if (!last) throw new InvalidDataException($"dictionary row {lineNumber}: too few fields");
            var all = line;
            line = default;
            return all;
        }
        var field = line[..tab];
        line = line[(tab + 1)..];
        return field;
    }

    private static uint ParseHex(ReadOnlySpan<byte> field, int lineNumber) =>
        Utf8Parser.TryParse(field, out uint value, out var consumed, 'X') && consumed == field.Length
            ? value
            : throw new InvalidDataException($"dictionary row {lineNumber}: bad hex number");

    private static ReadOnlyCollection<DicomVR> VRList(ReadOnlySpan<byte> field, SmallCache<ReadOnlyCollection<DicomVR>> cache, int lineNumber)
    {
        if (field.IsEmpty) return NoVR;
        // "OW/US/SS" is the longest list (8 bytes), so the bytes themselves make the key.
        if (field.Length > 8) throw new InvalidDataException($"dictionary row {lineNumber}: VR list too long");
        var key = Pack(field);
        if (cache.TryGetValue(key, out var list)) return list;
        var vrs = new DicomVR[(field.Length + 1) / 3];
        for (var i = 0; i < vrs.Length; i++)
        {
            if (!DicomVRInfo.TryParse(field[i * 3], field[i * 3 + 1], out vrs[i]))
                throw new InvalidDataException($"dictionary row {lineNumber}: unknown VR");
        }
        list = Array.AsReadOnly(vrs);
        cache.Add(key, list);
        return list;
    }

    private static string Intern(ReadOnlySpan<byte> field, SmallCache<string> cache)
    {
        if (field.Length > 8) return Encoding.UTF8.GetString(field);
        var key = Pack(field);
        if (!cache.TryGetValue(key, out var s))
        {
            s = Encoding.UTF8.GetString(field);
            cache.Add(key, s);
        }
        return s;
    }

    /// <summary>
    /// A few dozen values keyed by a number, searched linearly: cheaper here than a Dictionary keyed by a value
    /// type, whose code the JIT would have to compile for this one use on every start.
    /// </summary>
    private sealed class SmallCache<T>
        where T : class
    {
        private ulong[] _keys = new ulong[64];
        private T[] _values = new T[64];
        private int _count;

        public bool TryGetValue(ulong key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out T value)
        {
            var i = Array.IndexOf(_keys, key, 0, _count);
            value = i < 0 ? null : _values[i];
            return i >= 0;
        }

        public void Add(ulong key, T value)
        {
            if (_count == _keys.Length)
            {
                Array.Resize(ref _keys, _count * 2);
                Array.Resize(ref _values, _count * 2);
            }
            _keys[_count] = key;
            _values[_count++] = value;
        }
    }

    /// <summary>Up to 8 non-NUL bytes as a number: distinct texts give distinct keys.</summary>
    private static ulong Pack(ReadOnlySpan<byte> bytes)
    {
        ulong key = 0;
        foreach (var b in bytes) key = (key << 8) | b;
        return key;
    }
}
