using System.Buffers.Binary;
using System.IO.Compression;

namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>
/// Finds where a Part 10 file's data set starts, independently of the reader under test: after the preamble and
/// "DICM" (if present), skip the group 0002 elements (always Explicit VR Little Endian, PS3.10 §7.1).
/// </summary>
internal static class Part10Layout
{
    /// <summary>The data set's bytes as encoded (inflated when <paramref name="deflated"/>).</summary>
    public static byte[] DatasetBytes(byte[] file, bool deflated)
    {
        var start = DatasetOffset(file);
        if (!deflated) return file[start..];
        using var inflater = new DeflateStream(new MemoryStream(file, start, file.Length - start), CompressionMode.Decompress);
        var inflated = new MemoryStream();
        inflater.CopyTo(inflated);
        return inflated.ToArray();
    }

    public static int DatasetOffset(byte[] file)
    {
        var pos = file.Length >= 132 && file.AsSpan(128, 4).SequenceEqual("DICM"u8) ? 132 : 0;
        while (pos + 8 <= file.Length && BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos)) == 0x0002)
        {
            var vr = System.Text.Encoding.ASCII.GetString(file, pos + 4, 2);
            pos += vr is "OB" or "OD" or "OF" or "OL" or "OV" or "OW" or "SQ" or "SV" or "UC" or "UN" or "UR" or "UT" or "UV"
                ? 12 + (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(pos + 8))
                : 8 + BinaryPrimitives.ReadUInt16LittleEndian(file.AsSpan(pos + 6));
        }
        return pos;
    }

    /// <summary>Where two byte arrays first differ, with the bytes around it in hex.</summary>
    public static string FirstDifference(byte[] expected, byte[] actual)
    {
        var i = expected.AsSpan().CommonPrefixLength(actual);
        var from = Math.Max(0, i - 16);
        return $"lengths {expected.Length} and {actual.Length}, first difference at data set offset {i}:\n"
            + $"    input   {Convert.ToHexString(expected.AsSpan(from, Math.Min(48, Math.Max(0, expected.Length - from))))}\n"
            + $"    written {Convert.ToHexString(actual.AsSpan(from, Math.Min(48, Math.Max(0, actual.Length - from))))}";
    }
}
