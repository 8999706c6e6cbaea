using System.Diagnostics;

namespace RadBridge.Server.Tests.DicomWeb;

/// <summary>Runs DCMTK's dcmdump (installed by test.sh) on a retrieved file: a reader nobody here wrote must accept it.</summary>
internal static class DcmtkCheck
{
    /// <summary>dcmdump's output for the file; fails the test when dcmdump reports an error.</summary>
    public static async Task<string> DumpAsync(byte[] part10)
    {
        var path = Path.Combine(Path.GetTempPath(), $"rb-wado-{Guid.NewGuid():N}.dcm");
        await File.WriteAllBytesAsync(path, part10);
        try
        {
            var psi = new ProcessStartInfo("dcmdump") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-q", "+E", "-M", path }) psi.ArgumentList.Add(a);
            using var process = Process.Start(psi) ?? throw new InvalidOperationException("dcmdump did not start");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await process.WaitForExitAsync(timeout.Token);
            Assert.True(process.ExitCode == 0 && (await stderr).Length == 0, $"dcmdump: exit {process.ExitCode}: {await stderr}");
            return await stdout;
        }
        finally
        {
            File.Delete(path);
        }
    }
}
