namespace RadBridge.Web.Tests;

/// <summary>
/// Where the browser tests leave screenshots and logs: $RADBRIDGE_TEST_ARTIFACTS, else .build/test-artifacts/web in
/// the repository (beside test.sh's .build/test-results; both are outside git).
/// </summary>
public static class TestArtifacts
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var fromEnv = Environment.GetEnvironmentVariable("RADBRIDGE_TEST_ARTIFACTS");
        var dir = string.IsNullOrEmpty(fromEnv) ? Path.Combine(TestPaths.RepoRoot, ".build", "test-artifacts", "web") : fromEnv;
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    });

    public static string Folder => Root.Value;

    public static string PathFor(string fileName)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        return Path.Combine(Folder, string.Concat(fileName.Select(c => Path.GetInvalidFileNameChars().Contains(c) ? '_' : c)));
    }
}
