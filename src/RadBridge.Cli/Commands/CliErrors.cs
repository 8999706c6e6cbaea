using RadBridge.Dicom;

namespace RadBridge.Cli.Commands;

/// <summary>One place that turns failures into the CLI's contract: one line on stderr starting with "error:", exit 1, no stack trace.</summary>
internal static class CliErrors
{
    public const int Failure = 1;

    /// <summary>Runs an action for one input, reporting DICOM and I/O failures as a single line.</summary>
    public static int Guard(string subject, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception ex) when (ex is DicomException or IOException or UnauthorizedAccessException)
        {
            Report(subject, ex.Message);
            return Failure;
        }
    }

    public static void Report(string subject, string message) =>
        Console.Error.WriteLine($"error: {subject}: {message.ReplaceLineEndings(" ")}");
}
