using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Dicom.Network.Services;

/// <summary>Where the Storage Commitment SCP asks whether an instance is durably stored.</summary>
public interface ICommitmentStore
{
    /// <summary>
    /// The SOP class under which the instance is safely kept (the SCP takes responsibility for it), or null when it
    /// is not kept here.
    /// </summary>
    ValueTask<string?> StoredSopClassAsync(string sopInstanceUid, CancellationToken ct);

    /// <summary>
    /// <see cref="StoredSopClassAsync(string, CancellationToken)"/> for a request that arrived on
    /// <paramref name="association"/>: the SCP calls this one, so that a store answering per caller (a tenant archive
    /// commits only what the calling AE's organisation may see) can tell who asks. The default ignores the association.
    /// </summary>
    ValueTask<string?> StoredSopClassAsync(DicomAssociation association, string sopInstanceUid, CancellationToken ct) =>
        StoredSopClassAsync(sopInstanceUid, ct);
}

/// <summary>One instance named in a commitment request: its SOP class and instance UID.</summary>
public sealed record CommitmentItem(string SopClassUid, string SopInstanceUid);

/// <summary>An instance the peer did not commit, with its Failure Reason (0008,1197), e.g. 0x0112 "No such object instance".</summary>
public sealed record CommitmentFailure(CommitmentItem Item, ushort FailureReason);

/// <summary>The outcome of one commitment transaction, as the N-EVENT-REPORT told it.</summary>
public sealed record StorageCommitmentResult(string TransactionUid, IReadOnlyList<CommitmentItem> Committed, IReadOnlyList<CommitmentFailure> Failed);

/// <summary>
/// Storage Commitment Push Model (PS3.4 Annex J): N-ACTION asks the SCP to take responsibility for instances, and the
/// SCP answers with N-EVENT-REPORT (Event Type 1: all committed, 2: some failed). We send and expect the report on the
/// same association as the request (the SCU waits for it); reports on a new, reverse-role association are not
/// implemented — a peer that releases before the report gets none.
/// </summary>
public static class StorageCommitment
{
    /// <summary>Storage Commitment Push Model SOP Class UID.</summary>
    public const string SopClassUid = "1.2.840.10008.1.20.1";

    /// <summary>The well-known SOP instance every request and report is addressed to.</summary>
    public const string WellKnownInstanceUid = "1.2.840.10008.1.20.1.1";

    /// <summary>Failure Reason "No such object instance" (PS3.4 J.3.2.1.1.2: not stored here).</summary>
    public const ushort NoSuchObjectInstance = 0x0112;

    /// <summary>Failure Reason "Class-instance conflict": the instance is stored, but under another SOP class.</summary>
    public const ushort ClassInstanceConflict = 0x0119;

    private const ushort RequestStorageCommitment = 1;
    private const ushort AllCommitted = 1;
    private const ushort SomeFailed = 2;

    private static readonly DicomTag TransactionUid = new(0x0008, 0x1195);
    private static readonly DicomTag ReferencedSopSequence = new(0x0008, 0x1199);
    private static readonly DicomTag FailedSopSequence = new(0x0008, 0x1198);
    private static readonly DicomTag ReferencedSopClassUid = new(0x0008, 0x1150);
    private static readonly DicomTag ReferencedSopInstanceUid = new(0x0008, 0x1155);
    private static readonly DicomTag FailureReason = new(0x0008, 0x1197);

    /// <summary>Registers the Storage Commitment Push Model SCP, committing what <paramref name="store"/> holds.</summary>
    public static DimseServiceRegistry AddStorageCommitment(this DimseServiceRegistry registry, ICommitmentStore store)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(store);
        return registry.Add(DimseCommandField.NActionRequest, [SopClassUid], new CommitmentScp(store));
    }

    /// <summary>
    /// Asks the peer to commit <paramref name="items"/> (N-ACTION) and waits on the same association for its
    /// N-EVENT-REPORT, which is answered with N-EVENT-REPORT-RSP.
    /// </summary>
    /// <exception cref="DicomNetworkException">No accepted Storage Commitment context, the N-ACTION failed, the report
    /// did not come (timeout, release) or was malformed.</exception>
    public static async Task<StorageCommitmentResult> CommitAsync(this DicomAssociation association, IReadOnlyCollection<CommitmentItem> items,
        TimeSpan reportTimeout, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(association);
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0) throw new ArgumentException("nothing to commit", nameof(items));
        var context = association.FindContext(SopClassUid)
            ?? throw new DicomNetworkException("the peer did not accept the Storage Commitment Push Model SOP Class");
        var ts = context.TransferSyntax!;
        var transaction = DicomUid.Generate().Value;
        var data = new DicomDataset();
        data.AddOrUpdate(TransactionUid, DicomVR.UI, transaction);
        data.Add(new DicomSequence(ReferencedSopSequence, items.Select(ToItem)));
        var bytes = DimseIdentifier.Encode(data, ts);
        var request = new DimseCommand
        {
            CommandField = DimseCommandField.NActionRequest,
            MessageId = association.NextMessageId(),
            RequestedSopClassUid = SopClassUid,
            RequestedSopInstanceUid = WellKnownInstanceUid,
            ActionTypeId = RequestStorageCommitment,
        };
        DimseStatus status = default;
        await foreach (var response in association.SendRequestAsync(context.Id, request, (s, c) => s.WriteAsync(bytes, c), ct).ConfigureAwait(false))
        {
            status = response.Status;
        }
        if (!status.IsSuccess) throw new DicomNetworkException($"N-ACTION (storage commitment) answered {status}");

        var message = await association.ReadMessageAsync(reportTimeout, ct).ConfigureAwait(false)
            ?? throw new DicomNetworkException("the peer released the association before sending the storage commitment report");
        var command = message.Command;
        if (command.CommandField != DimseCommandField.NEventReportRequest || message.PresentationContext.AbstractSyntax != SopClassUid || message.DataSet is null)
        {
            if (message.DataSet is { } other) await other.DrainAsync(ct).ConfigureAwait(false);
            throw new DicomNetworkException($"{command.CommandField.Name()} on {message.PresentationContext.AbstractSyntax} where the storage commitment N-EVENT-REPORT was expected");
        }
        var report = await DimseIdentifier.ReadAsync(message.DataSet, message.PresentationContext.TransferSyntax!, ct).ConfigureAwait(false);
        var answer = DimseCommand.ResponseTo(command, DimseStatus.Success);
        answer.EventTypeId = command.EventTypeId;
        await association.SendMessageAsync(message.PresentationContext.Id, answer, null, ct).ConfigureAwait(false);

        if (!string.Equals(report.GetString(TransactionUid), transaction, StringComparison.Ordinal))
        {
            throw new DicomNetworkException($"storage commitment report for transaction '{report.GetString(TransactionUid)}', expected '{transaction}'");
        }
        var committed = (report.GetSequence(ReferencedSopSequence)?.Items ?? []).Select(FromItem).ToList();
        var failed = (report.GetSequence(FailedSopSequence)?.Items ?? [])
            .Select(i => new CommitmentFailure(FromItem(i), i.TryGetValue<ushort>(FailureReason, 0, out var reason) ? reason : (ushort)0)).ToList();
        return new StorageCommitmentResult(transaction, committed, failed);
    }

    private static DicomDataset ToItem(CommitmentItem item)
    {
        var d = new DicomDataset();
        d.AddOrUpdate(ReferencedSopClassUid, DicomVR.UI, item.SopClassUid);
        d.AddOrUpdate(ReferencedSopInstanceUid, DicomVR.UI, item.SopInstanceUid);
        return d;
    }

    private static CommitmentItem FromItem(DicomDataset item) =>
        new(item.GetString(ReferencedSopClassUid) ?? "", item.GetString(ReferencedSopInstanceUid) ?? "");

    private sealed class CommitmentScp(ICommitmentStore store) : IDimseService
    {
        public async ValueTask HandleAsync(DimseRequest request, CancellationToken ct)
        {
            var command = request.Command;
            void Echo(DimseCommand r)
            {
                r.AffectedSopClassUid = SopClassUid;
                r.AffectedSopInstanceUid = WellKnownInstanceUid;
                r.ActionTypeId = command.ActionTypeId;
            }
            if (command.ActionTypeId != RequestStorageCommitment)
            {
                if (request.DataSet is { } d) await d.DrainAsync(ct).ConfigureAwait(false);
                await request.RespondAsync(new DimseStatus(0x0123), r => { Echo(r); r.ErrorComment = $"no such action type {command.ActionTypeId}"; }, ct: ct).ConfigureAwait(false);
                return;
            }
            if (command.RequestedSopInstanceUid != WellKnownInstanceUid)
            {
                if (request.DataSet is { } d) await d.DrainAsync(ct).ConfigureAwait(false);
                await request.RespondAsync(new DimseStatus(0x0117), r => { Echo(r); r.ErrorComment = "not the well-known Storage Commitment instance"; }, ct: ct).ConfigureAwait(false);
                return;
            }
            DicomDataset data;
            try
            {
                if (request.DataSet is null) throw new DicomReadException("N-ACTION without a data set");
                data = await DimseIdentifier.ReadAsync(request.DataSet, request.PresentationContext.TransferSyntax!, ct).ConfigureAwait(false);
            }
            catch (DicomReadException ex)
            {
                await request.RespondAsync(new DimseStatus(0x0120), r => { Echo(r); r.ErrorComment = ex.Message; }, ct: ct).ConfigureAwait(false);
                return;
            }
            var transaction = data.GetString(TransactionUid);
            var referenced = data.GetSequence(ReferencedSopSequence)?.Items ?? [];
            if (string.IsNullOrEmpty(transaction) || referenced.Count == 0)
            {
                await request.RespondAsync(new DimseStatus(0x0120), r => { Echo(r); r.ErrorComment = "Transaction UID (0008,1195) or Referenced SOP Sequence (0008,1199) missing"; }, ct: ct).ConfigureAwait(false);
                return;
            }
            await request.RespondAsync(DimseStatus.Success, Echo, ct: ct).ConfigureAwait(false);

            var committed = new List<DicomDataset>();
            var failed = new List<DicomDataset>();
            foreach (var item in referenced)
            {
                var wanted = FromItem(item);
                var storedAs = wanted.SopInstanceUid.Length > 0 ? await store.StoredSopClassAsync(request.Association, wanted.SopInstanceUid, ct).ConfigureAwait(false) : null;
                if (storedAs is not null && string.Equals(storedAs, wanted.SopClassUid, StringComparison.Ordinal))
                {
                    committed.Add(ToItem(wanted));
                    continue;
                }
                var failure = ToItem(wanted);
                failure.AddOrUpdate(FailureReason, DicomVR.US, storedAs is null ? NoSuchObjectInstance : ClassInstanceConflict);
                failed.Add(failure);
            }
            var report = new DicomDataset();
            report.AddOrUpdate(TransactionUid, DicomVR.UI, transaction);
            if (committed.Count > 0) report.Add(new DicomSequence(ReferencedSopSequence, committed));
            if (failed.Count > 0) report.Add(new DicomSequence(FailedSopSequence, failed));
            var bytes = DimseIdentifier.Encode(report, request.PresentationContext.TransferSyntax!);
            var association = request.Association;
            var eventReport = new DimseCommand
            {
                CommandField = DimseCommandField.NEventReportRequest,
                MessageId = association.NextMessageId(),
                AffectedSopClassUid = SopClassUid,
                AffectedSopInstanceUid = WellKnownInstanceUid,
                EventTypeId = failed.Count == 0 ? AllCommitted : SomeFailed,
            };
            await foreach (var _ in association.SendRequestAsync(request.PresentationContext.Id, eventReport, (s, c) => s.WriteAsync(bytes, c), ct).ConfigureAwait(false))
            {
                // The SCU's N-EVENT-REPORT-RSP status changes nothing: the commitment result stands either way.
            }
        }
    }
}
