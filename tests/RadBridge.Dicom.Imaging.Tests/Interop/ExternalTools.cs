using System.Diagnostics;

namespace RadBridge.Dicom.Imaging.Tests.Interop;

/// <summary>Runs software no one here wrote (pydicom, DCMTK) against our pixel data.</summary>
internal static class ExternalTools
{
    // The pyenv python first on PATH lacks pydicom; Debian's has it (test.sh installs python3-pydicom).
    private const string Python = "/usr/bin/python3";

    public static (int ExitCode, string Stdout, string Stderr) Run(string fileName, params string[] arguments)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in 2 minutes");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>pydicom's pixel hash of each file (same definition as <see cref="PixelHash"/>), in order.</summary>
    public static IReadOnlyList<string> PydicomPixelHashes(params string[] paths)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "pydicom_pixel_hash.py");
        var (code, stdout, stderr) = Run(Python, [script, .. paths]);
        Assert.True(code == 0, $"pydicom could not decode: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(paths.Length, lines.Length);
        return lines;
    }

    /// <summary>A fresh temporary folder, deleted by the returned handle.</summary>
    public static TempFolder NewTempFolder() => new();

    public sealed class TempFolder : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("radbridge-pixels-").FullName;

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
