using System.Buffers.Binary;
using System.Text;

namespace RadBridge.Dicom.Tests.Robustness;

/// <summary>Where one header of a data set's byte stream is: the tag, the VR bytes (explicit VR) and the length field.</summary>
internal readonly record struct HeaderSite(int Offset, int VROffset, int LengthOffset, int LengthSize, bool Little, bool IsItem, bool IsFragment);

/// <summary>
/// A deliberately independent, forgiving walk over a DICOM file's bytes that finds element, item and delimiter
/// headers, so mutations can aim at length fields and VR codes. It does not use the reader under test: it descends
/// into every sequence and item instead of trusting lengths, and stops at the first thing it does not understand.
/// </summary>
internal static class ElementMap
{
    private static readonly HashSet<string> LongVRs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

    /// <summary>Finds headers in a Part 10 file or a raw data set (uncompressed, not deflated).</summary>
    public static List<HeaderSite> Find(byte[] file) => Find(file, DatasetStart(file, out var explicitVR, out var little), explicitVR, little);

    /// <summary>Where the data set (after any File Meta) starts, and its encoding, judged from the bytes.</summary>
    public static int DatasetStart(byte[] file, out bool explicitVR, out bool little)
    {
        var pos = file.Length >= 132 && file.AsSpan(128, 4).SequenceEqual("DICM"u8) ? 132 : 0;
        string? ts = null;
        while (pos + 8 <= file.Length && BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos)) == 0x0002)
        {
            var element = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 2));
            var vr = Encoding.ASCII.GetString(file, pos + 4, 2);
            int header;
            long length;
            if (LongVRs.Contains(vr))
            {
                if (pos + 12 > file.Length) break;
                header = 12;
                length = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 8));
            }
            else
            {
                header = 8;
                length = BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 6));
            }
            if (pos + header + length > file.Length) break;
            if (element == 0x0010) ts = Encoding.ASCII.GetString(file, pos + header, (int)length).TrimEnd('\0', ' ');
            pos += header + (int)length;
        }
        little = ts != "1.2.840.10008.1.2.2";
        if (ts is null)
        {
            explicitVR = pos + 6 <= file.Length && char.IsAsciiLetterUpper((char)file[pos + 4]) && char.IsAsciiLetterUpper((char)file[pos + 5]);
            little = pos + 2 > file.Length || file[pos] != 0 || file[pos + 1] == 0;
        }
        else
        {
            explicitVR = ts != "1.2.840.10008.1.2";
        }
        return pos;
    }

    /// <summary>Every header from <paramref name="start"/> on, in file order; File Meta headers too when the file has them.</summary>
    public static List<HeaderSite> Find(byte[] file, int start, bool explicitVR, bool little)
    {
        var sites = new List<HeaderSite>();
        // File Meta (always explicit little endian) first.
        var metaPos = file.Length >= 132 && file.AsSpan(128, 4).SequenceEqual("DICM"u8) ? 132 : -1;
        if (metaPos > 0) Walk(file, metaPos, start, explicitVR: true, little: true, sites);
        Walk(file, start, file.Length, explicitVR, little, sites);
        return sites;
    }

    private static void Walk(byte[] b, int pos, int end, bool explicitVR, bool little, List<HeaderSite> sites)
    {
        var inFragments = false;
        while (pos + 8 <= end)
        {
            var group = little ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(pos)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(pos));
            var element = little ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(pos + 2)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(pos + 2));
            if (group == 0xFFFE)
            {
                var itemLength = Read32(b, pos + 4, little);
                sites.Add(new HeaderSite(pos, -1, pos + 4, 4, little, IsItem: true, IsFragment: inFragments));
                if (element == 0xE0DD) inFragments = false;
                // Fragments hold pixel bytes, not elements: skip them; items of sequences hold elements: descend.
                pos += 8 + (inFragments && element == 0xE000 && itemLength != 0xFFFFFFFF ? (int)Math.Min(itemLength, (uint)(end - pos - 8)) : 0);
                continue;
            }
            if (inFragments) return;
            uint length;
            int header;
            var vrOffset = -1;
            bool isSequence;
            if (explicitVR)
            {
                var vr = Encoding.ASCII.GetString(b, pos + 4, 2);
                vrOffset = pos + 4;
                if (LongVRs.Contains(vr))
                {
                    if (pos + 12 > end) return;
                    length = Read32(b, pos + 8, little);
                    sites.Add(new HeaderSite(pos, vrOffset, pos + 8, 4, little, false, false));
                    header = 12;
                }
                else if (vr.All(char.IsAsciiLetterUpper))
                {
                    length = little ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(pos + 6)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(pos + 6));
                    sites.Add(new HeaderSite(pos, vrOffset, pos + 6, 2, little, false, false));
                    header = 8;
                }
                else
                {
                    return;
                }
                isSequence = vr == "SQ" || length == 0xFFFFFFFF;
                if (length == 0xFFFFFFFF && vr is "OB" or "OW")
                {
                    inFragments = true;
                    pos += header;
                    continue;
                }
            }
            else
            {
                length = Read32(b, pos + 4, little);
                sites.Add(new HeaderSite(pos, -1, pos + 4, 4, little, false, false));
                header = 8;
                isSequence = length == 0xFFFFFFFF
                    || pos + 12 <= end && (little ? BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(pos + 8)) : BinaryPrimitives.ReadUInt16BigEndian(b.AsSpan(pos + 8))) == 0xFFFE;
                if (length == 0xFFFFFFFF && group == 0x7FE0)
                {
                    inFragments = true;
                    pos += header;
                    continue;
                }
            }
            if (isSequence)
            {
                pos += header;
                continue;
            }
            if (pos + header + (long)length > end) return;
            pos += header + (int)length;
        }
    }

    private static uint Read32(byte[] b, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at)) : BinaryPrimitives.ReadUInt32BigEndian(b.AsSpan(at));
}
