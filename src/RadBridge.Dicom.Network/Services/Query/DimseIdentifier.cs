using RadBridge.Dicom.Network.Association;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>Identifiers (the small data sets of C-FIND, C-MOVE and C-GET) to and from their bytes in a transfer syntax.</summary>
public static class DimseIdentifier
{
    // An identifier is a handful of keys; anything this large is not one.
    private const int MaxIdentifierLength = 4 * 1024 * 1024;

    /// <summary>Reads the data set of a request as an identifier.</summary>
    /// <exception cref="DicomReadException">The bytes are not a data set in that transfer syntax, or are too long.</exception>
    public static async ValueTask<DicomDataset> ReadAsync(DimseDataReader reader, DicomTransferSyntax transferSyntax, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var buffer = new MemoryStream();
        while (await reader.ReadAsync(ct).ConfigureAwait(false) is { } fragment)
        {
            if (buffer.Length + fragment.Length > MaxIdentifierLength)
            {
                await reader.DrainAsync(ct).ConfigureAwait(false);
                throw new DicomReadException($"identifier longer than {MaxIdentifierLength} bytes");
            }
            await buffer.WriteAsync(fragment, ct).ConfigureAwait(false);
        }
        return Decode(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), transferSyntax);
    }

    /// <summary>Decodes a data set (no File Meta) encoded in <paramref name="transferSyntax"/>.</summary>
    /// <exception cref="DicomReadException">The bytes are not a data set in that transfer syntax.</exception>
    public static DicomDataset Decode(ReadOnlySpan<byte> bytes, DicomTransferSyntax transferSyntax)
    {
        ArgumentNullException.ThrowIfNull(transferSyntax);
        // The reader takes Part 10 streams: put a File Meta naming the transfer syntax in front of the bytes.
        var meta = new DicomDataset();
        meta.AddOrUpdate(new DicomTag(0x0002, 0x0001), DicomVR.OB, new byte[] { 0, 1 }.AsMemory());
        meta.AddOrUpdate(new DicomTag(0x0002, 0x0010), DicomVR.UI, transferSyntax.Uid);
        using var metaBytes = new MemoryStream();
        DicomWriter.WriteDataset(metaBytes, meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        using var file = new MemoryStream();
        file.Write(new byte[128]);
        file.Write("DICM"u8);
        Span<byte> groupLength = [0x02, 0x00, 0x00, 0x00, (byte)'U', (byte)'L', 4, 0, 0, 0, 0, 0];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(groupLength[8..], (uint)metaBytes.Length);
        file.Write(groupLength);
        metaBytes.Position = 0;
        metaBytes.CopyTo(file);
        file.Write(bytes);
        file.Position = 0;
        return DicomFile.Read(file).Dataset;
    }

    /// <summary>Encodes an identifier in <paramref name="transferSyntax"/>.</summary>
    public static byte[] Encode(DicomDataset identifier, DicomTransferSyntax transferSyntax)
    {
        using var stream = new MemoryStream();
        DicomWriter.WriteDataset(stream, identifier, transferSyntax);
        return stream.ToArray();
    }
}
