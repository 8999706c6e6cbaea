using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network.Association;

/// <summary>Orderly release and abort requested by the local user.</summary>
public sealed partial class DicomAssociation
{
    /// <summary>
    /// A-RELEASE request (Evt11, AR-1) and wait for the A-RELEASE-RP, handling a release collision (AR-8, AR-9) and
    /// P-DATA still arriving (AR-6) as Table 9-10 says.
    /// </summary>
    public async ValueTask ReleaseAsync(CancellationToken ct = default)
    {
        if (State != UpperLayerState.Sta6) throw new DicomNetworkException($"{Id}: cannot release in {State}");
        Fire(UpperLayerEvent.Evt11); // AR-1 → Sta7
        await SendPduAsync(new ReleaseRequestPdu(), ct).ConfigureAwait(false);
        while (true)
        {
            var outcome = await ReceiveAsync(_options.ArtimTimeout, ct).ConfigureAwait(false);
            switch (outcome.Pdu)
            {
                case ReleaseResponsePdu:
                    Fire(UpperLayerEvent.Evt13); // AR-3 (Sta7, Sta11) → Sta1, or AR-10 (Sta10) → Sta12
                    if (State == UpperLayerState.Sta12)
                    {
                        Fire(UpperLayerEvent.Evt14); // AR-4
                        await SendPduAsync(new ReleaseResponsePdu(), ct).ConfigureAwait(false);
                        await AwaitCloseAsync().ConfigureAwait(false);
                    }
                    Close();
                    NetworkLog.Released(Logger, Id);
                    return;
                case DataTransferPdu:
                    Fire(UpperLayerEvent.Evt10); // AR-6: late data of the peer, indicated and dropped
                    continue;
                case ReleaseRequestPdu:
                    Fire(UpperLayerEvent.Evt12); // AR-8: collision → Sta9 (requestor) / Sta10 (acceptor)
                    if (State == UpperLayerState.Sta9)
                    {
                        Fire(UpperLayerEvent.Evt14); // AR-9 → Sta11
                        await SendPduAsync(new ReleaseResponsePdu(), ct).ConfigureAwait(false);
                    }
                    continue;
                default:
                    throw await FailAsync(outcome, "the A-RELEASE-RP").ConfigureAwait(false);
            }
        }
    }

    /// <summary>A-ABORT request (Evt15, AA-1): tells the peer and closes.</summary>
    public ValueTask AbortAsync() => AbortLocallyAsync("aborted by the local user");
}
