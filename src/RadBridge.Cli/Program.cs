using System.CommandLine;

namespace RadBridge.Cli;

internal static class Program
{
    private static int Main(string[] args)
    {
        var root = new RootCommand("RadBridge: cloud medical-imaging platform (DICOM tools, archive, tele-reading).");
        return root.Parse(args).Invoke();
    }
}
