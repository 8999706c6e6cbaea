using System.Buffers.Binary;

namespace RadBridge.Server.DicomWeb;

/// <summary>
/// Gives a bare data set (no preamble, no File Meta — what some older tools write and send) the PS3.10 header the
/// archive stores and WADO-RS serves: preamble, "DICM", File Meta built from the data set and its detected transfer
/// syntax. The data set bytes follow unchanged, so the stored data set is byte-identical to what was sent.
/// </summary>
public static class Part10Files
{
    public static async Task AddFileMetaAsync(string bareDataSet, string target, DicomFile header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var meta = DicomWriter.BuildFileMeta(header.Dataset, header.TransferSyntax);
        using var metaBody = new MemoryStream();
        DicomWriter.WriteDataset(metaBody, meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        var prefix = new byte[128 + 4 + 12];
        "DICM"u8.CopyTo(prefix.AsSpan(128));
        // (0002,0000) UL, explicit VR little endian: the File Meta Information Group Length.
        BinaryPrimitives.WriteUInt16LittleEndian(prefix.AsSpan(132), 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(prefix.AsSpan(134), 0x0000);
        prefix[136] = (byte)'U';
        prefix[137] = (byte)'L';
        BinaryPrimitives.WriteUInt16LittleEndian(prefix.AsSpan(138), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(prefix.AsSpan(140), (uint)metaBody.Length);

        var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 0);
        await using (output.ConfigureAwait(false))
        {
            await output.WriteAsync(prefix).ConfigureAwait(false);
            await output.WriteAsync(metaBody.GetBuffer().AsMemory(0, (int)metaBody.Length)).ConfigureAwait(false);
            var input = new FileStream(bareDataSet, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            await using (input.ConfigureAwait(false))
            {
                await input.CopyToAsync(output).ConfigureAwait(false);
            }
            // Not fsync'ed here: ArchiveIngest's barrier makes the instance durable before it is acknowledged.
            await output.FlushAsync().ConfigureAwait(false);
        }
    }
}
