namespace RadBridge.Dicom.Tests;

/// <summary>
/// Every sample file of the shared corpus, with the ones MANIFEST.tsv marks "Odd:" (deliberately broken) known, so
/// a test can skip an unreadable odd file but fail on an unreadable ordinary one.
/// </summary>
internal static class SampleCorpus
{
    private static readonly Lazy<HashSet<string>> Odd = new(ReadOddNames);

    /// <summary>All *.dcm files, in name order.</summary>
    public static IReadOnlyList<string> Files => [.. Directory.GetFiles(TestPaths.Samples, "*.dcm").Order(StringComparer.Ordinal)];

    /// <summary>True when MANIFEST.tsv describes the file as deliberately broken.</summary>
    public static bool IsOdd(string path) => Odd.Value.Contains(Path.GetFileName(path));

    /// <summary>
    /// Opens a sample; an unreadable file is reported in <paramref name="problem"/> and is only acceptable when odd
    /// (the caller checks <see cref="IsOdd"/>).
    /// </summary>
    public static bool TryOpen(string path, out DicomFile file, out string problem)
    {
        try
        {
            file = DicomFile.Open(path);
            problem = "";
            return true;
        }
        catch (DicomReadException ex)
        {
            file = null!;
            problem = ex.Message;
            return false;
        }
    }

    private static HashSet<string> ReadOddNames()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.Samples, "MANIFEST.tsv")).Skip(1))
        {
            var columns = line.Split('\t');
            if (columns.Length >= 6 && columns[5].StartsWith("Odd:", StringComparison.Ordinal)) names.Add(columns[0]);
        }
        return names;
    }

    /// <summary>Where two texts first differ, with some context, for assertion messages.</summary>
    public static string FirstDifference(string expected, string actual)
    {
        var i = 0;
        while (i < expected.Length && i < actual.Length && expected[i] == actual[i]) i++;
        var from = Math.Max(0, i - 80);
        return $"differs at {i}:\n  expected …{Slice(expected, from)}…\n  actual   …{Slice(actual, from)}…";
    }

    private static string Slice(string s, int from) => from >= s.Length ? "" : s.Substring(from, Math.Min(200, s.Length - from));
}
