using System.CommandLine;
using RadBridge.Dicom;

namespace RadBridge.Cli.Commands;

/// <summary><c>radbridge dump FILE... [--json|--xml] [--lenient]</c>: a dcmdump-like tree, or DICOM JSON / XML.</summary>
internal static class DumpCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "DICOM files to dump" };
        var lenient = new Option<bool>("--lenient") { Description = "Read up to the damage in a broken file and list what was skipped" };
        var command = new Command("dump", "Print DICOM files as a tree (tag, VR, decoded value, keyword), or as DICOM JSON / Native DICOM Model XML")
        {
            files, lenient,
        };
        command.SetAction(parse =>
        {
            var options = new DicomReadOptions { Lenient = parse.GetValue(lenient) };
            var status = 0;
            foreach (var path in parse.GetValue(files) ?? [])
            {
                status = Math.Max(status, CliErrors.Guard(path, () =>
                {
                    var file = DicomFile.Open(path, options);
                    DicomTreePrinter.Print(Console.Out, file, path);
                    return 0;
                }));
            }
            return status;
        });
        return command;
    }
}
