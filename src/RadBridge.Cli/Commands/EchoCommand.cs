using System.CommandLine;
using System.Diagnostics;
using RadBridge.Dicom;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;

namespace RadBridge.Cli.Commands;

/// <summary><c>radbridge echo HOST PORT</c>: C-ECHO (Verification, PS3.4 Annex A) — is the peer there and will it talk to us?</summary>
internal static class EchoCommand
{
    public static Command Create()
    {
        var host = NetworkOptions.Host();
        var port = NetworkOptions.Port();
        var aet = NetworkOptions.CallingAe();
        var called = NetworkOptions.CalledAe();
        var timeout = NetworkOptions.Timeout();
        var command = new Command("echo", "Verify a DICOM peer with C-ECHO (exit 0 when it answers Success)") { host, port, aet, called, timeout };
        var tls = new ClientTlsOptions();
        tls.AddTo(command);
        command.SetAction(async (parse, ct) =>
        {
            var peer = $"{parse.GetValue(host)}:{parse.GetValue(port)}";
            DicomTlsClientOptions? tlsOptions;
            try
            {
                tlsOptions = tls.Build(parse);
            }
            catch (DicomException ex)
            {
                CliErrors.Report("echo", ex.Message);
                return CliErrors.Failure;
            }
            var options = NetworkOptions.Client(parse, aet, called, timeout) with { Tls = tlsOptions };
            try
            {
                var clock = Stopwatch.StartNew();
                var association = await DicomClient.ConnectAsync(parse.GetValue(host)!, parse.GetValue(port), options,
                    new PresentationContextProposal().Add(Verification.SopClassUid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid), ct);
                await using (association)
                {
                    var status = await association.EchoAsync(ct);
                    await association.ReleaseAsync(ct);
                    if (!status.IsSuccess)
                    {
                        CliErrors.Report($"echo {peer}", $"C-ECHO answered {status}");
                        return CliErrors.Failure;
                    }
                    Console.Out.WriteLine($"echo {peer} ({options.CalledAeTitle}): success in {clock.ElapsedMilliseconds} ms");
                    return 0;
                }
            }
            catch (DicomException ex)
            {
                CliErrors.Report($"echo {peer}", ex.Message);
                return CliErrors.Failure;
            }
        });
        return command;
    }
}
