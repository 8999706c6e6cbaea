using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>
/// The C-GET SCP (PS3.4 C.4.3): sends the matching instances by C-STORE on the same association, over the storage
/// contexts the SCU proposed (with the SCP role for itself, answered by role selection), with a pending response after
/// each sub-operation. A C-CANCEL-RQ (also one arriving while a C-STORE-RSP is awaited) stops it: final status FE00.
/// </summary>
public sealed class GetScp(IQueryRetrieveSource source, MatchingOptions? options = null) : IDimseService
{
    private readonly MatchingOptions _options = options ?? new MatchingOptions();

    public async ValueTask HandleAsync(DimseRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var instances = await RetrieveRequest.ResolveAsync(request, source, _options, "C-GET", ct).ConfigureAwait(false);
        if (instances is null) return;
        var association = request.Association;
        var counts = new SubOperations(instances.Count);
        var cancelled = false;
        foreach (var instance in instances)
        {
            if (CancelWatch.IsCancelRequested(request, ct))
            {
                cancelled = true;
                break;
            }
            var (status, cancel) = await StoreAsync(request, instance, ct).ConfigureAwait(false);
            counts.Record(status, instance.SopInstanceUid);
            if (cancel)
            {
                cancelled = true;
                break;
            }
            if (counts.Remaining > 0) await request.RespondAsync(DimseStatus.Pending, r => counts.Fill(r, true), ct: ct).ConfigureAwait(false);
        }
        var ts = request.PresentationContext.TransferSyntax!;
        if (cancelled)
        {
            await request.RespondAsync(DimseStatus.Cancel, r => counts.Fill(r, true), counts.FailedList(ts), ct).ConfigureAwait(false);
            return;
        }
        await request.RespondAsync(counts.Final, r => counts.Fill(r, false), counts.FailedList(ts), ct).ConfigureAwait(false);
    }

    /// <summary>One C-STORE sub-operation; also reports whether a C-CANCEL-RQ for the C-GET came meanwhile.</summary>
    private static async ValueTask<(DimseStatus Status, bool Cancel)> StoreAsync(DimseRequest get, StoredInstance instance, CancellationToken ct)
    {
        var association = get.Association;
        var failed = new DimseStatus(0xA702);
        StoreSource file;
        try
        {
            file = StoreSource.Open(instance.Path);
        }
        catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
        {
            NetworkLog.RequestFailed(association.Logger, association.Id, "C-GET", failed.Code, $"{instance.Path}: {ex.Message}");
            return (failed, false);
        }
        var context = association.PresentationContexts
            .Where(c => c.IsAccepted && c.AbstractSyntax == file.SopClassUid && file.CanSendAs(c.TransferSyntax!))
            .OrderByDescending(c => c.TransferSyntax!.Equals(file.TransferSyntax))
            .FirstOrDefault();
        if (context is null)
        {
            NetworkLog.RequestFailed(association.Logger, association.Id, "C-GET", failed.Code, $"no accepted storage context for {file.SopClassUid} in {file.TransferSyntax.Name}");
            return (failed, false);
        }
        Func<Stream, CancellationToken, ValueTask> write;
        try
        {
            write = await StorageScu.PrepareWriterAsync(file, context.TransferSyntax!, ct).ConfigureAwait(false);
        }
        catch (DicomNetworkException ex)
        {
            NetworkLog.RequestFailed(association.Logger, association.Id, "C-GET", failed.Code, ex.Message);
            return (failed, false);
        }
        var store = DimseCommand.Request(DimseCommandField.CStoreRequest, association.NextMessageId(), file.SopClassUid, hasDataSet: true);
        store.AffectedSopInstanceUid = file.SopInstanceUid;
        store.Priority = DimsePriority.Medium;
        await association.SendMessageAsync(context.Id, store, write, ct).ConfigureAwait(false);
        var cancel = false;
        while (true)
        {
            var message = await association.ReadMessageAsync(association.IdleTimeout, ct).ConfigureAwait(false)
                ?? throw await association.ProtocolErrorAsync("A-RELEASE-RQ while a C-GET was in progress").ConfigureAwait(false);
            var command = message.Command;
            if (message.DataSet is { } unexpected) await unexpected.DrainAsync(ct).ConfigureAwait(false);
            if (command.CommandField == DimseCommandField.CCancelRequest && command.MessageIdBeingRespondedTo == get.Command.MessageId)
            {
                cancel = true;
                continue;
            }
            if (command.CommandField == DimseCommandField.CStoreResponse && command.MessageIdBeingRespondedTo == store.MessageId)
            {
                return (command.Status, cancel);
            }
            throw await association.ProtocolErrorAsync($"{command.CommandField.Name()} while the C-STORE-RSP of a C-GET sub-operation was awaited").ConfigureAwait(false);
        }
    }
}
