using System.IO.Pipelines;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RadBridge.Dicom.Network.Pdu;

namespace RadBridge.Dicom.Network.Association;

/// <summary>
/// One DICOM association over a TCP connection, either side. Every PDU sent or received moves the
/// <see cref="UpperLayerStateMachine"/>; the DIMSE layer above sends and receives messages as PDVs. One operation at a
/// time: the caller (client or server loop) serialises its use.
/// </summary>
public sealed partial class DicomAssociation : IAsyncDisposable
{
    private static long _counter;

    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly PipeWriter _output;
    private readonly PduReader _reader;
    private readonly DicomAssociationOptions _options;
    private readonly UpperLayerStateMachine _machine;
    private IReadOnlyList<PresentationDataValue> _pending = [];
    private int _pendingIndex;
    private ushort _nextMessageId = 1;
    private bool _closed;

    // transport: the stream over socket (owning it), a NetworkStream or, for TLS, an SslStream over one.
    internal DicomAssociation(Socket socket, Stream transport, bool isRequestor, DicomAssociationOptions options)
    {
        _socket = socket;
        _socket.NoDelay = true;
        _stream = transport;
        _reader = new PduReader(PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, leaveOpen: true)))
        {
            MaxDataPduLength = options.MaxPduLength,
        };
        _output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(leaveOpen: true));
        _options = options;
        _machine = new UpperLayerStateMachine(isRequestor);
        Id = $"A{Interlocked.Increment(ref _counter)}";
        Logger = options.LoggerFactory?.CreateLogger("RadBridge.Dicom.Network") ?? NullLogger.Instance;
        Remote = socket.RemoteEndPoint?.ToString() ?? "?";
    }

    /// <summary>A short id ("A17") naming this association in logs.</summary>
    public string Id { get; }

    /// <summary>The peer's address and port.</summary>
    public string Remote { get; }

    /// <summary>The current PS3.8 state.</summary>
    public UpperLayerState State => _machine.State;

    public string CallingAeTitle { get; private set; } = "";

    /// <summary>Who the association acts for, as the server's authoriser accepted it (<see cref="AuthorizationDecision.Principal"/>); null otherwise.</summary>
    public object? Principal { get; internal set; }
    public string CalledAeTitle { get; private set; } = "";

    /// <summary>The maximum P-DATA-TF length the peer accepts (0: no limit announced).</summary>
    public uint PeerMaxPduLength { get; private set; }

    /// <summary>The peer's implementation class UID and version name, from its A-ASSOCIATE PDU.</summary>
    public string PeerImplementation { get; private set; } = "";

    /// <summary>Every presentation context with its result.</summary>
    public IReadOnlyList<NegotiatedPresentationContext> PresentationContexts { get; private set; } = [];

    internal ILogger Logger { get; }

    internal DicomAssociationOptions Options => _options;

    /// <summary>True while data can be exchanged (Sta6).</summary>
    public bool IsEstablished => _machine.State == UpperLayerState.Sta6;

    /// <summary>The accepted context with this id, or null.</summary>
    public NegotiatedPresentationContext? FindContext(byte id) => PresentationContexts.FirstOrDefault(c => c.Id == id && c.IsAccepted);

    /// <summary>The first accepted context for an abstract syntax, preferring <paramref name="preferredTransferSyntax"/>.</summary>
    public NegotiatedPresentationContext? FindContext(string abstractSyntax, DicomTransferSyntax? preferredTransferSyntax = null)
    {
        NegotiatedPresentationContext? any = null;
        foreach (var c in PresentationContexts)
        {
            if (!c.IsAccepted || c.AbstractSyntax != abstractSyntax) continue;
            if (preferredTransferSyntax is null || c.TransferSyntax!.Equals(preferredTransferSyntax)) return c;
            any ??= c;
        }
        return any;
    }

    internal ushort NextMessageId() => _nextMessageId++ is var id && id == 0 ? _nextMessageId++ : id;

    internal void SetNegotiation(string calling, string called, IReadOnlyList<NegotiatedPresentationContext> contexts, UserInformation peer)
    {
        CallingAeTitle = calling;
        CalledAeTitle = called;
        PresentationContexts = contexts;
        PeerMaxPduLength = peer.MaximumLength;
        PeerImplementation = peer.ImplementationVersionName is { } v ? $"{peer.ImplementationClassUid} {v}" : peer.ImplementationClassUid;
    }

    /// <summary>Moves the state machine; a transition the table forbids is a programming error of this layer.</summary>
    internal UpperLayerAction Fire(UpperLayerEvent evt, bool requestAcceptable = true)
    {
        var from = _machine.State;
        var action = _machine.Fire(evt, requestAcceptable);
        if (Logger.IsEnabled(LogLevel.Debug)) NetworkLog.Transition(Logger, Id, from, evt, UpperLayerStateTable.Name(action), _machine.State);
        return action;
    }

    internal bool Allows(UpperLayerEvent evt) => _machine.Allows(evt);

    internal async ValueTask SendPduAsync(DicomPdu pdu, CancellationToken ct)
    {
        var bytes = PduEncoder.Encode(pdu);
        await _output.WriteAsync(bytes, ct).ConfigureAwait(false);
    }

    /// <summary>Reads one PDU within <paramref name="timeout"/>. Faults come back as the outcome, never as stray exceptions.</summary>
    internal async ValueTask<ReceiveOutcome> ReceiveAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timer.CancelAfter(timeout);
        try
        {
            var pdu = await _reader.ReadAsync(timer.Token).ConfigureAwait(false);
            return pdu is null ? ReceiveOutcome.Closed("connection closed by the peer") : new ReceiveOutcome(pdu, null, null, false);
        }
        catch (DicomPduException ex)
        {
            return new ReceiveOutcome(null, ex, null, false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new ReceiveOutcome(null, null, null, true);
        }
        catch (Exception ex) when (ex is IOException or SocketException or EndOfStreamException or ObjectDisposedException)
        {
            return ReceiveOutcome.Closed(ex.Message);
        }
    }

    internal readonly record struct ReceiveOutcome(DicomPdu? Pdu, DicomPduException? Fault, string? ClosedReason, bool TimedOut)
    {
        public static ReceiveOutcome Closed(string reason) => new(null, null, reason, false);
    }

    /// <summary>
    /// Handles a PDU that arrived where the data transfer or release phase did not expect it, or a fault, per Table 9-10,
    /// and ends the association. Returns the exception to throw to the caller.
    /// </summary>
    internal async ValueTask<Exception> FailAsync(ReceiveOutcome outcome, string waitingFor)
    {
        if (outcome.TimedOut)
        {
            var message = $"no PDU from the peer within the timeout while waiting for {waitingFor}";
            await AbortLocallyAsync(message).ConfigureAwait(false);
            return new DicomAssociationAbortedException(message, new TimeoutException(message));
        }
        if (outcome.ClosedReason is { } closed)
        {
            if (Allows(UpperLayerEvent.Evt17)) Fire(UpperLayerEvent.Evt17); // AA-4 (or AA-5 / AR-5): A-P-ABORT indication
            Close();
            NetworkLog.Aborted(Logger, Id, closed);
            return new DicomAssociationAbortedException($"connection lost while waiting for {waitingFor}: {closed}");
        }
        if (outcome.Fault is { } fault)
        {
            await ProviderAbortAsync(UpperLayerEvent.Evt19, fault.ToAbort(), fault.Message).ConfigureAwait(false);
            return fault;
        }
        switch (outcome.Pdu)
        {
            case AbortPdu abort:
                Fire(UpperLayerEvent.Evt16); // AA-3 (AA-2 in Sta2/Sta13)
                Close();
                NetworkLog.Aborted(Logger, Id, abort.Describe());
                return new DicomAssociationAbortedException(abort);
            case { } other:
                var evt = EventFor(other);
                var reason = $"unexpected {other.Type} PDU while waiting for {waitingFor}";
                await ProviderAbortAsync(evt, new AbortPdu(AbortSource.ServiceProvider, AbortReason.UnexpectedPdu), reason).ConfigureAwait(false);
                return new DicomAssociationAbortedException(reason);
            default:
                return new DicomNetworkException("no PDU");
        }
    }

    internal static UpperLayerEvent EventFor(DicomPdu pdu) => pdu.Type switch
    {
        PduType.AssociateAccept => UpperLayerEvent.Evt3,
        PduType.AssociateReject => UpperLayerEvent.Evt4,
        PduType.AssociateRequest => UpperLayerEvent.Evt6,
        PduType.DataTransfer => UpperLayerEvent.Evt10,
        PduType.ReleaseRequest => UpperLayerEvent.Evt12,
        PduType.ReleaseResponse => UpperLayerEvent.Evt13,
        PduType.Abort => UpperLayerEvent.Evt16,
        _ => UpperLayerEvent.Evt19,
    };

    /// <summary>
    /// An event whose action is AA-1, AA-7 or AA-8: send A-ABORT (service-user source for AA-1, service-provider with the
    /// reason otherwise), then wait for the peer to close (ARTIM) and close.
    /// </summary>
    internal async ValueTask ProviderAbortAsync(UpperLayerEvent evt, AbortPdu abort, string reason)
    {
        NetworkLog.Aborted(Logger, Id, reason);
        if (!Allows(evt)) { Close(); return; }
        var action = Fire(evt);
        var pdu = action switch
        {
            UpperLayerAction.AA1 => new AbortPdu(AbortSource.ServiceUser, AbortReason.ReasonNotSpecified),
            UpperLayerAction.AA7 or UpperLayerAction.AA8 => abort,
            _ => null,
        };
        if (pdu is not null) await TrySendAsync(pdu).ConfigureAwait(false);
        await AwaitCloseAsync().ConfigureAwait(false);
    }

    /// <summary>A-ABORT request primitive from this side (Evt15: AA-1, or AA-2 before the connection is up).</summary>
    internal async ValueTask AbortLocallyAsync(string reason)
    {
        NetworkLog.Aborted(Logger, Id, reason);
        if (!Allows(UpperLayerEvent.Evt15)) { Close(); return; }
        var action = Fire(UpperLayerEvent.Evt15);
        if (action == UpperLayerAction.AA1) await TrySendAsync(new AbortPdu(AbortSource.ServiceUser, AbortReason.ReasonNotSpecified)).ConfigureAwait(false);
        // Having aborted we do not wait for the peer: the association no longer exists for the user.
        Close();
    }

    private async ValueTask TrySendAsync(DicomPdu pdu)
    {
        try
        {
            using var timer = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await SendPduAsync(pdu, timer.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // The peer may already be gone; the abort is best effort.
        }
    }

    /// <summary>Sta13: the association is over; ignore whatever still arrives until the peer closes or ARTIM expires.</summary>
    internal async ValueTask AwaitCloseAsync()
    {
        if (_closed) return;
        try
        {
            _socket.Shutdown(SocketShutdown.Send);
            using var artim = new CancellationTokenSource(_options.ArtimTimeout);
            var sink = new byte[4096];
            while (await _stream.ReadAsync(sink, artim.Token).ConfigureAwait(false) > 0)
            {
            }
            if (Allows(UpperLayerEvent.Evt17)) Fire(UpperLayerEvent.Evt17); // AR-5
        }
        catch (OperationCanceledException)
        {
            if (Allows(UpperLayerEvent.Evt18)) Fire(UpperLayerEvent.Evt18); // AA-2
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
        {
        }
        Close();
    }

    internal void Close()
    {
        if (_closed) return;
        _closed = true;
        try { _output.Complete(); } catch (InvalidOperationException) { }
        _stream.Dispose();
        _reader.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_closed && _machine.State is not (UpperLayerState.Sta1 or UpperLayerState.Sta13)) await AbortLocallyAsync("disposed while open").ConfigureAwait(false);
        Close();
    }
}
