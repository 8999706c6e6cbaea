namespace RadBridge.Dicom.Tests;

/// <summary>Where the repository and the shared sample files are, for tests that read them.</summary>
internal static class TestPaths
{
    private static readonly Lazy<string> Root = new(FindRepoRoot);
    private static readonly Lazy<string> SamplesDir = new(FindSamples);

    /// <summary>The folder holding RadBridge.slnx.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>The shared DICOM samples: $RADBRIDGE_SAMPLES, else ../shared/dicom-samples beside the repository.</summary>
    public static string Samples => SamplesDir.Value;

    /// <summary>A sample file by name, failing clearly when it is missing.</summary>
    public static string Sample(string fileName)
    {
        var path = Path.Combine(Samples, fileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"sample {fileName} is not in {Samples}", path);
        return path;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RadBridge.slnx"))) return dir.FullName;
        }
        throw new InvalidOperationException($"no RadBridge.slnx above {AppContext.BaseDirectory}");
    }

    private static string FindSamples()
    {
        var fromEnv = Environment.GetEnvironmentVariable("RADBRIDGE_SAMPLES");
        if (!string.IsNullOrEmpty(fromEnv) && Directory.Exists(fromEnv)) return fromEnv;
        var beside = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "dicom-samples"));
        if (Directory.Exists(beside)) return beside;
        throw new InvalidOperationException(
            $"DICOM samples not found: set RADBRIDGE_SAMPLES (e.g. /work/shared/dicom-samples) or place them at {beside}");
    }
}
