using System.CommandLine;
using RadBridge.Dicom;

namespace RadBridge.Cli.Commands;

/// <summary><c>radbridge uid [--count N]</c>: new UIDs under the UUID-derived root 2.25 (PS3.5 §B.2).</summary>
internal static class UidCommand
{
    public static Command Create()
    {
        var count = new Option<int>("--count", "-n") { Description = "How many UIDs to print", DefaultValueFactory = _ => 1 };
        var command = new Command("uid", "Print a new globally unique DICOM UID (2.25.<UUID as a decimal integer>, PS3.5 §B.2)") { count };
        command.SetAction(parse =>
        {
            var n = parse.GetValue(count);
            if (n < 1)
            {
                CliErrors.Report("uid", "--count must be at least 1");
                return CliErrors.Failure;
            }
            for (var i = 0; i < n; i++) Console.Out.WriteLine(DicomUid.Generate().Value);
            return 0;
        });
        return command;
    }
}
