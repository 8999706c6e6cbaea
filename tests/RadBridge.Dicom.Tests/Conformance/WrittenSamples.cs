using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace RadBridge.Dicom.Tests.Conformance;

/// <summary>
/// Every conformant sample written by our writer (in its own transfer syntax; native-pixel samples also in every
/// uncompressed one) into a temporary folder, then checked by software nobody here wrote, in batches so the whole
/// corpus takes seconds: dcmdump and dciodvfy in parallel processes, pydicom in one process for every file.
/// </summary>
public sealed class WrittenSamples : IDisposable
{
    private const string Python = "/usr/bin/python3";

    private static readonly DicomTransferSyntax[] Uncompressed =
    [
        DicomTransferSyntax.ImplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVRLittleEndian,
        DicomTransferSyntax.ExplicitVRBigEndian,
        DicomTransferSyntax.DeflatedExplicitVRLittleEndian,
    ];

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "radbridge-conformance-" + Guid.NewGuid().ToString("N")[..8]);

    public WrittenSamples()
    {
        Directory.CreateDirectory(_folder);
        var native = ConformantSamples.Native.ToHashSet(StringComparer.Ordinal);
        foreach (var name in ConformantSamples.All)
        {
            var file = DicomFile.Open(TestPaths.Sample(name));
            var own = Path.Combine(_folder, name);
            file.Save(own);
            Written[name] = own;
            var variants = new List<string> { own };
            if (native.Contains(name))
            {
                foreach (var ts in Uncompressed)
                {
                    var variant = Path.Combine(_folder, $"{Path.GetFileNameWithoutExtension(name)}.{ts.Keyword}.dcm");
                    file.Save(variant, ts);
                    variants.Add(variant);
                }
            }
            Variants[name] = variants;
        }

        Parallel.ForEach(Variants.Values.SelectMany(v => v).Concat(Written.Keys.Select(TestPaths.Sample)), new ParallelOptions { MaxDegreeOfParallelism = 2 * Environment.ProcessorCount }, path =>
        {
            var (code, _, stderr) = Run("dcmdump", "+E", path);
            Dcmdump[path] = (code, stderr);
        });
        Parallel.ForEach(Written, new ParallelOptions { MaxDegreeOfParallelism = 2 * Environment.ProcessorCount }, pair =>
        {
            // dciodvfy cannot inflate: a deflated input and our deflated copy are both judged inflated by DCMTK.
            var deflated = DicomFile.Open(pair.Value, new DicomReadOptions { StopBeforePixelData = true }).TransferSyntax.IsDeflated;
            DciodvfyInput[pair.Key] = DciodvfyErrors(deflated ? Inflated(TestPaths.Sample(pair.Key), pair.Key + ".input") : TestPaths.Sample(pair.Key));
            DciodvfyOutput[pair.Key] = DciodvfyErrors(deflated ? Inflated(pair.Value, pair.Key + ".output") : pair.Value);
        });
        var inputs = Written.Keys.Select(TestPaths.Sample).ToList();
        var (pyCode, pyOut, pyErr) = Run(Python, [PydicomScript, .. inputs, .. Written.Values]);
        if (pyCode != 0) throw new InvalidOperationException($"pydicom_view.py failed (is python3-pydicom installed?): {pyErr}");
        Pydicom = JsonNode.Parse(pyOut)!.AsObject();
    }

    /// <summary>Sample name → the file we wrote in its own transfer syntax.</summary>
    public ConcurrentDictionary<string, string> Written { get; } = new(StringComparer.Ordinal);

    /// <summary>Sample name → every file we wrote for it.</summary>
    public ConcurrentDictionary<string, List<string>> Variants { get; } = new(StringComparer.Ordinal);

    /// <summary>Written file or input sample → dcmdump's exit code and standard error.</summary>
    public ConcurrentDictionary<string, (int ExitCode, string Stderr)> Dcmdump { get; } = new(StringComparer.Ordinal);

    /// <summary>Sample name → dciodvfy's error lines for the input and for our output, normalised.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<string>> DciodvfyInput { get; } = new(StringComparer.Ordinal);
    public ConcurrentDictionary<string, IReadOnlyList<string>> DciodvfyOutput { get; } = new(StringComparer.Ordinal);

    /// <summary>Path → pydicom's view (see pydicom_view.py), for the inputs and our outputs.</summary>
    public JsonObject Pydicom { get; }


    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private static string PydicomScript => Path.Combine(AppContext.BaseDirectory, "Conformance", "pydicom_view.py");

    /// <summary>An Explicit VR Little Endian copy made by DCMTK's dcmconv (+te).</summary>
    private string Inflated(string path, string name)
    {
        var target = Path.Combine(_folder, "inflated-" + name);
        var (code, _, stderr) = Run("dcmconv", "+te", path, target);
        if (code != 0) throw new InvalidOperationException($"dcmconv +te {path} failed: {stderr}");
        return target;
    }

    /// <summary>dciodvfy's "Error - …" lines, without what names the file, in order, duplicates kept once.</summary>
    private static IReadOnlyList<string> DciodvfyErrors(string path)
    {
        var (_, stdout, stderr) = Run("dciodvfy", path);
        return [.. (stdout + "\n" + stderr).Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("Error - ", StringComparison.Ordinal))
            .Select(l => l.Replace(path, "FILE", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)];
    }

    private static (int ExitCode, string Stdout, string Stderr) Run(string fileName, params string[] arguments)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = System.Text.Encoding.UTF8,
        };
        psi.Environment["PYTHONIOENCODING"] = "utf-8";
        foreach (var a in arguments) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} did not finish in a minute");
        }
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
