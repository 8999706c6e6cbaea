using System.CommandLine;
using RadBridge.Dicom;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;

namespace RadBridge.Cli.Commands;

/// <summary>
/// <c>radbridge commit HOST PORT PATH...</c>: Storage Commitment Push Model SCU (PS3.4 Annex J) — asks the peer to take
/// responsibility for the instances in the files and waits for its report on the same association.
/// </summary>
internal static class CommitCommand
{
    public static Command Create()
    {
        var host = NetworkOptions.Host();
        var port = NetworkOptions.Port();
        var paths = new Argument<string[]>("PATH") { Description = "DICOM files whose instances the peer should commit", Arity = ArgumentArity.OneOrMore };
        var aet = NetworkOptions.CallingAe();
        var called = NetworkOptions.CalledAe();
        var timeout = NetworkOptions.Timeout();
        var command = new Command("commit", "Ask a peer to commit (take responsibility for) instances it stored: prints committed and failed counts, exit 1 if any failed")
        {
            host, port, paths, aet, called, timeout,
        };
        command.SetAction(async (parse, ct) =>
        {
            var peer = $"{parse.GetValue(host)}:{parse.GetValue(port)}";
            var options = NetworkOptions.Client(parse, aet, called, timeout);
            try
            {
                var items = new List<CommitmentItem>();
                foreach (var path in parse.GetValue(paths)!)
                {
                    var source = StoreSource.Open(path);
                    items.Add(new CommitmentItem(source.SopClassUid, source.SopInstanceUid));
                }
                var association = await DicomClient.ConnectAsync(parse.GetValue(host)!, parse.GetValue(port), options,
                    new PresentationContextProposal().Add(StorageCommitment.SopClassUid,
                        DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid), ct);
                await using (association)
                {
                    var result = await association.CommitAsync(items, options.DimseTimeout, ct);
                    await association.ReleaseAsync(ct);
                    foreach (var failure in result.Failed)
                    {
                        Console.Out.WriteLine($"failed {failure.Item.SopInstanceUid} (reason 0x{failure.FailureReason:X4})");
                    }
                    Console.Out.WriteLine($"commit {peer} ({options.CalledAeTitle}): {result.Committed.Count} committed, {result.Failed.Count} failed (transaction {result.TransactionUid})");
                    return result.Failed.Count == 0 && result.Committed.Count == items.Count ? 0 : CliErrors.Failure;
                }
            }
            catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
            {
                CliErrors.Report($"commit {peer}", ex.Message);
                return CliErrors.Failure;
            }
        });
        return command;
    }
}
