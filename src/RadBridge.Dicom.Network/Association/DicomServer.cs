using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RadBridge.Dicom.Network.Dimse;
using RadBridge.Dicom.Network.Pdu;
using RadBridge.Dicom.Network.Services;

namespace RadBridge.Dicom.Network.Association;

/// <summary>
/// The association acceptor (SCP side): listens, negotiates per <see cref="DicomServerOptions"/> and the services
/// registered, and serves each association's DIMSE requests through the <see cref="DimseServiceRegistry"/>.
/// </summary>
public sealed class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly DimseServiceRegistry _services;
    private readonly ILogger _logger;
    // Stopping: no new connections, and idle associations (waiting for their next message) end. Aborting: operations
    // still in progress are cancelled too — at once for StopAsync(), after the drain time for a graceful stop.
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly HashSet<Task> _connections = [];
    private readonly Lock _gate = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private int _active;

    public DicomServer(DicomServerOptions options, DimseServiceRegistry services)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        if (!AeTitles.IsValid(options.AeTitle)) throw new DicomNetworkException($"invalid AE title '{options.AeTitle}'");
        _options = options;
        _services = services;
        _logger = options.LoggerFactory?.CreateLogger("RadBridge.Dicom.Network") ?? NullLogger.Instance;
    }

    /// <summary>The port listened on (useful after starting on port 0).</summary>
    public int Port { get; private set; }

    /// <summary>Associations being served now.</summary>
    public int ActiveAssociations => Volatile.Read(ref _active);

    /// <summary>Starts listening on <paramref name="port"/> (0: a free port) of <paramref name="address"/> (default: any).</summary>
    public void Start(int port, IPAddress? address = null)
    {
        if (_listener is not null) throw new InvalidOperationException("the server is already started");
        var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(address ?? IPAddress.Any, port));
            listener.Listen(128);
        }
        catch (SocketException ex)
        {
            listener.Dispose();
            throw new DicomNetworkException($"cannot listen on port {port}: {ex.Message}", ex);
        }
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        _acceptLoop = AcceptLoopAsync(listener);
    }

    /// <summary>Stops accepting, aborts the associations still open and waits for them to end.</summary>
    public Task StopAsync() => StopAsync(TimeSpan.Zero);

    /// <summary>
    /// Graceful stop: stops accepting and ends idle associations at once, lets operations in progress (a C-STORE being
    /// received and archived, a retrieve) finish for up to <paramref name="drainTimeout"/>, then aborts what remains and
    /// waits for every association to end.
    /// </summary>
    public async Task StopAsync(TimeSpan drainTimeout)
    {
        if (_listener is null) return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        if (_acceptLoop is not null) await _acceptLoop.ConfigureAwait(false);
        Task[] open;
        lock (_gate) open = [.. _connections];
        var all = Task.WhenAll(open);
        if (drainTimeout > TimeSpan.Zero) await Task.WhenAny(all, Task.Delay(drainTimeout)).ConfigureAwait(false);
        await _aborting.CancelAsync().ConfigureAwait(false);
        await all.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Idempotent: a host may dispose a service registered both as itself and as a hosted service twice.
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await StopAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _aborting.Dispose();
    }

    private int _disposed;

    private async Task AcceptLoopAsync(Socket listener)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested) return;
                continue;
            }
            var task = Task.Run(() => ServeAsync(socket));
            lock (_gate) _connections.Add(task);
            _ = task.ContinueWith(t => { lock (_gate) _connections.Remove(t); }, TaskScheduler.Default);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        Stream transport = new NetworkStream(socket, ownsSocket: true);
        if (_options.Tls is { } tls)
        {
            try
            {
                // PS3.15 B.1: the TLS handshake completes the transport connection, before any PDU.
                transport = await DicomTls.AuthenticateAsServerAsync(transport, tls, _options.ArtimTimeout, _stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DicomNetworkException or OperationCanceledException or ObjectDisposedException)
            {
                NetworkLog.Refused(_logger, "-", $"{socket.RemoteEndPoint}: {ex.Message}");
                await transport.DisposeAsync().ConfigureAwait(false);
                return;
            }
        }
        var association = new DicomAssociation(socket, transport, isRequestor: false, _options);
        var counted = false;
        var entered = false;
        try
        {
            association.Fire(UpperLayerEvent.Evt5); // AE-5: transport connection accepted, ARTIM started → Sta2
            NetworkLog.Connected(_logger, association.Id, association.Remote);
            var outcome = await association.ReceiveAsync(_options.ArtimTimeout, _stopping.Token).ConfigureAwait(false);
            if (outcome.Pdu is not AssociateRequestPdu request)
            {
                if (outcome.TimedOut)
                {
                    association.Fire(UpperLayerEvent.Evt18); // AA-2: ARTIM expired, close
                    association.Close();
                    NetworkLog.Refused(_logger, association.Id, "no A-ASSOCIATE-RQ before the ARTIM timer expired");
                }
                else
                {
                    // AA-1/AA-2/AA-5 per Table 9-10 for whatever came instead (including malformed PDUs, Evt19).
                    await association.FailAsync(outcome, "the A-ASSOCIATE-RQ").ConfigureAwait(false);
                }
                return;
            }

            // AE-6: the service-provider's own checks (protocol version, PS3.8 §9.3.2 bit 0).
            var providerAcceptable = (request.ProtocolVersion & 1) != 0;
            association.Fire(UpperLayerEvent.Evt6, providerAcceptable);
            if (!providerAcceptable)
            {
                await RejectAsync(association, request, new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceProviderAcse, RejectReasons.ProtocolVersionNotSupported), alreadyFired: true).ConfigureAwait(false);
                return;
            }

            entered = true;
            counted = Interlocked.Increment(ref _active) <= _options.MaxAssociations;
            var reject = Judge(request, socket, counted);
            if (reject is not null)
            {
                await RejectAsync(association, request, reject, alreadyFired: false).ConfigureAwait(false);
                return;
            }

            var decision = await AuthorizeAsync(request, socket, (transport as SslStream)?.RemoteCertificate).ConfigureAwait(false);
            if (decision.Reject is { } refused)
            {
                await RejectAsync(association, request, refused, alreadyFired: false).ConfigureAwait(false);
                return;
            }

            var (accept, negotiated) = Negotiate(request, decision);
            association.Fire(UpperLayerEvent.Evt7); // AE-7 → Sta6
            await association.SendPduAsync(accept, _stopping.Token).ConfigureAwait(false);
            association.SetNegotiation(request.CallingAeTitle, request.CalledAeTitle, negotiated, request.UserInformation);
            association.Principal = decision.Principal;
            NetworkLog.Accepted(_logger, association.Id, request.CallingAeTitle, request.CalledAeTitle, negotiated.Count(c => c.IsAccepted), negotiated.Count);
            await ServeMessagesAsync(association).ConfigureAwait(false);
        }
        catch (DicomNetworkException)
        {
            // Already logged and the association ended by the layer that found the fault.
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            NetworkLog.Aborted(_logger, association.Id, ex.Message);
        }
        finally
        {
            if (entered) Interlocked.Decrement(ref _active);
            await association.DisposeAsync().ConfigureAwait(false);
            if (association.Principal is IAsyncDisposable asyncPrincipal) await asyncPrincipal.DisposeAsync().ConfigureAwait(false);
            else if (association.Principal is IDisposable principal) principal.Dispose();
        }
    }

    private AssociateRejectPdu? Judge(AssociateRequestPdu request, Socket socket, bool withinLimit)
    {
        if (request.ApplicationContextName != DicomApplicationContext.Name)
            return new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.ApplicationContextNameNotSupported);
        if (_options.AllowedPeers is { } peers && (socket.RemoteEndPoint is not IPEndPoint remote || !peers.Contains(Normalize(remote.Address))))
            return new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.UserNoReasonGiven);
        if (_options.RequireCalledAeTitle && !string.Equals(request.CalledAeTitle, _options.AeTitle, StringComparison.Ordinal))
            return new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CalledAeTitleNotRecognized);
        if (_options.AllowedCallingAeTitles is { } callers && !callers.Contains(request.CallingAeTitle))
            return new AssociateRejectPdu(RejectResult.Permanent, RejectSource.ServiceUser, RejectReasons.CallingAeTitleNotRecognized);
        if (!withinLimit)
            return new AssociateRejectPdu(RejectResult.Transient, RejectSource.ServiceProviderPresentation, RejectReasons.LocalLimitExceeded);
        return null;
    }

    /// <summary>The authorisation hook, when configured; an identity it accepts with a positive response requested gets one.</summary>
    private async ValueTask<AuthorizationDecision> AuthorizeAsync(AssociateRequestPdu request, Socket socket, System.Security.Cryptography.X509Certificates.X509Certificate? clientCertificate)
    {
        if (_options.Authorizer is not { } authorizer) return AuthorizationDecision.Accept();
        var info = new AssociationRequestInfo(request.CallingAeTitle, request.CalledAeTitle, socket.RemoteEndPoint as IPEndPoint,
            request.UserInformation.UserIdentityRequest, clientCertificate);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timer.CancelAfter(_options.ArtimTimeout);
        return await authorizer.AuthorizeAsync(info, timer.Token).ConfigureAwait(false);
    }

    private static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private async Task RejectAsync(DicomAssociation association, AssociateRequestPdu request, AssociateRejectPdu reject, bool alreadyFired)
    {
        if (!alreadyFired) association.Fire(UpperLayerEvent.Evt8); // AE-8: A-ASSOCIATE-RJ, start ARTIM → Sta13
        NetworkLog.Rejected(_logger, association.Id, request.CallingAeTitle, request.CalledAeTitle, reject.Describe());
        using (var timer = new CancellationTokenSource(_options.ArtimTimeout))
        {
            await association.SendPduAsync(reject, timer.Token).ConfigureAwait(false);
        }
        await association.AwaitCloseAsync().ConfigureAwait(false);
    }

    /// <summary>Answers each proposed context: supported abstract syntax, and the first proposed transfer syntax our policy accepts.</summary>
    private (AssociateAcceptPdu, List<NegotiatedPresentationContext>) Negotiate(AssociateRequestPdu request, AuthorizationDecision decision)
    {
        var answers = new List<PresentationContextAccept>();
        var negotiated = new List<NegotiatedPresentationContext>();
        foreach (var pc in request.PresentationContexts)
        {
            if (!_services.Supports(pc.AbstractSyntax))
            {
                answers.Add(new PresentationContextAccept(pc.Id, PresentationContextResult.AbstractSyntaxNotSupported, ""));
                negotiated.Add(new NegotiatedPresentationContext(pc.Id, pc.AbstractSyntax, PresentationContextResult.AbstractSyntaxNotSupported, null));
                continue;
            }
            var chosen = pc.TransferSyntaxes.FirstOrDefault(ts => DicomTransferSyntax.IsKnownUid(ts) && _options.AcceptTransferSyntax(pc.AbstractSyntax, DicomTransferSyntax.Lookup(ts)));
            if (chosen is null)
            {
                answers.Add(new PresentationContextAccept(pc.Id, PresentationContextResult.TransferSyntaxesNotSupported, ""));
                negotiated.Add(new NegotiatedPresentationContext(pc.Id, pc.AbstractSyntax, PresentationContextResult.TransferSyntaxesNotSupported, null));
                continue;
            }
            answers.Add(new PresentationContextAccept(pc.Id, PresentationContextResult.Acceptance, chosen));
            negotiated.Add(new NegotiatedPresentationContext(pc.Id, pc.AbstractSyntax, PresentationContextResult.Acceptance, DicomTransferSyntax.Lookup(chosen)));
        }
        var acceptedSopClasses = negotiated.Where(c => c.IsAccepted).Select(c => c.AbstractSyntax).ToHashSet(StringComparer.Ordinal);
        var accept = new AssociateAcceptPdu
        {
            CalledAeTitle = request.CalledAeTitle,
            CallingAeTitle = request.CallingAeTitle,
            PresentationContexts = answers,
            UserInformation = new UserInformation
            {
                MaximumLength = _options.MaxPduLength,
                ImplementationClassUid = DicomWriter.ImplementationClassUid,
                ImplementationVersionName = DicomWriter.ImplementationVersionName,
                AsynchronousOperationsWindow = AcceptorNegotiation.AnswerWindow(request.UserInformation),
                RoleSelections = AcceptorNegotiation.AnswerRoles(request.UserInformation, acceptedSopClasses, _options.AcceptRequestorScpRole),
                ExtendedNegotiations = AcceptorNegotiation.AnswerExtended(request.UserInformation, acceptedSopClasses),
                UserIdentityServerResponse = _options.Authorizer is not null && request.UserInformation.UserIdentityRequest is { PositiveResponseRequested: true }
                    ? (ReadOnlyMemory<byte>?)decision.ServerResponse : null,
            },
        };
        return (accept, negotiated);
    }

    private async Task ServeMessagesAsync(DicomAssociation association)
    {
        // Waiting for the next message ends with a stop; an operation once started runs until done or aborted.
        var ct = _aborting.Token;
        while (true)
        {
            var message = await association.ReadMessageAsync(_options.NetworkTimeout, _stopping.Token).ConfigureAwait(false);
            if (message is null)
            {
                await association.RespondToReleaseAsync().ConfigureAwait(false);
                return;
            }
            var command = message.Command;
            var context = message.PresentationContext;
            NetworkLog.Request(association.Logger, association.Id, command.CommandField.Name(), context.Id, context.AbstractSyntax);
            var request = new DimseRequest(association, message);
            if (command.CommandField.IsResponse() || command.CommandField == DimseCommandField.CCancelRequest)
            {
                // No operation of ours is outstanding as a performer or invoker here: nothing to route to.
                if (message.DataSet is { } stray) await stray.DrainAsync(ct).ConfigureAwait(false);
                continue;
            }
            var service = _services.Find(command.CommandField, context.AbstractSyntax);
            if (service is null)
            {
                if (message.DataSet is { } unwanted) await unwanted.DrainAsync(ct).ConfigureAwait(false);
                await request.RespondAsync(DimseStatus.UnrecognizedOperation, r => r.ErrorComment = $"{command.CommandField.Name()} is not served for this SOP class", ct: ct).ConfigureAwait(false);
                continue;
            }
            await service.HandleAsync(request, ct).ConfigureAwait(false);
            if (message.DataSet is { IsComplete: false } rest) await rest.DrainAsync(ct).ConfigureAwait(false);
        }
    }
}
