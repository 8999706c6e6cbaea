using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RadBridge.Dicom.Network.Tests;

/// <summary>Runs DCMTK tools (installed by ./test.sh) as processes, with a timeout so a hang fails the test.</summary>
internal static class Dcmtk
{
    public sealed record Result(int ExitCode, string Output)
    {
        public override string ToString() => $"exit {ExitCode}\n{Output}";
    }

    public static async Task<Result> RunAsync(string tool, IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {tool}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} did not finish");
        }
        return new Result(process.ExitCode, await stdout + await stderr);
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A DCMTK storescp on a free port writing into a temporary folder, stopped on dispose.</summary>
    public sealed class StoreScp : IDisposable
    {
        private readonly Process _process;

        /// <summary>Accepts every syntax DCMTK knows (+xa).</summary>
        public StoreScp(params string[] extra) : this(acceptAll: true, extra) { }

        /// <summary>With <paramref name="acceptAll"/> false, storescp's default: only uncompressed syntaxes, Explicit VR preferred.</summary>
        public StoreScp(bool acceptAll, params string[] extra)
        {
            Port = FreePort();
            Directory = System.IO.Directory.CreateTempSubdirectory("rb-storescp-").FullName;
            var info = new ProcessStartInfo("storescp") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "--aetitle", "STORESCP", "--output-directory", Directory }.Concat(acceptAll ? ["+xa"] : Array.Empty<string>()).Concat(extra)) info.ArgumentList.Add(a);
            info.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
            _process = Process.Start(info) ?? throw new InvalidOperationException("cannot start storescp");
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            WaitUntilListening();
        }

        public int Port { get; }
        public string Directory { get; }

        private void WaitUntilListening()
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, Port);
                    return;
                }
                catch (SocketException)
                {
                    Thread.Sleep(50);
                }
            }
            throw new TimeoutException("storescp did not start listening");
        }

        public void Dispose()
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
            _process.Dispose();
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
        }
    }
}
