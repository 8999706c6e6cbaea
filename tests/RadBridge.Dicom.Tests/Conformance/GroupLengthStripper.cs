using System.Buffers.Binary;

namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>
/// Removes the top-level group length elements (gggg,0000) from an encoded data set, walking the bytes on its own
/// (not with the reader under test): what a writer that drops retired group lengths (PS3.5 §7.2) must produce.
/// </summary>
internal static class GroupLengthStripper
{
    private static readonly HashSet<string> LongVRs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

    public static byte[] StripTopLevel(byte[] dataset, bool explicitVR, bool little)
    {
        var output = new MemoryStream();
        var pos = 0;
        while (pos < dataset.Length)
        {
            var start = pos;
            var element = U16(dataset, pos + 2, little);
            pos = SkipElement(dataset, pos, explicitVR, little);
            if (element != 0x0000) output.Write(dataset, start, pos - start);
        }
        return output.ToArray();
    }

    private static int SkipElement(byte[] d, int pos, bool explicitVR, bool little)
    {
        uint length;
        var implicitInside = !explicitVR;
        if (explicitVR)
        {
            var vr = System.Text.Encoding.ASCII.GetString(d, pos + 4, 2);
            if (LongVRs.Contains(vr))
            {
                length = U32(d, pos + 8, little);
                pos += 12;
                implicitInside = vr == "UN"; // an undefined-length UN holds Implicit VR Little Endian (CP-246)
            }
            else
            {
                length = U16(d, pos + 6, little);
                pos += 8;
            }
        }
        else
        {
            length = U32(d, pos + 4, little);
            pos += 8;
        }
        if (length != 0xFFFFFFFF) return pos + (int)length;
        return SkipItems(d, pos, !implicitInside, implicitInside || little);
    }

    private static int SkipItems(byte[] d, int pos, bool explicitVR, bool little)
    {
        while (true)
        {
            var element = U16(d, pos + 2, little);
            var length = U32(d, pos + 4, little);
            pos += 8;
            if (element == 0xE0DD) return pos; // sequence delimiter
            if (length != 0xFFFFFFFF)
            {
                pos += (int)length;
                continue;
            }
            while (U16(d, pos, little) != 0xFFFE || U16(d, pos + 2, little) != 0xE00D) pos = SkipElement(d, pos, explicitVR, little);
            pos += 8; // item delimiter
        }
    }

    private static ushort U16(byte[] d, int pos, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(d.AsSpan(pos)) : BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(pos));

    private static uint U32(byte[] d, int pos, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(d.AsSpan(pos)) : BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(pos));
}
