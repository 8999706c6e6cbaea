using System.CommandLine;
using RadBridge.Dicom;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Cli.Commands;

/// <summary><c>radbridge find HOST PORT --level STUDY -k Tag=Value…</c>: C-FIND (PS3.4 C.4.1), one line per match or a DICOM JSON array.</summary>
internal static class FindCommand
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
        var json = new Option<bool>("--json") { Description = "Print the matches as a DICOM JSON array (PS3.18 F.2)" };
        var command = new Command("find", "Query a peer with C-FIND") { host, port, aet, called, timeout, level, model, keys, json };
        command.SetAction(async (parse, ct) =>
        {
            var peer = $"{parse.GetValue(host)}:{parse.GetValue(port)}";
            try
            {
                var queryModel = QueryKeys.ParseModel(parse.GetValue(model));
                var identifier = QueryKeys.Build(parse.GetValue(level), parse.GetValue(keys));
                var sopClass = QueryRetrieveSopClasses.For(queryModel, Dicom.Network.Dimse.DimseCommandField.CFindRequest);
                var association = await DicomClient.ConnectAsync(parse.GetValue(host)!, parse.GetValue(port), NetworkOptions.Client(parse, aet, called, timeout),
                    new PresentationContextProposal().Add(sopClass, DicomTransferSyntax.ExplicitVRLittleEndian.Uid, DicomTransferSyntax.ImplicitVRLittleEndian.Uid), ct);
                var matches = new List<DicomDataset>();
                await using (association)
                {
                    await foreach (var match in association.FindAsync(queryModel, identifier, ct))
                    {
                        if (parse.GetValue(json)) matches.Add(match);
                        else Console.Out.WriteLine(QueryKeys.Line(match));
                    }
                    await association.ReleaseAsync(ct);
                }
                if (parse.GetValue(json)) Console.Out.WriteLine(DicomJson.Serialize(matches));
                return 0;
            }
            catch (DicomException ex)
            {
                CliErrors.Report($"find {peer}", ex.Message);
                return CliErrors.Failure;
            }
        });
        return command;
    }
}
