using System.Diagnostics;
using System.Text.Json;

namespace RadBridge.Dicom.Tests.Deidentification;

/// <summary>Runs software no one here wrote (pydicom, dicom3tools) against the de-identifier's output.</summary>
internal static class ExternalTools
{
    // The pyenv python first in PATH lacks pydicom; the system one has it.
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

    private static string ProbeScript => Path.Combine(AppContext.BaseDirectory, "Deidentification", "deid_probe.py");

    /// <summary>pydicom's list of the identifying byte strings of a file (see deid_probe.py).</summary>
    public static IReadOnlyList<byte[]> IdentifyingValues(string path, params string[] keep)
    {
        var (code, stdout, stderr) = Run(Python, [ProbeScript, "identifying", path, .. keep]);
        Assert.True(code == 0, $"pydicom probe failed on {path}: {stderr}");
        return JsonSerializer.Deserialize<string[]>(stdout)!.Select(Convert.FromHexString).ToList();
    }

    /// <summary>pydicom's structure of a file: (path, VR, summary) for every element at every level.</summary>
    public static IReadOnlyList<(string Path, string VR, string Summary)> Structure(string path)
    {
        var (code, stdout, stderr) = Run(Python, ProbeScript, "structure", path);
        Assert.True(code == 0, $"pydicom could not read {path}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.EnumerateArray()
            .Select(e => (e[0].GetString()!, e[1].GetString()!, e[2].ValueKind == JsonValueKind.String ? e[2].GetString()! : e[2].GetRawText()))
            .ToList();
    }

    /// <summary>The "Error - …" lines dciodvfy prints for a file (its IOD and value checks).</summary>
    public static IReadOnlyList<string> DciodvfyErrors(string path)
    {
        var (_, stdout, stderr) = Run("dciodvfy", path);
        return (stdout + "\n" + stderr).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("Error - ", StringComparison.Ordinal))
            .ToList();
    }
}
