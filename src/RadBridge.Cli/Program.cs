using System.CommandLine;
using RadBridge.Cli.Commands;

namespace RadBridge.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.OutputEncoding = System.Text.Encoding.UTF8;
        var root = new RootCommand("RadBridge: cloud medical-imaging platform — DICOM tools, archive, tele-reading.")
        {
            DumpCommand.Create(),
            ValidateCommand.Create(),
            AnonymizeCommand.Create(),
            UidCommand.Create(),
            PixelsCommand.Create(),
            TranscodeCommand.Create(),
            EchoCommand.Create(),
            SendCommand.Create(),
            CommitCommand.Create(),
            ScpCommand.Create(),
            FindCommand.Create(),
            MoveCommand.Create(),
            GetCommand.Create(),
            RenderCommand.Create(),
            ServeCommand.Create(),
            AuditCommand.Create(),
            AdminCommand.Create(),
        };
        // Async so Ctrl+C and SIGTERM cancel the network commands' token (the scp runs until then).
        return root.Parse(args).InvokeAsync().GetAwaiter().GetResult();
    }
}
