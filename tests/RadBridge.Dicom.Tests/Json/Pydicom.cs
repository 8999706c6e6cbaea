using System.Diagnostics;

namespace RadBridge.Dicom.Tests.Json;

/// <summary>Runs Debian's pydicom (2.3.1, under /usr/bin/python3: the pyenv python3 first on PATH lacks it).</summary>
internal static class Pydicom
{
    private const string Python = "/usr/bin/python3";

    // Bulk data: pydicom compares its threshold with the base64 length, so 1024 characters = values over 768 bytes.
    public const int ThresholdBase64Characters = 1024;
    public const int ThresholdBytes = ThresholdBase64Characters / 4 * 3;

    private const string ToJsonScript = """
        import json, sys, pydicom
        ds = pydicom.dcmread(sys.argv[1])
        handler = (lambda e: 'bulk:%08X' % e.tag) if sys.argv[2] == 'uri' else None
        d = ds.to_json_dict(bulk_data_threshold=int(sys.argv[3]), bulk_data_element_handler=handler)
        sys.stdout.write(json.dumps(d))
        """;

    /// <summary>
    /// pydicom's DICOM JSON for a file: values over the threshold as "bulk:TTTTTTTT" URIs when
    /// <paramref name="bulkUris"/>, else everything inline.
    /// </summary>
    public static string ToJson(string path, bool bulkUris) =>
        Run(ToJsonScript, path, bulkUris ? "uri" : "inline", ThresholdBase64Characters.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static string Run(string script, params string[] args)
    {
        if (!File.Exists(Python)) throw new InvalidOperationException($"{Python} is missing: install python3-pydicom (./test.sh does)");
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["PYTHONIOENCODING"] = "utf-8";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"pydicom failed (exit {process.ExitCode}; is python3-pydicom installed?): {stderr.Result}");
        return stdout;
    }
}
