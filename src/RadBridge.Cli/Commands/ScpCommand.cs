using System.CommandLine;
using Microsoft.Extensions.Logging;
using RadBridge.Dicom;
using RadBridge.Dicom.Network;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Cli.Commands;

/// <summary>
/// <c>radbridge scp --port P --aet A --out DIR</c>: a Storage SCP (and Verification) that accepts every Storage SOP class
/// in every transfer syntax proposed and files each instance durably as DIR/study/series/instance.dcm.
/// </summary>
internal static class ScpCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "TCP port to listen on", Required = true };
        var aet = new Option<string>("--aet") { Description = "Our AE title", DefaultValueFactory = _ => "RADBRIDGE" };
        var output = new Option<string>("--out", "-o") { Description = "Folder receiving the instances", Required = true };
        var requireCalled = new Option<bool>("--require-called") { Description = "Reject associations whose called AE title is not ours" };
        var allow = new Option<string[]>("--allow-calling") { Description = "Accept only these calling AE titles (repeatable)", AllowMultipleArgumentsPerToken = true };
        var max = new Option<int>("--max-associations") { Description = "Associations served at once", DefaultValueFactory = _ => 32 };
        var users = new Option<string[]>("--require-user")
        {
            Description = "Require DICOM user identity (username and passcode) matching USER:PASS (repeatable for several accounts)",
            AllowMultipleArgumentsPerToken = true,
        };
        var tlsCert = new Option<string>("--tls-cert") { Description = "Serve TLS (PS3.15 B.1) with this PEM certificate" };
        var tlsKey = new Option<string>("--tls-key") { Description = "PEM private key of --tls-cert (when not in the certificate file)" };
        var tlsCa = new Option<string>("--tls-ca") { Description = "PEM CA certificates that client certificates must chain to" };
        var tlsRequireClient = new Option<bool>("--tls-require-client-cert") { Description = "Refuse TLS clients without a certificate from --tls-ca" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every transition and request" };
        var peers = new Option<string[]>("--peer") { Description = "C-MOVE destination AET=host:port (repeatable)" };
        var pnCase = new Option<bool>("--pn-ignore-case") { Description = "C-FIND: match person names ignoring case" };
        var command = new Command("scp", "Run a storage and query/retrieve SCP: receive instances by C-STORE, answer C-FIND, C-MOVE and C-GET over them, storage commitment (N-ACTION) and C-ECHO until interrupted")
        {
            port, aet, output, requireCalled, allow, max, users, tlsCert, tlsKey, tlsCa, tlsRequireClient, verbose, pnCase, peers,
        };
        command.SetAction(async (parse, ct) =>
        {
            var outDir = Path.GetFullPath(parse.GetValue(output)!);
            using var loggers = new CliLoggerFactory(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information);
            var accounts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var account in parse.GetValue(users) ?? [])
            {
                var colon = account.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0)
                {
                    CliErrors.Report("scp", $"--require-user expects USER:PASS, got '{account}'");
                    return CliErrors.Failure;
                }
                accounts[account[..colon]] = account[(colon + 1)..];
            }
            DicomTlsServerOptions? tls = null;
            try
            {
                if (parse.GetValue(tlsCert) is { } certFile)
                {
                    var ca = parse.GetValue(tlsCa);
                    if (parse.GetValue(tlsRequireClient) && ca is null) throw new DicomNetworkException("--tls-require-client-cert needs --tls-ca");
                    tls = new DicomTlsServerOptions
                    {
                        Certificate = DicomTls.LoadCertificate(certFile, parse.GetValue(tlsKey)),
                        TrustedRoots = ca is null ? null : DicomTls.LoadRoots(ca),
                        RequireClientCertificate = parse.GetValue(tlsRequireClient),
                    };
                }
                else if (parse.GetValue(tlsKey) is not null || parse.GetValue(tlsCa) is not null || parse.GetValue(tlsRequireClient))
                {
                    throw new DicomNetworkException("the --tls-* options need --tls-cert");
                }
            }
            catch (DicomException ex)
            {
                CliErrors.Report("scp", ex.Message);
                return CliErrors.Failure;
            }
            var allowed = parse.GetValue(allow) is { Length: > 0 } list ? new HashSet<string>(list, StringComparer.Ordinal) : null;
            var options = new DicomServerOptions
            {
                AeTitle = parse.GetValue(aet)!,
                RequireCalledAeTitle = parse.GetValue(requireCalled),
                AllowedCallingAeTitles = allowed,
                MaxAssociations = Math.Max(1, parse.GetValue(max)),
                AcceptTransferSyntax = TransferSyntaxPolicies.AllKnown,
                LoggerFactory = loggers,
                Tls = tls,
                Authorizer = accounts.Count > 0 ? new UsernamePasscodeAuthorizer(accounts) : null,
            };
            try
            {
                Directory.CreateDirectory(outDir);
                // What is already in the folder answers queries, and so does every instance stored from now on.
                var index = new FolderInstanceIndex(outDir);
                var indexed = index.Scan();
                var matching = new MatchingOptions { CaseInsensitivePersonNames = parse.GetValue(pnCase) };
                var registry = new DimseServiceRegistry()
                    .AddVerification()
                    .AddStorage(new FolderStoreHandler(outDir, path => index.TryAdd(path)), new StorageScpOptions { TempDirectory = Path.Combine(outDir, ".incoming") })
                    .AddFind(index, matching)
                    .AddMove(index, ParsePeers(parse.GetValue(peers)), matching)
                    .AddGet(index, matching)
                    .AddStorageCommitment(index);
                var server = new DicomServer(options, registry);
                await using (server)
                {
                    server.Start(parse.GetValue(port));
                    Console.Error.WriteLine($"listening on port {server.Port}{(tls is null ? "" : " (TLS)")} as {options.AeTitle}, storing into {outDir} ({indexed} instances indexed)");
                    try
                    {
                        await Task.Delay(Timeout.Infinite, ct);
                    }
                    catch (OperationCanceledException)
                    {
                        Console.Error.WriteLine("stopping");
                    }
                }
                return 0;
            }
            catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
            {
                CliErrors.Report("scp", ex.Message);
                return CliErrors.Failure;
            }
        });
        return command;
    }

    /// <summary>Parses --peer AET=host:port values.</summary>
    /// <exception cref="DicomException">A value is not AET=host:port.</exception>
    private static List<DicomPeer> ParsePeers(string[]? values)
    {
        var peers = new List<DicomPeer>();
        foreach (var value in values ?? [])
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            var colon = value.LastIndexOf(':');
            if (equals <= 0 || colon < equals + 2 || !int.TryParse(value.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var p) || p is < 1 or > 65535)
            {
                throw new DicomException($"--peer '{value}' is not AET=host:port");
            }
            peers.Add(new DicomPeer(value[..equals], value[(equals + 1)..colon], p));
        }
        return peers;
    }
}
