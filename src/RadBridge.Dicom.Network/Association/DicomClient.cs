using System.Net.Sockets;
using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network.Association;

/// <summary>Opens associations as the requestor (SCU side): TCP connect, A-ASSOCIATE-RQ, and the peer's answer.</summary>
public static class DicomClient
{
    /// <summary>Connects and negotiates. The returned association is established (Sta6).</summary>
    /// <exception cref="DicomAssociationRejectedException">The peer answered A-ASSOCIATE-RJ.</exception>
    /// <exception cref="DicomNetworkException">Connection failed, timed out, or the peer broke the protocol.</exception>
    public static async Task<DicomAssociation> ConnectAsync(string host, int port, DicomClientOptions options, PresentationContextProposal proposal, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(proposal);
        if (proposal.Contexts.Count == 0) throw new DicomNetworkException("no presentation context to propose");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // AE-1: the transport connect request; Evt2 is its confirmation.
            using var connectTimer = CancellationTokenSource.CreateLinkedTokenSource(ct);
            connectTimer.CancelAfter(options.NetworkTimeout);
            await socket.ConnectAsync(host, port, connectTimer.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new DicomNetworkException($"cannot connect to {host}:{port}: {(ex is OperationCanceledException ? "timed out" : ex.Message)}", ex);
        }

        Stream transport = new NetworkStream(socket, ownsSocket: true);
        if (options.Tls is { } tls)
        {
            try
            {
                transport = await DicomTls.AuthenticateAsClientAsync(transport, host, tls, options.ArtimTimeout, ct).ConfigureAwait(false);
            }
            catch (DicomNetworkException ex)
            {
                throw new DicomNetworkException($"cannot connect to {host}:{port}: {ex.Message}", ex);
            }
        }
        var association = new DicomAssociation(socket, transport, isRequestor: true, options);
        try
        {
            association.Fire(UpperLayerEvent.Evt1); // AE-1 → Sta4
            association.Fire(UpperLayerEvent.Evt2); // AE-2 → Sta5
            var request = new AssociateRequestPdu
            {
                CalledAeTitle = options.CalledAeTitle,
                CallingAeTitle = options.CallingAeTitle,
                PresentationContexts = proposal.Contexts,
                UserInformation = new UserInformation
                {
                    MaximumLength = options.MaxPduLength,
                    ImplementationClassUid = DicomWriter.ImplementationClassUid,
                    ImplementationVersionName = DicomWriter.ImplementationVersionName,
                    RoleSelections = [.. proposal.RoleSelections],
                },
            };
            await association.SendPduAsync(request, ct).ConfigureAwait(false);
            var outcome = await association.ReceiveAsync(options.ArtimTimeout, ct).ConfigureAwait(false);
            switch (outcome.Pdu)
            {
                case AssociateAcceptPdu accept:
                    association.Fire(UpperLayerEvent.Evt3); // AE-3 → Sta6
                    association.SetNegotiation(options.CallingAeTitle, options.CalledAeTitle, Settle(proposal, accept), accept.UserInformation);
                    return association;
                case AssociateRejectPdu reject:
                    association.Fire(UpperLayerEvent.Evt4); // AE-4: reject confirmation, close → Sta1
                    association.Close();
                    throw new DicomAssociationRejectedException(reject);
                default:
                    throw await association.FailAsync(outcome, "the A-ASSOCIATE-AC").ConfigureAwait(false);
            }
        }
        catch
        {
            await association.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static List<NegotiatedPresentationContext> Settle(PresentationContextProposal proposal, AssociateAcceptPdu accept)
    {
        var result = new List<NegotiatedPresentationContext>();
        foreach (var proposed in proposal.Contexts)
        {
            var answer = accept.PresentationContexts.FirstOrDefault(a => a.Id == proposed.Id);
            if (answer is null)
            {
                result.Add(new NegotiatedPresentationContext(proposed.Id, proposed.AbstractSyntax, PresentationContextResult.NoReason, null));
                continue;
            }
            // An acceptor may only choose among the proposed syntaxes (PS3.8 §9.3.3.2); anything else is not usable.
            var accepted = answer.Result == PresentationContextResult.Acceptance && proposed.TransferSyntaxes.Contains(answer.TransferSyntax);
            result.Add(new NegotiatedPresentationContext(proposed.Id, proposed.AbstractSyntax,
                accepted ? PresentationContextResult.Acceptance : (answer.Result == PresentationContextResult.Acceptance ? PresentationContextResult.NoReason : answer.Result),
                accepted ? DicomTransferSyntax.Lookup(answer.TransferSyntax) : null));
        }
        return result;
    }
}
