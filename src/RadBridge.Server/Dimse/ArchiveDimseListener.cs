using System.Security.Cryptography.X509Certificates;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using RadBridge.Archive;
using RadBridge.Archive.Index;
using RadBridge.Archive.Ingest;
using RadBridge.Archive.Query;
using RadBridge.Dicom.Network;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Services.Query;
using RadBridge.Server.Hosting;

namespace RadBridge.Server.Dimse;

/// <summary>
/// The archive SCP of <c>radbridge serve</c> on Bind:DicomPort: C-ECHO, C-STORE of every storage SOP class in every
/// transfer syntax we know (kept as received), C-FIND, C-MOVE (to the caller's registered AEs) and C-GET over what the
/// caller's organisation may see, and storage commitment, for registered AEs only
/// (<see cref="ArchiveAssociationAuthorizer"/>), with DICOM TLS when the server has a certificate. Started before the
/// host reports itself started, so <c>/health/ready</c> answers 200 only once the port listens. Stopping ends idle
/// associations and lets stores in progress finish (they are acknowledged only once durable) before the host goes.
/// </summary>
public sealed partial class ArchiveDimseListener : IHostedService, IAsyncDisposable
{
    /// <summary>How long a stop waits for operations in progress; the host's own shutdown timeout is longer.</summary>
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(20);

    private readonly ServeOptions _options;
    private readonly ILogger _logger;
    private readonly DicomServer _server;

    public ArchiveDimseListener(ServeOptions options, ArchiveLocation location, ArchiveIngest ingest, IDbContextFactory<ArchiveDbContext> contexts,
        ArchiveAssociationAuthorizer authorizer, ArchiveMetrics metrics, ILoggerFactory loggers)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(loggers);
        _options = options;
        _logger = loggers.CreateLogger<ArchiveDimseListener>();
        var serverOptions = new DicomServerOptions
        {
            AeTitle = options.AeTitle,
            RequireCalledAeTitle = true,
            AcceptTransferSyntax = TransferSyntaxPolicies.AllKnown,
            Authorizer = authorizer,
            Tls = Tls(options),
            MaxAssociations = 64,
            LoggerFactory = loggers,
        };
        // One registry for every association: the query source and the move destinations answer as the association's
        // caller (its ArchiveAssociation), so the tenant filter is part of each database query.
        var queries = new ArchiveQueryRetrieveSource(contexts, new ArchiveQueryService(ingest.Store),
            (association, _) => ValueTask.FromResult((association.Principal as ArchiveAssociation)?.Caller));
        var destinations = new ArchiveMoveDestinations(contexts);
        var registry = new DimseServiceRegistry()
            .AddVerification()
            .AddStorage(new ArchiveStoreHandler(ingest, metrics, loggers.CreateLogger<ArchiveStoreHandler>()),
                new StorageScpOptions { TempDirectory = location.TempDirectory, FlushToDisk = false })
            .AddFind(queries)
            .AddMove(queries, destinations.FindAsync)
            .AddGet(queries)
            .AddStorageCommitment(new ArchiveCommitmentStore(contexts, ingest.Store));
        _server = new DicomServer(serverOptions, registry);
    }

    /// <summary>The port listened on (differs from the configured one only when that was 0).</summary>
    public int Port => _server.Port;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _server.Start(_options.DicomPort, _options.Bind);
        }
        catch (DicomNetworkException ex)
        {
            // The CLI reports IOExceptions as one "error:" line; a port in use is one.
            throw new IOException($"DICOM port: {ex.Message}", ex);
        }
        Listening(_logger, _options.AeTitle, _options.Bind.ToString(), _server.Port, _options.TlsCertificatePath is null ? "" : " (TLS)");
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Stopping(_logger, _server.ActiveAssociations);
        await _server.StopAsync(DrainTimeout).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    // The PFX holds certificate and key; client certificates are taken for pinning per registered AE.
    private static DicomTlsServerOptions? Tls(ServeOptions options) =>
        options.TlsCertificatePath is { } pfx
            ? new DicomTlsServerOptions
            {
                Certificate = X509CertificateLoader.LoadPkcs12FromFile(pfx, options.TlsCertificatePassword),
                AcceptClientCertificateForPinning = true,
            }
            : null;

    [LoggerMessage(LogLevel.Information, "archive SCP {AeTitle} listening on {Bind}:{Port}{Tls}")]
    private static partial void Listening(ILogger logger, string aeTitle, string bind, int port, string tls);

    [LoggerMessage(LogLevel.Information, "archive SCP stopping: waiting for {Active} associations to finish")]
    private static partial void Stopping(ILogger logger, int active);
}
