using System.Text.Json;
using RadBridge.Dicom.Tests;
using RadBridge.Dicom.Tests.Robustness;

namespace RadBridge.Cli.Tests;

/// <summary>
/// <c>radbridge dump FILE --json</c> on broken input, run as a process: either exit 0 with exactly one JSON object on
/// stdout, or exit 1 with nothing on stdout and exactly one stderr line starting "error:" that names the problem, with
/// no stack trace, within 2 s. The 2 s include starting the process, so these tests run alone (other test classes
/// start processes too) after one warm-up run that brings the runtime and assemblies into the page cache.
/// </summary>
[Collection(nameof(DumpHostileInputTests))]
public sealed class DumpHostileInputTests : IClassFixture<DumpHostileInputTests.WarmUp>
{
    /// <summary>One untimed run before the timed ones.</summary>
    public sealed class WarmUp
    {
        public WarmUp() => CliRunner.Run("dump", TestPaths.Sample("MR_small.dcm"), "--json");
    }

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(2);

    public static TheoryData<string> OddSamples()
    {
        var data = new TheoryData<string>();
        foreach (var line in File.ReadLines(Path.Combine(TestPaths.Samples, "MANIFEST.tsv")).Skip(1))
        {
            var columns = line.Split('\t');
            if (columns.Length >= 6 && columns[5].StartsWith("Odd:", StringComparison.Ordinal)) data.Add(columns[0]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(OddSamples))]
    public void Odd_sample_gives_one_json_object_or_one_error_line(string sample) => AssertContract(TestPaths.Sample(sample));

    public static TheoryData<string> HostileInputs() =>
    [
        "10,000 nested sequences",
        "deflate bomb claiming 3 GiB",
        "native pixel data under JPEG Baseline",
        "CT_small truncated inside pixel data",
        "CT_small #3", "CT_small #13", "CT_small #23",
        "MR_small_implicit #4", "rtplan #14", "report_dfl #3", "JPEGBaseline #7", "JPEGBaseline #17",
    ];

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Hostile_file_gives_one_json_object_or_one_error_line(string name)
    {
        var bytes = Make(name);
        var path = Path.Combine(Path.GetTempPath(), $"radbridge-hostile-{Guid.NewGuid():N}.dcm");
        File.WriteAllBytes(path, bytes);
        try
        {
            AssertContract(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Deep_nesting_is_refused_with_the_problem_tag_and_offset()
    {
        var path = Path.Combine(Path.GetTempPath(), $"radbridge-deep-{Guid.NewGuid():N}.dcm");
        File.WriteAllBytes(path, Make("10,000 nested sequences"));
        try
        {
            var error = AssertContract(path);
            Assert.Matches(@"^error: .+: element \(0040,A730\) at offset \d+: sequences nested deeper than 64 levels", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static byte[] Make(string name)
    {
        switch (name)
        {
            case "10,000 nested sequences":
                return HostileFiles.NestedSequences(10_000, explicitVR: true, undefinedLength: true);
            case "deflate bomb claiming 3 GiB":
                return HostileFiles.DeflateBombOneElement(0xC0000000, 1 << 20);
            case "native pixel data under JPEG Baseline":
                return NativeUnderJpeg();
            case "CT_small truncated inside pixel data":
                return File.ReadAllBytes(TestPaths.Sample("CT_small.dcm"))[..30_000];
        }
        // "<sample> #<index>": the index-th mutation of the fuzz suite (fixed seed), whatever kind it is.
        var parts = name.Split(" #");
        var file = parts[0] switch { "JPEGBaseline" => "JPEGBaseline_1s_1f_u_08_08", var s => s } + ".dcm";
        return new Mutator(file, File.ReadAllBytes(TestPaths.Sample(file))).Make(20261123, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture)).Bytes;
    }

    private static byte[] NativeUnderJpeg()
    {
        // MR_small's File Meta rebuilt to say JPEG Baseline while Pixel Data stays native.
        var file = File.ReadAllBytes(TestPaths.Sample("MR_small.dcm"));
        var metaLength = (int)BitConverter.ToUInt32(file, 140);
        var meta = new MemoryStream();
        var pos = 144;
        while (pos < 144 + metaLength)
        {
            var element = BitConverter.ToUInt16(file, pos + 2);
            var vr = System.Text.Encoding.ASCII.GetString(file, pos + 4, 2);
            var longForm = vr is "OB" or "OW" or "UN" or "SQ" or "UT";
            var length = longForm ? (int)BitConverter.ToUInt32(file, pos + 8) : BitConverter.ToUInt16(file, pos + 6);
            var header = longForm ? 12 : 8;
            if (element == 0x0010) meta.Write(HostileFiles.Element(0x0002, 0x0010, "UI", "1.2.840.10008.1.2.4.50"u8.ToArray(), explicitVR: true));
            else meta.Write(file, pos, header + length);
            pos += header + length;
        }
        var output = new MemoryStream();
        output.Write(file, 0, 132);
        output.Write(HostileFiles.Element(0x0002, 0x0000, "UL", BitConverter.GetBytes((uint)meta.Length), explicitVR: true));
        meta.Position = 0;
        meta.CopyTo(output);
        output.Write(file, 144 + metaLength, file.Length - 144 - metaLength);
        return output.ToArray();
    }

    /// <summary>Checks the contract; returns the error line, or "" when the file was dumped.</summary>
    private static string AssertContract(string path)
    {
        var r = CliRunner.Run(TimeSpan.FromSeconds(30), "dump", path, "--json");
        Assert.True(r.Elapsed < Limit, $"dump took {r.Elapsed.TotalMilliseconds:F0} ms");
        if (r.ExitCode == 0)
        {
            Assert.Equal("", r.StdErr);
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(r.StdOut));
            using var doc = JsonDocument.ParseValue(ref reader);
            Assert.False(reader.Read(), "stdout holds more than one JSON value");
            Assert.Equal(JsonValueKind.Object, doc.RootElement.ValueKind);
            return "";
        }
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.StdOut);
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"stderr has {lines.Length} lines:\n{r.StdErr}");
        var line = lines[0].TrimEnd('\r');
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(Path.GetFileName(path), line, StringComparison.Ordinal);
        Assert.DoesNotContain(" at RadBridge.", line, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", line, StringComparison.Ordinal);
        Assert.True(line.Length > $"error: {path}: ".Length + 10, $"the error does not name a problem: {line}");
        return line;
    }
}

/// <summary>Timed process runs are not mixed with other test classes' processes.</summary>
[CollectionDefinition(nameof(DumpHostileInputTests), DisableParallelization = true)]
public sealed class DumpHostileInputCollection;
