using System.CommandLine;
using Microsoft.Extensions.Logging;
using RadBridge.Dicom;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;

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
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every transition and request" };
        var command = new Command("scp", "Run a storage SCP: receive instances by C-STORE (and answer C-ECHO) until interrupted")
        {
            port, aet, output, requireCalled, allow, max, users, verbose,
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
            var allowed = parse.GetValue(allow) is { Length: > 0 } list ? new HashSet<string>(list, StringComparer.Ordinal) : null;
            var options = new DicomServerOptions
            {
                AeTitle = parse.GetValue(aet)!,
                RequireCalledAeTitle = parse.GetValue(requireCalled),
                AllowedCallingAeTitles = allowed,
                MaxAssociations = Math.Max(1, parse.GetValue(max)),
                AcceptTransferSyntax = TransferSyntaxPolicies.AllKnown,
                LoggerFactory = loggers,
                Authorizer = accounts.Count > 0 ? new UsernamePasscodeAuthorizer(accounts) : null,
            };
            try
            {
                Directory.CreateDirectory(outDir);
                var registry = new DimseServiceRegistry()
                    .AddVerification()
                    .AddStorage(new FolderStoreHandler(outDir), new StorageScpOptions { TempDirectory = Path.Combine(outDir, ".incoming") });
                var server = new DicomServer(options, registry);
                await using (server)
                {
                    server.Start(parse.GetValue(port));
                    Console.Error.WriteLine($"listening on port {server.Port} as {options.AeTitle}, storing into {outDir}");
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
}
