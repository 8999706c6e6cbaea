namespace RadBridge.Dicom.Tests.Text;

/// <summary>The shared public DICOM samples (see their README): ../shared/dicom-samples beside the repository.</summary>
internal static class SampleFiles
{
    private static readonly Lazy<string> Root = new(Locate);

    public static string Directory => Root.Value;

    public static string ExpectedJson(string name) => Path.Combine(Directory, "expected", name + ".json");

    private static string Locate()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "RadBridge.slnx")))
        {
            repository = repository.Parent;
        }
        if (repository?.Parent is null)
        {
            throw new InvalidOperationException($"No folder with RadBridge.slnx above {AppContext.BaseDirectory}; cannot locate ../shared/dicom-samples.");
        }
        // ../shared/dicom-samples from the repository root; a git worktree (e.g. wt/<branch>) finds it further up.
        var expected = Path.Combine(repository.Parent.FullName, "shared", "dicom-samples");
        for (var up = repository.Parent; up is not null; up = up.Parent)
        {
            var candidate = Path.Combine(up.FullName, "shared", "dicom-samples");
            if (System.IO.Directory.Exists(Path.Combine(candidate, "expected"))) return candidate;
        }
        throw new DirectoryNotFoundException(
            $"DICOM samples not found: expected {expected} (../shared/dicom-samples relative to the repository root {repository.FullName}), with an expected/ folder of JSON sidecars.");
    }
}
