using System.Collections.Concurrent;
using System.Diagnostics;
using RadBridge.Dicom;
using RadBridge.Dicom.Imaging.Codecs;
using RadBridge.Dicom.Imaging.Tests;
using RadBridge.Dicom.Tests;

namespace RadBridge.Cli.Tests;

/// <summary>
/// Issue 4's exact contracts, run through the CLI process over the whole corpus: <c>pixels --sha256</c> prints the
/// sidecar's hash for every losslessly decodable sample; <c>transcode --ts 1.2.840.10008.1.2.1</c> writes files that
/// pydicom and dcmdump read with the input's pixel hash; unsupported or corrupt pixel data is exit 1 and one
/// <c>error:</c> line.
/// </summary>
public class PixelContractTests
{
    private const string ExplicitLittleEndian = "1.2.840.10008.1.2.1";

    /// <summary>Samples with a lossless hash whose syntax is native or has a registered codec (codecs added later join).</summary>
    private static List<ExpectedPixels> LosslesslyDecodable() => ExpectedPixels.All.Where(e =>
    {
        if (e.Lossy) return false;
        var ts = DicomFile.Open(e.Path).TransferSyntax;
        return !ts.IsEncapsulated || PixelCodecRegistry.Default.Find(ts.Uid) is not null;
    }).ToList();

    [Fact]
    public void Pixels_sha256_equals_the_expected_hash_for_every_losslessly_decodable_sample()
    {
        var samples = LosslesslyDecodable();
        Assert.True(samples.Count >= 50, $"only {samples.Count} samples");
        Assert.Contains(samples, s => s.TransferSyntaxUid == "1.2.840.10008.1.2.4.80"); // every lossless codec is in
        Assert.Contains(samples, s => s.TransferSyntaxUid == "1.2.840.10008.1.2.4.90");
        Assert.Contains(samples, s => s.TransferSyntaxUid == "1.2.840.10008.1.2.4.70");
        Assert.Contains(samples, s => s.TransferSyntaxUid == "1.2.840.10008.1.2.4.201");
        var failures = new ConcurrentBag<string>();
        // One process per file, as the contract is stated; two at a time keep the suite short on 2 cores.
        Parallel.ForEach(samples, new ParallelOptions { MaxDegreeOfParallelism = 2 }, s =>
        {
            var r = CliRunner.Run("pixels", s.Path, "--sha256");
            if (r.ExitCode != 0 || r.StdOut.ReplaceLineEndings("\n") != s.Sha256 + "\n" || r.StdErr.Length != 0)
                failures.Add($"{s.Name}: exit {r.ExitCode}, out '{r.StdOut.Trim()}', err '{r.StdErr.Trim()}'");
        });
        Assert.True(failures.IsEmpty, string.Join("\n", failures.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public void Transcode_to_explicit_little_endian_reads_in_pydicom_and_dcmdump_with_the_input_hash()
    {
        var samples = LosslesslyDecodable();
        var root = Directory.CreateTempSubdirectory("radbridge-contract-").FullName;
        try
        {
            var input = Path.Combine(root, "in");
            var output = Path.Combine(root, "out");
            Directory.CreateDirectory(input);
            foreach (var s in samples) File.Copy(s.Path, Path.Combine(input, s.Name + ".dcm"));

            var r = CliRunner.Run(TimeSpan.FromMinutes(2), "transcode", input, output, "--ts", ExplicitLittleEndian);
            Assert.True(r.ExitCode == 0, r.StdErr);
            Assert.Equal("", r.StdErr);

            var outputs = samples.Select(s => Path.Combine(output, s.Name + ".dcm")).ToArray();
            foreach (var file in outputs)
            {
                var (code, stdout, stderr) = Run("dcmdump", "-q", file);
                Assert.True(code == 0 && stderr.Length == 0, $"dcmdump rejected {file}: {stderr}");
                Assert.Contains("=LittleEndianExplicit", stdout, StringComparison.Ordinal);
            }
            var hashes = PydicomPixelHashes(outputs);
            var wrong = samples.Where((s, i) => s.Sha256 != hashes[i]).Select(s => s.Name).ToList();
            Assert.True(wrong.Count == 0, "pydicom hash differs for " + string.Join(", ", wrong));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData("pixels")]
    [InlineData("transcode")]
    [InlineData("render")]
    public void Pixel_data_without_a_codec_is_one_error_line(string command)
    {
        var r = RunOnPixels(command, TestPaths.Sample("will-jxl.dcm"));
        AssertOneErrorLine(r, "no codec for transfer syntax");
    }

    [Theory]
    [InlineData("pixels")]
    [InlineData("transcode")]
    [InlineData("render")]
    public void A_corrupt_codestream_is_one_error_line(string command)
    {
        var root = Directory.CreateTempSubdirectory("radbridge-corrupt-").FullName;
        try
        {
            // MR_small_jpeg_ls_lossless with its JPEG-LS frame header claiming 65535 lines.
            var bytes = File.ReadAllBytes(TestPaths.Sample("MR_small_jpeg_ls_lossless.dcm"));
            var sof = bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xF7]);
            Assert.True(sof > 0);
            bytes[sof + 5] = 0xFF;
            bytes[sof + 6] = 0xFF;
            var path = Path.Combine(root, "corrupt.dcm");
            File.WriteAllBytes(path, bytes);
            AssertOneErrorLine(RunOnPixels(command, path), "JPEG-LS");
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static CliRunner.Result RunOnPixels(string command, string path)
    {
        var target = Path.Combine(Path.GetTempPath(), $"radbridge-never-{Guid.NewGuid():N}");
        var r = command switch
        {
            "pixels" => CliRunner.Run("pixels", path, "--sha256"),
            "transcode" => CliRunner.Run("transcode", path, target + ".dcm", "--ts", ExplicitLittleEndian),
            _ => CliRunner.Run("render", path, target + ".png"),
        };
        Assert.False(File.Exists(target + ".dcm") || File.Exists(target + ".png"), "a failed command left an output file");
        return r;
    }

    private static void AssertOneErrorLine(CliRunner.Result r, string mustName)
    {
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.StdOut);
        var line = Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(mustName, line, StringComparison.Ordinal);
    }

    private static string[] PydicomPixelHashes(string[] paths)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Interop", "pydicom_pixel_hash.py");
        // Debian's python has pydicom (test.sh installs python3-pydicom); a pyenv python first on PATH may not.
        var (code, stdout, stderr) = Run("/usr/bin/python3", [script, .. paths]);
        Assert.True(code == 0, $"pydicom could not decode: {stderr}");
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(paths.Length, lines.Length);
        return lines;
    }

    private static (int ExitCode, string StdOut, string StdErr) Run(string fileName, params string[] arguments)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
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
}
