using System.Buffers.Binary;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services;

/// <summary>Options of the Storage SCP.</summary>
public sealed record StorageScpOptions
{
    /// <summary>Where instances are written while they arrive (best on the same file system as the handler's target).</summary>
    public string TempDirectory { get; init; } = Path.GetTempPath();

    /// <summary>
    /// Whether the SCP fsyncs each received file before handing it over (default). False for a handler that makes the
    /// file durable itself before it answers success — the archive flushes a whole batch of instances at once.
    /// </summary>
    public bool FlushToDisk { get; init; } = true;
}

/// <summary>
/// The Storage Service Class SCP (PS3.4 Annex B): streams each incoming data set, PDV by PDV, into a temporary Part 10
/// file (no whole-instance buffering), flushes it (unless <see cref="StorageScpOptions.FlushToDisk"/> leaves that to the
/// handler), and hands it to an <see cref="IStoreHandler"/>. An association that
/// breaks mid-transfer leaves no file behind.
/// </summary>
public sealed class StorageScp(IStoreHandler handler, StorageScpOptions? options = null) : IDimseService
{
    private readonly StorageScpOptions _options = options ?? new StorageScpOptions();

    public async ValueTask HandleAsync(DimseRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var association = request.Association;
        var command = request.Command;
        var sopClass = command.AffectedSopClassUid ?? request.PresentationContext.AbstractSyntax;
        var sopInstance = command.AffectedSopInstanceUid;
        if (request.DataSet is not { } data || string.IsNullOrEmpty(sopInstance))
        {
            if (request.DataSet is { } d) await d.DrainAsync(ct).ConfigureAwait(false);
            await request.RespondAsync(DimseStatus.CannotUnderstand, r => r.ErrorComment = "C-STORE-RQ without a data set or Affected SOP Instance UID", ct: ct).ConfigureAwait(false);
            return;
        }

        var ts = request.PresentationContext.TransferSyntax!;
        Directory.CreateDirectory(_options.TempDirectory);
        var temp = Path.Combine(_options.TempDirectory, $".incoming-{Guid.NewGuid():N}.dcm");
        DimseStatus status;
        string? comment = null;
        try
        {
            var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
            await using (file.ConfigureAwait(false))
            {
                var head = FileHead(sopClass, sopInstance, ts, association.CallingAeTitle);
                await file.WriteAsync(head, ct).ConfigureAwait(false);
                await data.CopyToAsync(file, ct).ConfigureAwait(false);
                await file.FlushAsync(ct).ConfigureAwait(false);
                if (_options.FlushToDisk) file.Flush(flushToDisk: true);
            }
            var instance = new ReceivedInstance(temp, sopClass, sopInstance, ts, association.CallingAeTitle, association.CalledAeTitle, association.Id, data.BytesRead, association.Principal);
            try
            {
                (status, comment) = await handler.StoreWithCommentAsync(instance, ct).ConfigureAwait(false);
                if (status.IsSuccessOrWarning) NetworkLog.Stored(association.Logger, association.Id, sopInstance, data.BytesRead);
            }
            catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
            {
                NetworkLog.RequestFailed(association.Logger, association.Id, "C-STORE", DimseStatus.ProcessingFailure.Code, ex.Message);
                status = ex is DicomReadException ? DimseStatus.CannotUnderstand : DimseStatus.OutOfResources;
            }
        }
        finally
        {
            // Aborted mid-transfer, refused by the handler, or left behind: no partial file survives.
            if (File.Exists(temp)) File.Delete(temp);
        }
        await request.RespondAsync(status, comment is null ? null : r => r.ErrorComment = comment.Length <= 64 ? comment : comment[..61] + "...", ct: ct).ConfigureAwait(false);
    }

    /// <summary>Preamble, "DICM" and File Meta (PS3.10 §7.1) for the received instance: its transfer syntax, our implementation.</summary>
    internal static byte[] FileHead(string sopClass, string sopInstance, DicomTransferSyntax ts, string callingAe)
    {
        var ids = new DicomDataset();
        ids.AddOrUpdate(new DicomTag(0x0008, 0x0016), DicomVR.UI, sopClass);
        ids.AddOrUpdate(new DicomTag(0x0008, 0x0018), DicomVR.UI, sopInstance);
        var previous = new DicomDataset();
        previous.AddOrUpdate(new DicomTag(0x0002, 0x0016), DicomVR.AE, callingAe);
        var meta = DicomWriter.BuildFileMeta(ids, ts, previous);
        using var body = new MemoryStream();
        DicomWriter.WriteDataset(body, meta, DicomTransferSyntax.ExplicitVRLittleEndian);
        var head = new byte[128 + 4 + 12 + body.Length];
        "DICM"u8.CopyTo(head.AsSpan(128));
        var at = 132;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(at), 0x0002);
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(at + 2), 0x0000);
        head[at + 4] = (byte)'U';
        head[at + 5] = (byte)'L';
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(at + 6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(at + 8), (uint)body.Length);
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(head.AsSpan(at + 12));
        return head;
    }
}

/// <summary>Registration of the Storage SCP.</summary>
public static class StorageRegistration
{
    /// <summary>Registers C-STORE for the given SOP classes (default: every Storage SOP Class).</summary>
    public static DimseServiceRegistry AddStorage(this DimseServiceRegistry registry, IStoreHandler handler, StorageScpOptions? options = null, IEnumerable<string>? sopClasses = null)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return registry.Add(DimseCommandField.CStoreRequest, sopClasses ?? StorageSopClasses.All, new StorageScp(handler, options));
    }
}
