using System.Buffers.Binary;
using System.IO.Compression;

namespace RadBridge.Dicom.Tests.Robustness;

/// <summary>One hostile input: its bytes and how it was made (printed when a check fails, to reproduce it).</summary>
internal sealed record HostileInput(string Description, byte[] Bytes, DicomReadOptions? Options = null)
{
    public override string ToString() => Description;
}

/// <summary>
/// Derives damaged files from a real sample, deterministically from a seed: bit flips, byte overwrites, truncations,
/// inflated or odd length fields, bogus VR codes, spliced chunks, garbage fragment items. A deflated sample is mutated
/// both in its compressed bytes and in its inflated data set (compressed again), so the damage reaches the parser.
/// </summary>
internal sealed class Mutator
{
    private static readonly byte[][] BogusVRs = ["??"u8.ToArray(), "\0\0"u8.ToArray(), "ZZ"u8.ToArray(), "ob"u8.ToArray(), "OB"u8.ToArray(), "SQ"u8.ToArray(),
        "UN"u8.ToArray(), "US"u8.ToArray(), "UT"u8.ToArray(), "AT"u8.ToArray(), "FD"u8.ToArray(), [0xFF, 0xFF]];

    private static readonly uint[] HostileLengths = [0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFF0, 0x7FFFFFFF, 0x80000000, 0xC0000000, 0x10000000, 0, 1, 3, 0xFFFF, 0x10001];

    private readonly string _name;
    private readonly byte[] _original;
    private readonly byte[] _plain; // the bytes whose structure is mapped: the file, or head + inflated data set
    private readonly int _deflateAt; // where the deflated data set starts in _plain (and the original), or -1
    private readonly List<HeaderSite> _sites;
    private readonly List<HeaderSite> _lengthSites;
    private readonly List<HeaderSite> _vrSites;
    private readonly List<HeaderSite> _fragmentSites;

    public Mutator(string name, byte[] original)
    {
        _name = name;
        _original = original;
        var start = ElementMap.DatasetStart(original, out var explicitVR, out var little);
        _deflateAt = IsDeflated(original) ? start : -1;
        if (_deflateAt >= 0)
        {
            using var inflater = new DeflateStream(new MemoryStream(original, start, original.Length - start), CompressionMode.Decompress);
            var inflated = new MemoryStream();
            inflater.CopyTo(inflated);
            _plain = [.. original.AsSpan(0, start), .. inflated.ToArray()];
        }
        else
        {
            _plain = original;
        }
        _sites = ElementMap.Find(_plain, start, explicitVR, little);
        _lengthSites = [.. _sites.Where(s => !s.IsFragment)];
        _vrSites = [.. _sites.Where(s => s.VROffset >= 0)];
        _fragmentSites = [.. _sites.Where(s => s.IsFragment)];
    }

    /// <summary>Headers found (for a sanity check that the map sees the sample's structure).</summary>
    public int HeaderCount => _sites.Count;

    public bool HasFragments => _fragmentSites.Count > 0;

    /// <summary>The <paramref name="index"/>-th mutation for <paramref name="seed"/>; the same arguments always give the same bytes.</summary>
    public HostileInput Make(int seed, int index)
    {
        // Not HashCode.Combine: it is randomised per process, and a failure must reproduce.
        var rng = new Random(unchecked(seed * 1_000_003 + index * 7919 + StableHash(_name)));
        var kind = index % 10;
        // Deflated samples: half the mutations go to the compressed bytes, half to the inflated data set.
        var onPlain = _deflateAt < 0 || rng.Next(2) == 0;
        var bytes = (onPlain ? _plain : _original).ToArray();
        var what = kind switch
        {
            0 => BitFlips(rng, bytes),
            1 => Overwrite(rng, bytes),
            2 => Truncate(rng, ref bytes, onPlain),
            3 or 4 => InflateLength(rng, bytes, onPlain),
            5 => BogusVR(rng, bytes, onPlain),
            6 => Splice(rng, ref bytes),
            7 => GarbageFragment(rng, ref bytes, onPlain),
            8 => SiteOverwrite(rng, bytes, onPlain),
            _ => Combined(rng, ref bytes, onPlain),
        };
        if (_deflateAt >= 0 && onPlain && bytes.Length > _deflateAt) bytes = Deflate(bytes, _deflateAt);
        var where = _deflateAt >= 0 ? onPlain ? " (inflated data set, compressed again)" : " (compressed bytes)" : "";
        return new HostileInput($"{_name} seed {seed} #{index}: {what}{where}", bytes);
    }

    private static string BitFlips(Random rng, byte[] b)
    {
        var n = 1 + rng.Next(8);
        var at = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var pos = rng.Next(b.Length);
            var bit = rng.Next(8);
            b[pos] ^= (byte)(1 << bit);
            at.Add($"{pos}.{bit}");
        }
        return "bit flips at " + string.Join(',', at);
    }

    private static string Overwrite(Random rng, byte[] b)
    {
        var value = rng.Next(3) switch { 0 => (byte)0xFF, 1 => (byte)0x00, _ => (byte)rng.Next(256) };
        var pos = rng.Next(b.Length);
        var len = Math.Min(1 + rng.Next(16), b.Length - pos);
        b.AsSpan(pos, len).Fill(value);
        return $"{len} bytes at {pos} set to 0x{value:X2}";
    }

    private string Truncate(Random rng, ref byte[] b, bool onPlain)
    {
        // Offset classes: inside the preamble, inside/after a header (tag, VR, length field), inside a value, random.
        var sites = onPlain ? _sites : [];
        int cut;
        string cls;
        switch (rng.Next(5))
        {
            case 0:
                cut = rng.Next(Math.Min(140, b.Length));
                cls = "near the start";
                break;
            case 1 when sites.Count > 0:
            {
                var s = sites[rng.Next(sites.Count)];
                cut = s.Offset + rng.Next(13);
                cls = $"inside the header at {s.Offset}";
                break;
            }
            case 2 when sites.Count > 0:
            {
                var s = sites[rng.Next(sites.Count)];
                cut = s.Offset;
                cls = "at a header";
                break;
            }
            case 3:
                cut = b.Length - 1 - rng.Next(Math.Min(16, b.Length));
                cls = "near the end";
                break;
            default:
                cut = rng.Next(b.Length);
                cls = "anywhere";
                break;
        }
        cut = Math.Clamp(cut, 0, b.Length);
        b = b[..cut];
        return $"truncated at {cut} ({cls})";
    }

    private string InflateLength(Random rng, byte[] b, bool onPlain)
    {
        if (!onPlain || _lengthSites.Count == 0) return Overwrite(rng, b);
        var s = _lengthSites[rng.Next(_lengthSites.Count)];
        if (s.LengthOffset + s.LengthSize > b.Length) return Overwrite(rng, b);
        uint value;
        string how;
        var old = s.LengthSize == 4 ? Read32(b, s.LengthOffset, s.Little) : Read16(b, s.LengthOffset, s.Little);
        switch (rng.Next(4))
        {
            case 0:
                value = HostileLengths[rng.Next(HostileLengths.Length)];
                how = $"0x{value:X8}";
                break;
            case 1:
                value = old ^ 1u;
                how = "odd";
                break;
            case 2:
                value = (uint)rng.NextInt64(0, 0x1_0000_0000);
                how = "random";
                break;
            default:
                value = old + (uint)rng.Next(1, 64);
                how = "a little longer";
                break;
        }
        if (s.LengthSize == 2) value = value > 0xFFFF ? (value == 0xFFFFFFFF ? 0xFFFFu : value & 0xFFFF) : value;
        Write(b, s.LengthOffset, s.LengthSize, value, s.Little);
        return $"length of the {(s.IsItem ? "item" : "element")} at {s.Offset} set from {old} to {value} ({how})";
    }

    private string BogusVR(Random rng, byte[] b, bool onPlain)
    {
        if (!onPlain || _vrSites.Count == 0) return BitFlips(rng, b);
        var s = _vrSites[rng.Next(_vrSites.Count)];
        var vr = BogusVRs[rng.Next(BogusVRs.Length)];
        vr.CopyTo(b.AsSpan(s.VROffset));
        return $"VR of the element at {s.Offset} set to {Convert.ToHexString(vr)}";
    }

    private static string Splice(Random rng, ref byte[] b)
    {
        if (b.Length < 16) return "unchanged (too short to splice)";
        var from = rng.Next(b.Length - 8);
        var len = Math.Min(8 + rng.Next(256), b.Length - from);
        var to = rng.Next(b.Length);
        var chunk = b.AsSpan(from, len).ToArray();
        if (rng.Next(2) == 0)
        {
            b = [.. b.AsSpan(0, to), .. chunk, .. b.AsSpan(to)];
            return $"{len} bytes from {from} inserted at {to}";
        }
        var cut = Math.Min(len, b.Length - to);
        b = [.. b.AsSpan(0, to), .. b.AsSpan(to + cut)];
        return $"{cut} bytes removed at {to}";
    }

    private string GarbageFragment(Random rng, ref byte[] b, bool onPlain)
    {
        if (!onPlain || _fragmentSites.Count == 0) return SiteOverwrite(rng, b, onPlain);
        var s = _fragmentSites[rng.Next(_fragmentSites.Count)];
        switch (rng.Next(5))
        {
            case 0:
                Write(b, s.Offset, 4, rng.Next(2) == 0 ? 0x00100010u : (uint)rng.Next(), s.Little);
                return $"fragment item tag at {s.Offset} replaced";
            case 1:
                Write(b, s.LengthOffset, 4, HostileLengths[rng.Next(HostileLengths.Length)], s.Little);
                return $"fragment item length at {s.Offset} replaced";
            case 2:
            {
                // An item with undefined length, or a stray sequence delimiter, or a nested item header.
                byte[] garbage = rng.Next(3) switch
                {
                    0 => [0xFE, 0xFF, 0x00, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF],
                    1 => [0xFE, 0xFF, 0xDD, 0xE0, 0x00, 0x00, 0x00, 0x00],
                    _ => [0xFE, 0xFF, 0x0D, 0xE0, 0x04, 0x00, 0x00, 0x00],
                };
                b = [.. b.AsSpan(0, s.Offset), .. garbage, .. b.AsSpan(s.Offset)];
                return $"garbage item inserted at {s.Offset}";
            }
            case 3:
                b = b[..Math.Min(b.Length, s.Offset + 8)];
                return $"cut after the fragment item header at {s.Offset}";
            default:
                b.AsSpan(s.Offset, Math.Min(8, b.Length - s.Offset)).Fill(0xFF);
                return $"fragment item header at {s.Offset} set to 0xFF";
        }
    }

    private string SiteOverwrite(Random rng, byte[] b, bool onPlain)
    {
        if (!onPlain || _sites.Count == 0) return Overwrite(rng, b);
        var s = _sites[rng.Next(_sites.Count)];
        var value = rng.Next(2) == 0 ? (byte)0xFF : (byte)0x00;
        var pos = s.Offset + rng.Next(12);
        var len = Math.Min(1 + rng.Next(4), b.Length - pos);
        if (len <= 0) return Overwrite(rng, b);
        b.AsSpan(pos, len).Fill(value);
        return $"{len} header bytes at {pos} set to 0x{value:X2}";
    }

    private string Combined(Random rng, ref byte[] b, bool onPlain)
    {
        var first = InflateLength(rng, b, onPlain);
        var second = rng.Next(2) == 0 ? BitFlips(rng, b) : Truncate(rng, ref b, onPlain);
        return first + "; " + second;
    }

    private static bool IsDeflated(byte[] file)
    {
        var text = System.Text.Encoding.ASCII.GetString(file, 0, Math.Min(file.Length, 400));
        return text.Contains("1.2.840.10008.1.2.1.99", StringComparison.Ordinal);
    }

    internal static byte[] Deflate(byte[] plain, int at)
    {
        var output = new MemoryStream();
        output.Write(plain, 0, at);
        using (var deflate = new DeflateStream(output, CompressionLevel.Fastest, leaveOpen: true))
            deflate.Write(plain, at, plain.Length - at);
        return output.ToArray();
    }

    private static uint Read32(byte[] b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));

    private static uint Read16(byte[] b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(at));

    private static void Write(byte[] b, int at, int size, uint value, bool little)
    {
        if (at + size > b.Length) return;
        if (size == 2)
        {
            if (little) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), (ushort)value);
            else BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), (ushort)value);
        }
        else if (little) BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), value);
        else BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), value);
    }

    private static int StableHash(string s)
    {
        unchecked
        {
            var h = 17;
            foreach (var c in s) h = h * 31 + c;
            return h;
        }
    }
}
