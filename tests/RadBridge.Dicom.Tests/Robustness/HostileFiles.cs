using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace RadBridge.Dicom.Tests.Robustness;

/// <summary>Synthetic hostile files that mutation of a real sample would not reach: extreme nesting, deflate bombs.</summary>
internal static class HostileFiles
{
    public const string ExplicitLE = "1.2.840.10008.1.2.1";
    public const string ImplicitLE = "1.2.840.10008.1.2";
    public const string Deflated = "1.2.840.10008.1.2.1.99";

    /// <summary>Preamble, "DICM" and a File Meta naming <paramref name="transferSyntax"/>.</summary>
    public static byte[] Part10Head(string transferSyntax)
    {
        var meta = new MemoryStream();
        WriteShort(meta, 0x0002, 0x0001, "OB", [0x00, 0x01], longForm: true);
        WriteShort(meta, 0x0002, 0x0002, "UI", Even("1.2.840.10008.5.1.4.1.1.7"));
        WriteShort(meta, 0x0002, 0x0003, "UI", Even("1.2.3.4"));
        WriteShort(meta, 0x0002, 0x0010, "UI", Even(transferSyntax));
        var head = new MemoryStream();
        head.Write(new byte[128]);
        head.Write("DICM"u8);
        WriteShort(head, 0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)meta.Length));
        meta.Position = 0;
        meta.CopyTo(head);
        return head.ToArray();
    }

    /// <summary>
    /// <paramref name="levels"/> sequences (0040,A730) nested in each other, each with one item, the innermost item holding
    /// (0010,0010) PN "DEEP". Undefined lengths end with delimiters; defined lengths are computed from the inside out.
    /// <paramref name="asUN"/>: the outermost is a private UN of undefined length (read as a sequence per CP-246), with
    /// everything inside it Implicit VR Little Endian. Written front to back in one pass (10,000 levels are quick).
    /// </summary>
    public static byte[] NestedSequences(int levels, bool explicitVR, bool undefinedLength, bool asUN = false)
    {
        if (asUN && !undefinedLength) throw new ArgumentException("a UN read as a sequence has an undefined length", nameof(asUN));
        var innerExplicit = explicitVR && !asUN;
        var inner = Element(0x0010, 0x0010, "PN", "DEEP"u8.ToArray(), innerExplicit);
        var seqHeader = innerExplicit ? 12 : 8;
        // Size of everything from level k inwards (k = 0 is the innermost element).
        var sizes = new long[levels + 1];
        sizes[0] = inner.Length;
        for (var k = 1; k <= levels; k++)
            sizes[k] = (k == levels && asUN ? 12 : seqHeader) + 8 + sizes[k - 1] + (undefinedLength ? 16 : 0);
        if (sizes[levels] > int.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(levels), "too deep to build");

        var s = new MemoryStream((int)sizes[levels] + 512);
        s.Write(Part10Head(explicitVR || asUN ? ExplicitLE : ImplicitLE));
        s.Write(Element(0x0008, 0x0060, "CS", "OT"u8.ToArray(), explicitVR || asUN));
        for (var k = levels; k >= 1; k--)
        {
            var itemLength = undefinedLength ? 0xFFFFFFFFu : (uint)sizes[k - 1];
            var seqLength = undefinedLength ? 0xFFFFFFFFu : (uint)(8 + sizes[k - 1]);
            if (k == levels && asUN)
            {
                Tag(s, 0x0009, 0x1010);
                s.Write("UN"u8);
                s.Write(new byte[2]);
                s.Write(BitConverter.GetBytes(0xFFFFFFFFu));
            }
            else if (innerExplicit)
            {
                Tag(s, 0x0040, 0xA730);
                s.Write("SQ"u8);
                s.Write(new byte[2]);
                s.Write(BitConverter.GetBytes(seqLength));
            }
            else
            {
                Header(s, 0x0040, 0xA730, seqLength);
            }
            Header(s, 0xFFFE, 0xE000, itemLength);
        }
        s.Write(inner);
        if (undefinedLength)
        {
            for (var k = 1; k <= levels; k++)
            {
                Header(s, 0xFFFE, 0xE00D, 0);
                Header(s, 0xFFFE, 0xE0DD, 0);
            }
        }
        return s.ToArray();
    }

    /// <summary>A deflated data set of many small elements that inflates to about <paramref name="inflatedBytes"/>.</summary>
    public static byte[] DeflateBombManyElements(long inflatedBytes)
    {
        var output = new MemoryStream();
        output.Write(Part10Head(Deflated));
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            // One private creator, then private OB elements of 4 KiB of zeros in ascending tags, repeated in
            // many private groups: compresses about 1000:1.
            var zeros = new byte[4096];
            long written = 0;
            for (ushort group = 0x0009; written < inflatedBytes && group < 0x7FE0; group += 2)
            {
                deflate.Write(Element(group, 0x0010, "LO", Even("BOMB"), explicitVR: true));
                for (var e = 0x1000; e <= 0x10FF && written < inflatedBytes; e++)
                {
                    deflate.Write(Element(group, (ushort)e, "OB", zeros, explicitVR: true));
                    written += zeros.Length + 12;
                }
            }
        }
        return output.ToArray();
    }

    /// <summary>A deflated data set whose one element claims <paramref name="claimed"/> bytes and holds that many zeros (up to what is given).</summary>
    public static byte[] DeflateBombOneElement(uint claimed, long actual)
    {
        var output = new MemoryStream();
        output.Write(Part10Head(Deflated));
        using (var deflate = new DeflateStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            var header = new byte[12];
            BinaryPrimitives.WriteUInt16LittleEndian(header, 0x0009);
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(2), 0x1010);
            "OB"u8.CopyTo(header.AsSpan(4));
            BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), claimed);
            deflate.Write(header);
            var zeros = new byte[1 << 20];
            for (long done = 0; done < actual; done += zeros.Length)
                deflate.Write(zeros, 0, (int)Math.Min(zeros.Length, actual - done));
        }
        return output.ToArray();
    }

    public static byte[] Element(ushort group, ushort element, string vr, byte[] value, bool explicitVR)
    {
        var s = new MemoryStream();
        if (explicitVR) WriteShort(s, group, element, vr, value, longForm: vr is "OB" or "OW" or "UN" or "UT" or "SQ");
        else
        {
            Header(s, group, element, (uint)value.Length);
            s.Write(value);
        }
        return s.ToArray();
    }

    private static void WriteShort(Stream s, ushort group, ushort element, string vr, byte[] value, bool longForm = false)
    {
        Tag(s, group, element);
        s.Write(Encoding.ASCII.GetBytes(vr));
        if (longForm)
        {
            s.Write(new byte[2]);
            s.Write(BitConverter.GetBytes((uint)value.Length));
        }
        else
        {
            s.Write(BitConverter.GetBytes((ushort)value.Length));
        }
        s.Write(value);
    }

    private static void Header(Stream s, ushort group, ushort element, uint length)
    {
        Tag(s, group, element);
        s.Write(BitConverter.GetBytes(length));
    }

    private static void Tag(Stream s, ushort group, ushort element)
    {
        s.Write(BitConverter.GetBytes(group));
        s.Write(BitConverter.GetBytes(element));
    }

    private static byte[] Even(string text)
    {
        var b = Encoding.ASCII.GetBytes(text);
        return b.Length % 2 == 0 ? b : [.. b, 0];
    }
}
