using System.Diagnostics;
using System.Text.Json;

namespace RadBridge.Web.Tests;

/// <summary>
/// A synthetic but realistic CT series (512-class phantom anatomy, int16 with rescale -1024, window 40/400) written by
/// the shared benchmark's generator (/work/shared/bench-peer/gen_study.py, beside the samples), read back from its
/// manifest.json.
/// </summary>
public sealed record GeneratedCt(string Directory, string StudyInstanceUid, string SeriesInstanceUid, string PatientId, IReadOnlyList<string> Files)
{
    public static string Generator => Path.GetFullPath(Path.Combine(TestPaths.Samples, "..", "bench-peer", "gen_study.py"));

    public static async Task<GeneratedCt> CreateAsync(int slices, int size, int seed, string patientId, string patientName)
    {
        var dir = Path.Combine(Path.GetTempPath(), "rb-ct-" + Guid.NewGuid().ToString("N"));
        var psi = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { Generator, "ct", "--out", dir, "--slices", $"{slices}", "--rows", $"{size}", "--cols", $"{size}", "--seed", $"{seed}", "--patient-id", patientId, "--patient-name", patientName })
        {
            psi.ArgumentList.Add(a);
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("could not run /usr/bin/python3");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = await process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0) throw new InvalidOperationException($"gen_study.py exited with {process.ExitCode}: {await stderr}");

        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir, "manifest.json")));
        var study = manifest.RootElement.GetProperty("studies")[0];
        var series = study.GetProperty("series")[0];
        var files = series.GetProperty("instances").EnumerateArray().Select(i => i.GetProperty("file").GetString()!).ToList();
        return new GeneratedCt(dir, study.GetProperty("StudyInstanceUID").GetString()!, series.GetProperty("SeriesInstanceUID").GetString()!, patientId, files);
    }

    public void Delete()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // /tmp leftovers are harmless.
        }
    }
}
