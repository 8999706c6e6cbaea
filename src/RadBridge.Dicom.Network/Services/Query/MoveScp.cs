using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;

namespace RadBridge.Dicom.Network.Services.Query;

/// <summary>
/// The C-MOVE SCP (PS3.4 C.4.2): resolves the identifier to instances, opens a sub-association to the Move
/// Destination (an AE title it must know: A801 otherwise), sends each instance by C-STORE as stored (bytes unchanged
/// when the destination accepts the file's transfer syntax), and reports the counts in a pending response after each
/// sub-operation. A C-CANCEL-RQ stops it between sub-operations (final status FE00).
/// </summary>
public sealed class MoveScp : IDimseService
{
    private readonly IQueryRetrieveSource _source;
    private readonly Func<DicomAssociation, string, CancellationToken, ValueTask<DicomPeer?>> _findDestination;
    private readonly MatchingOptions _options;

    /// <summary>Moves to the AE titles of a fixed table.</summary>
    public MoveScp(IQueryRetrieveSource source, IReadOnlyDictionary<string, DicomPeer> destinations, MatchingOptions? options = null)
        : this(source, Lookup(destinations), options)
    {
    }

    /// <summary>
    /// Moves to the destination <paramref name="findDestination"/> names for the requesting association and the Move
    /// Destination AE title (null: unknown, A801) — looked up per request, so the table may change and depend on the caller.
    /// </summary>
    public MoveScp(IQueryRetrieveSource source, Func<DicomAssociation, string, CancellationToken, ValueTask<DicomPeer?>> findDestination, MatchingOptions? options = null)
    {
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _findDestination = findDestination ?? throw new ArgumentNullException(nameof(findDestination));
        _options = options ?? new MatchingOptions();
    }

    private static Func<DicomAssociation, string, CancellationToken, ValueTask<DicomPeer?>> Lookup(IReadOnlyDictionary<string, DicomPeer> destinations)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        return (_, ae, _) => ValueTask.FromResult(destinations.TryGetValue(ae, out var peer) ? peer : null);
    }

    /// <summary>Timeouts for the sub-associations (AE titles are set per move).</summary>
    public DicomClientOptions SubAssociationOptions { get; init; } = new();

    public async ValueTask HandleAsync(DimseRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var destinationAe = request.Command.MoveDestination?.Trim() ?? "";
        if (await _findDestination(request.Association, destinationAe, ct).ConfigureAwait(false) is not { } destination)
        {
            if (request.DataSet is { } unread) await unread.DrainAsync(ct).ConfigureAwait(false);
            await request.RespondAsync(new DimseStatus(0xA801), r => r.ErrorComment = FindScp.Short($"move destination '{destinationAe}' unknown"), ct: ct).ConfigureAwait(false);
            return;
        }
        var instances = await RetrieveRequest.ResolveAsync(request, _source, _options, "C-MOVE", ct).ConfigureAwait(false);
        if (instances is null) return;
        var counts = new SubOperations(instances.Count);
        if (instances.Count == 0)
        {
            await request.RespondAsync(DimseStatus.Success, r => counts.Fill(r, false), ct: ct).ConfigureAwait(false);
            return;
        }
        var sources = new List<(StoredInstance Instance, StoreSource? Source)>();
        foreach (var instance in instances)
        {
            StoreSource? file = null;
            try
            {
                file = StoreSource.Open(instance.Path);
            }
            catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
            {
                NetworkLog.RequestFailed(request.Association.Logger, request.Association.Id, "C-MOVE", 0xA702, $"{instance.Path}: {ex.Message}");
            }
            sources.Add((instance, file));
        }
        var ts = request.PresentationContext.TransferSyntax!;
        DicomAssociation sub;
        try
        {
            sub = await DicomClient.ConnectAsync(destination.Host, destination.Port,
                SubAssociationOptions with { CallingAeTitle = request.Association.CalledAeTitle, CalledAeTitle = destination.AeTitle },
                StorageScu.Propose(sources.Where(s => s.Source is not null).Select(s => s.Source!)), ct).ConfigureAwait(false);
        }
        catch (DicomNetworkException ex)
        {
            await request.RespondAsync(new DimseStatus(0xA702), r => r.ErrorComment = FindScp.Short($"cannot reach {destination.AeTitle}: {ex.Message}"), ct: ct).ConfigureAwait(false);
            return;
        }
        var cancelled = false;
        await using (sub.ConfigureAwait(false))
        {
            foreach (var (instance, file) in sources)
            {
                if (CancelWatch.IsCancelRequested(request, ct))
                {
                    cancelled = true;
                    break;
                }
                var status = new DimseStatus(0xA702);
                if (file is not null)
                {
                    try
                    {
                        status = await sub.StoreAsync(file, r =>
                        {
                            r.MoveOriginatorAeTitle = request.Association.CallingAeTitle;
                            r.MoveOriginatorMessageId = request.Command.MessageId;
                        }, ct).ConfigureAwait(false);
                    }
                    catch (DicomNetworkException ex)
                    {
                        // No context for this file, or the destination went away: this sub-operation fails.
                        NetworkLog.RequestFailed(request.Association.Logger, request.Association.Id, "C-MOVE", 0xA702, ex.Message);
                    }
                }
                counts.Record(status, instance.SopInstanceUid);
                if (sub.State != UpperLayerState.Sta6)
                {
                    // The sub-association is gone: what remains cannot be sent.
                    foreach (var (rest, _) in sources.Skip(counts.Completed + counts.Failed + counts.Warning)) counts.Record(new DimseStatus(0xA702), rest.SopInstanceUid);
                    break;
                }
                if (counts.Remaining > 0) await request.RespondAsync(DimseStatus.Pending, r => counts.Fill(r, true), ct: ct).ConfigureAwait(false);
            }
            if (sub.State == UpperLayerState.Sta6) await sub.ReleaseAsync(ct).ConfigureAwait(false);
        }
        if (cancelled)
        {
            await request.RespondAsync(DimseStatus.Cancel, r => counts.Fill(r, true), counts.FailedList(ts), ct).ConfigureAwait(false);
            return;
        }
        await request.RespondAsync(counts.Final, r => counts.Fill(r, false), counts.FailedList(ts), ct).ConfigureAwait(false);
    }
}
