using System.Diagnostics;
using System.Text;

namespace RadBridge.Cli.Tests;

/// <summary>Runs the radbridge CLI (built beside the tests) as a separate process, the way a user does.</summary>
internal static class CliRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed);

    public static Result Run(params string[] args) => Run(TimeSpan.FromSeconds(60), args);

    public static Result Run(TimeSpan timeout, params string[] args) => Run(timeout, null, args);

    /// <summary>Runs with <paramref name="stdin"/> written to standard input (then closed).</summary>
    public static Result RunWithInput(string stdin, params string[] args) => Run(TimeSpan.FromSeconds(60), stdin, args);

    private static Result Run(TimeSpan timeout, string? stdin, string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "radbridge.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        var sw = Stopwatch.StartNew();
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet");
        if (stdin is not null)
        {
            process.StandardInput.Write(stdin);
            process.StandardInput.Close();
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"radbridge {string.Join(' ', args)} did not finish in {timeout}");
        }
        process.WaitForExit();
        return new Result(process.ExitCode, stdout.Result, stderr.Result, sw.Elapsed);
    }
}
