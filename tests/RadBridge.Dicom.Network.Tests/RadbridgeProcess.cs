using System.Diagnostics;
using System.Text;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>The radbridge CLI (built beside the tests) run as a process: one-shot commands and a long-running scp.</summary>
internal static class RadbridgeProcess
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public override string ToString() => $"exit {ExitCode}\n{StdOut}\n{StdErr}";
    }

    private static ProcessStartInfo StartInfo(IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "radbridge.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        return psi;
    }

    public static async Task<Result> RunAsync(IEnumerable<string> args, TimeSpan? timeout = null)
    {
        using var process = Process.Start(StartInfo(args))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"radbridge {string.Join(' ', args)} did not finish:\n{await stdout}\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>`radbridge scp ...` running until disposed; the constructor returns once it logs "listening".</summary>
    public sealed class Scp : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _log = new();

        private Scp(Process process) => _process = process;

        public string Log
        {
            get { lock (_log) return _log.ToString(); }
        }

        public static async Task<Scp> StartAsync(IEnumerable<string> args)
        {
            var scp = new Scp(Process.Start(StartInfo(args))!);
            var listening = new TaskCompletionSource();
            scp._process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (scp._log) scp._log.AppendLine(e.Data);
                if (e.Data.StartsWith("listening", StringComparison.Ordinal)) listening.TrySetResult();
            };
            scp._process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (scp._log) scp._log.AppendLine(e.Data);
            };
            scp._process.BeginErrorReadLine();
            scp._process.BeginOutputReadLine();
            var exited = scp._process.WaitForExitAsync();
            if (await Task.WhenAny(listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(60))) != listening.Task)
            {
                await scp.DisposeAsync();
                throw new InvalidOperationException($"radbridge scp did not start listening:\n{scp.Log}");
            }
            return scp;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
            _process.Dispose();
        }
    }
}
