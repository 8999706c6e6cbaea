using System.CommandLine;
using RadBridge.Dicom;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Dimse;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Cli.Commands;

/// <summary><c>radbridge move HOST PORT --dest AET -k …</c>: C-MOVE (PS3.4 C.4.2) — the peer sends the matches to AET.</summary>
internal static class MoveCommand
{
    public static Command Create()
    {
        var host = NetworkOptions.Host();
        var port = NetworkOptions.Port();
        var aet = NetworkOptions.CallingAe();
        var called = NetworkOptions.CalledAe();
        var timeout = NetworkOptions.Timeout();
        var level = QueryKeys.Level("STUDY");
        var model = QueryKeys.Model();
        var keys = QueryKeys.Keys();
        var destination = new Option<string>("--dest") { Description = "AE title the peer sends the instances to", Required = true };
        var command = new Command("move", "Ask a peer to send matching instances to an AE with C-MOVE") { host, port, aet, called, timeout, level, model, keys, destination };
        command.SetAction(async (parse, ct) =>
        {
            var peer = $"{parse.GetValue(host)}:{parse.GetValue(port)}";
            try
            {
                var queryModel = QueryKeys.ParseModel(parse.GetValue(model));
                var identifier = QueryKeys.Build(parse.GetValue(level), parse.GetValue(keys));
                var sopClass = QueryRetrieveSopClasses.For(queryModel, DimseCommandField.CMoveRequest);
                var association = await DicomClient.ConnectAsync(parse.GetValue(host)!, parse.GetValue(port), NetworkOptions.Client(parse, aet, called, timeout),
                    new PresentationContextProposal().Add(sopClass, DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid), ct);
                RetrieveResult result;
                await using (association)
                {
                    result = await association.MoveAsync(queryModel, parse.GetValue(destination)!, identifier,
                        p => Console.Error.WriteLine($"pending: {p.Remaining} remaining, {p.Completed} completed, {p.Failed} failed, {p.Warning} warning"), ct);
                    await association.ReleaseAsync(ct);
                }
                return RetrieveOutput.Report("move", peer, result);
            }
            catch (DicomException ex)
            {
                CliErrors.Report($"move {peer}", ex.Message);
                return CliErrors.Failure;
            }
        });
        return command;
    }
}

/// <summary>The last line of move and get: counts, and an error line when not everything arrived.</summary>
internal static class RetrieveOutput
{
    public static int Report(string operation, string peer, RetrieveResult result)
    {
        Console.Out.WriteLine($"{operation} {peer}: {result.Completed} completed, {result.Failed} failed, {result.Warning} warning ({result.Status})");
        if (result.Status.IsSuccess) return 0;
        var why = result.ErrorComment is { Length: > 0 } c ? $": {c}" : "";
        var failed = result.FailedSopInstanceUids.Count > 0 ? $" (failed: {string.Join(' ', result.FailedSopInstanceUids)})" : "";
        CliErrors.Report($"{operation} {peer}", $"{operation.ToUpperInvariant()} answered {result.Status}{why}{failed}");
        return CliErrors.Failure;
    }
}
