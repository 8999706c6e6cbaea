using System.CommandLine;
using Microsoft.Extensions.Logging;
using RadBridge.Dicom;
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
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every transition and request" };
        var peers = new Option<string[]>("--peer") { Description = "C-MOVE destination AET=host:port (repeatable)" };
        var pnCase = new Option<bool>("--pn-ignore-case") { Description = "C-FIND: match person names ignoring case" };
        var command = new Command("scp", "Run a storage and query/retrieve SCP: receive instances by C-STORE, answer C-FIND, C-MOVE and C-GET over them (and C-ECHO) until interrupted")
        {
            port, aet, output, requireCalled, allow, max, verbose, pnCase, peers,
        };
        command.SetAction(async (parse, ct) =>
        {
            var outDir = Path.GetFullPath(parse.GetValue(output)!);
            using var loggers = new CliLoggerFactory(parse.GetValue(verbose) ? LogLevel.Debug : LogLevel.Information);
            var allowed = parse.GetValue(allow) is { Length: > 0 } list ? new HashSet<string>(list, StringComparer.Ordinal) : null;
            var options = new DicomServerOptions
            {
                AeTitle = parse.GetValue(aet)!,
                RequireCalledAeTitle = parse.GetValue(requireCalled),
                AllowedCallingAeTitles = allowed,
                MaxAssociations = Math.Max(1, parse.GetValue(max)),
                AcceptTransferSyntax = TransferSyntaxPolicies.AllKnown,
                LoggerFactory = loggers,
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
                    .AddGet(index, matching);
                var server = new DicomServer(options, registry);
                await using (server)
                {
                    server.Start(parse.GetValue(port));
                    Console.Error.WriteLine($"listening on port {server.Port} as {options.AeTitle}, storing into {outDir} ({indexed} instances indexed)");
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
