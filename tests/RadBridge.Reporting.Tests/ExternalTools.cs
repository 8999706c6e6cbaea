using RadBridge.Dicom.Network.Tests;

namespace RadBridge.Reporting.Tests;

/// <summary>The tools nobody here wrote that judge our output: poppler (pdftotext, pdfinfo), dicom3tools, DCMTK, pydicom.</summary>
internal static class ExternalTools
{
    /// <summary>The text of a PDF as poppler extracts it (UTF-8, reading order).</summary>
    public static async Task<string> PdfTextAsync(byte[] pdf)
    {
        var path = TempFile(".pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var result = await Dcmtk.RunAsync("pdftotext", ["-enc", "UTF-8", path, "-"]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>pdfinfo's "Key: value" lines.</summary>
    public static async Task<Dictionary<string, string>> PdfInfoAsync(byte[] pdf)
    {
        var path = TempFile(".pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var result = await Dcmtk.RunAsync("pdfinfo", [path]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Output.Split('\n').Where(l => l.Contains(':', StringComparison.Ordinal))
                .Select(l => (Key: l[..l.IndexOf(':', StringComparison.Ordinal)], Value: l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim()))
                .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.First().Value);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Writes a data set as a Part 10 file in a temp folder (deleted by the caller).</summary>
    public static string Save(DicomDataset dataset)
    {
        var path = TempFile(".dcm");
        new DicomFile(dataset).Save(path);
        return path;
    }

    /// <summary>dciodvfy's findings: its "Error" and "Warning" lines.</summary>
    public static async Task<(IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, string Output)> ValidateAsync(string path)
    {
        var result = await Dcmtk.RunAsync("dciodvfy", [path]);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return ([.. lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal))],
            [.. lines.Where(l => l.StartsWith("Warning", StringComparison.Ordinal))], result.Output);
    }

    public static async Task<string> DcmdumpAsync(string path)
    {
        var result = await Dcmtk.RunAsync("dcmdump", ["+L", "+U8", path]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.Output;
    }

    /// <summary>Runs a Python script with Debian's python3 (which has pydicom) and returns its standard output.</summary>
    public static async Task<string> PythonAsync(string script, params string[] args)
    {
        var path = TempFile(".py");
        await File.WriteAllTextAsync(path, script);
        try
        {
            var result = await Dcmtk.RunAsync("/usr/bin/python3", [path, .. args]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Output;
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static string TempFile(string extension) => Path.Combine(Path.GetTempPath(), $"rb-report-{Guid.NewGuid():N}{extension}");

    /// <summary>Text without any white space: pdftotext may break and space lines differently from the source.</summary>
    public static string Squeeze(string text) => new([.. text.Where(c => !char.IsWhiteSpace(c))]);
}
