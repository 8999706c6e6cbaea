using System.Text.Json;
using RadBridge.Dicom;
using RadBridge.Dicom.Tests;

namespace RadBridge.Cli.Tests;

public class PixelCommandTests
{
    [Theory]
    [InlineData("MR_small_RLE.dcm")]
    [InlineData("liver_expb_1frame.dcm")]
    [InlineData("SC_ybr_full_422_uncompressed.dcm")]
    [InlineData("NM-MONO2-16-13x-heart.dcm")]
    public void Pixels_sha256_prints_exactly_the_expected_hash(string sample)
    {
        var r = CliRunner.Run("pixels", TestPaths.Sample(sample), "--sha256");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Equal(ExpectedHash(sample) + "\n", r.StdOut.ReplaceLineEndings("\n"));
        Assert.Equal("", r.StdErr);
    }

    [Fact]
    public void Pixels_of_a_file_without_pixel_data_is_one_error_line()
    {
        var r = CliRunner.Run("pixels", TestPaths.Sample("rtplan.dcm"), "--sha256");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.StdOut);
        var line = Assert.Single(r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains("no pixel data", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Transcode_a_folder_to_rle_and_back_keeps_every_hash()
    {
        var root = Directory.CreateTempSubdirectory("radbridge-transcode-").FullName;
        try
        {
            var input = Path.Combine(root, "in", "nested");
            Directory.CreateDirectory(input);
            foreach (var s in new[] { "CT_small.dcm", "SC_rgb.dcm", "US-PAL-8-10x-echo.dcm" }) File.Copy(TestPaths.Sample(s), Path.Combine(input, s));
            var rle = CliRunner.Run("transcode", Path.Combine(root, "in"), Path.Combine(root, "rle"), "--ts", "1.2.840.10008.1.2.5");
            Assert.True(rle.ExitCode == 0, rle.StdErr);
            var back = CliRunner.Run("transcode", Path.Combine(root, "rle"), Path.Combine(root, "back"), "--ts", "ExplicitVRBigEndian");
            Assert.True(back.ExitCode == 0, back.StdErr);
            foreach (var s in new[] { "CT_small.dcm", "SC_rgb.dcm", "US-PAL-8-10x-echo.dcm" })
            {
                Assert.Equal("1.2.840.10008.1.2.5", DicomFile.Open(Path.Combine(root, "rle", "nested", s)).TransferSyntax.Uid);
                var r = CliRunner.Run("pixels", Path.Combine(root, "back", "nested", s), "--sha256");
                Assert.Equal(ExpectedHash(s), r.StdOut.Trim());
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Transcode_to_an_unknown_syntax_is_one_error_line()
    {
        var r = CliRunner.Run("transcode", TestPaths.Sample("CT_small.dcm"), Path.Combine(Path.GetTempPath(), "never.dcm"), "--ts", "1.2.3.999");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("error: transcode: unknown transfer syntax '1.2.3.999'", r.StdErr.Trim());
    }

    private static string ExpectedHash(string sample)
    {
        var json = Path.Combine(TestPaths.Samples, "expected", Path.ChangeExtension(sample, ".json"));
        using var doc = JsonDocument.Parse(File.ReadAllBytes(json));
        return doc.RootElement.GetProperty("pixel").GetProperty("sha256").GetString()!;
    }
}
