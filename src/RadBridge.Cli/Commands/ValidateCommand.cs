using System.CommandLine;
using RadBridge.Dicom;

namespace RadBridge.Cli.Commands;

/// <summary><c>radbridge validate FILE...</c>: one line per finding (File Meta, VR/VM/length, characters, charset, padding).</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("FILE") { Arity = ArgumentArity.OneOrMore, Description = "DICOM files to check" };
        var command = new Command("validate", "Check DICOM files against PS3.5/PS3.10 encoding rules; prints one line per finding, exit 1 when any error is found")
        {
            files,
        };
        command.SetAction(parse =>
        {
            var status = 0;
            foreach (var path in parse.GetValue(files) ?? [])
            {
                status = Math.Max(status, CliErrors.Guard(path, () =>
                {
                    var file = DicomFile.Open(path, new DicomReadOptions { Lenient = true });
                    var findings = DicomValidator.Validate(file);
                    foreach (var f in findings) Console.Out.WriteLine($"{path}: {f}");
                    if (!file.IsComplete) Console.Out.WriteLine($"{path}: error: file: the data set could not be read to its end");
                    return findings.Any(f => f.Severity == DicomFindingSeverity.Error) || !file.IsComplete ? 1 : 0;
                }));
            }
            return status;
        });
        return command;
    }
}
