using System.Buffers.Binary;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// Where a stored file's data set starts and whether the file can be sent as it is: a Part 10 file with preamble,
/// "DICM" and File Meta naming a transfer syntax. Files stored without them (raw data sets, which the archive accepts as
/// they came) are sent with a File Meta written for them in front of their unchanged data set bytes.
/// </summary>
internal readonly record struct Part10Layout(bool IsStandard, long DataSetOffset)
{
    private static readonly HashSet<string> LongLengthVrs = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"];

    /// <summary>Reads the head of the file: preamble and "DICM" if any, then the explicit VR little endian group 0002.</summary>
    public static Part10Layout Inspect(FileStream file)
    {
        Span<byte> head = stackalloc byte[132];
        var read = RandomAccess.Read(file.SafeFileHandle, head, 0);
        var preamble = read == 132 && head[128..132].SequenceEqual("DICM"u8);
        var at = preamble ? 132L : 0L;
        var start = at;
        var sawTransferSyntax = false;
        Span<byte> element = stackalloc byte[12];
        var length = file.Length;
        while (at + 8 <= length)
        {
            if (RandomAccess.Read(file.SafeFileHandle, element, at) < 8) break;
            if (BinaryPrimitives.ReadUInt16LittleEndian(element) != 0x0002) break;
            var elementNumber = BinaryPrimitives.ReadUInt16LittleEndian(element[2..]);
            var vr = System.Text.Encoding.ASCII.GetString(element.Slice(4, 2));
            long valueLength;
            long headerLength;
            if (LongLengthVrs.Contains(vr))
            {
                valueLength = BinaryPrimitives.ReadUInt32LittleEndian(element[8..]);
                headerLength = 12;
            }
            else
            {
                valueLength = BinaryPrimitives.ReadUInt16LittleEndian(element[6..]);
                headerLength = 8;
            }
            if (elementNumber == 0x0010 && valueLength > 0) sawTransferSyntax = true;
            at += headerLength + valueLength;
        }
        if (at > length) return new Part10Layout(false, 0); // A File Meta that overruns the file: treat as raw.
        return new Part10Layout(preamble && at > start && sawTransferSyntax, at);
    }
}
