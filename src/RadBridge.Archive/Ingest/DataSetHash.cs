using System.Buffers.Binary;
using System.Security.Cryptography;

namespace RadBridge.Archive.Ingest;

/// <summary>
/// SHA-256 of the data set part of a Part 10 file (after the File Meta Information), so that the same instance sent
/// again by another AE — whose File Meta differs in Source AE Title — counts as identical.
/// </summary>
public static class DataSetHash
{
    public static async Task<string> ComputeAsync(string path, CancellationToken ct)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            stream.Position = await DataSetOffsetAsync(stream, ct).ConfigureAwait(false);
            var hash = await SHA256.HashDataAsync(stream, ct).ConfigureAwait(false);
            return Convert.ToHexStringLower(hash);
        }
    }

    /// <summary>
    /// Where the data set starts: after the 128-byte preamble, "DICM" and the (0002,xxxx) group whose length the File
    /// Meta Information Group Length gives. 0 when the file has no recognisable File Meta (the whole file is hashed).
    /// </summary>
    private static async Task<long> DataSetOffsetAsync(FileStream stream, CancellationToken ct)
    {
        var head = new byte[144];
        var read = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct).ConfigureAwait(false);
        if (read < 144 || head[128] != 'D' || head[129] != 'I' || head[130] != 'C' || head[131] != 'M') return 0;
        // (0002,0000) UL 4 <length>, explicit VR little endian.
        if (BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(132)) != 0x0002 || BinaryPrimitives.ReadUInt16LittleEndian(head.AsSpan(134)) != 0x0000 || head[136] != 'U' || head[137] != 'L')
        {
            return 0;
        }
        var groupLength = BinaryPrimitives.ReadUInt32LittleEndian(head.AsSpan(140));
        var offset = 144L + groupLength;
        return offset <= stream.Length ? offset : 0;
    }
}
