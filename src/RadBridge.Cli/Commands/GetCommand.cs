using System.CommandLine;
using RadBridge.Dicom;
using RadBridge.Dicom.Network.Association;
using RadBridge.Dicom.Network.Services;
using RadBridge.Dicom.Network.Services.Query;

namespace RadBridge.Cli.Commands;

/// <summary><c>radbridge get HOST PORT -k … --out DIR</c>: C-GET (PS3.4 C.4.3) — the matches come back on our association and are filed in DIR.</summary>
internal static class GetCommand
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
        var output = new Option<string>("--out", "-o") { Description = "Folder receiving the instances (as DIR/study/series/instance.dcm)", Required = true };
        var sopClasses = new Option<string[]>("--sop-class") { Description = "Storage SOP class UID to accept (repeatable; default: common image, RT, SR and document classes)" };
        var command = new Command("get", "Retrieve matching instances from a peer with C-GET") { host, port, aet, called, timeout, level, model, keys, output, sopClasses };
        command.SetAction(async (parse, ct) =>
        {
            var peer = $"{parse.GetValue(host)}:{parse.GetValue(port)}";
            try
            {
                var queryModel = QueryKeys.ParseModel(parse.GetValue(model));
                var identifier = QueryKeys.Build(parse.GetValue(level), parse.GetValue(keys));
                var outDir = Path.GetFullPath(parse.GetValue(output)!);
                Directory.CreateDirectory(outDir);
                var classes = parse.GetValue(sopClasses) is { Length: > 0 } named ? named : null;
                var association = await DicomClient.ConnectAsync(parse.GetValue(host)!, parse.GetValue(port), NetworkOptions.Client(parse, aet, called, timeout),
                    GetScu.Propose(queryModel, classes), ct);
                RetrieveResult result;
                await using (association)
                {
                    result = await association.GetAsync(queryModel, identifier, new FolderStoreHandler(outDir),
                        new StorageScpOptions { TempDirectory = Path.Combine(outDir, ".incoming") },
                        p => Console.Error.WriteLine($"pending: {p.Remaining} remaining, {p.Completed} completed, {p.Failed} failed, {p.Warning} warning"), ct);
                    await association.ReleaseAsync(ct);
                }
                return RetrieveOutput.Report("get", peer, result);
            }
            catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
            {
                CliErrors.Report($"get {peer}", ex.Message);
                return CliErrors.Failure;
            }
        });
        return command;
    }
}
