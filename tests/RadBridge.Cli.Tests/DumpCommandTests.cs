using RadBridge.Dicom.Tests;

namespace RadBridge.Cli.Tests;

public class DumpCommandTests
{
    [Fact]
    public void Tree_shows_tags_vrs_decoded_values_and_keywords()
    {
        var r = CliRunner.Run("dump", TestPaths.Sample("chrX2.dcm"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("(0010,0010) PN [Wang^XiaoDong=王^小东=]", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("PatientName", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("(0008,0005) CS [GB18030]", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Tree_shows_nested_sequences_with_their_items()
    {
        var r = CliRunner.Run("dump", TestPaths.Sample("rtplan.dcm"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("(FFFE,E000) Item #1", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("BeamSequence", r.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("no_meta.dcm", "(0820,0500)")]
    [InlineData("MR_truncated.dcm", "(7FE0,0010)")]
    [InlineData("3gb-bulk-data-truncated.dcm", "3221225472")]
    public void Unreadable_file_gives_one_error_line_naming_the_problem_and_offset(string sample, string named)
    {
        var r = CliRunner.Run("dump", TestPaths.Sample(sample));
        Assert.Equal(1, r.ExitCode);
        var lines = r.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.StartsWith("error:", lines[0], StringComparison.Ordinal);
        Assert.Contains("offset", lines[0], StringComparison.Ordinal);
        Assert.Contains(named, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.StdErr, StringComparison.Ordinal);
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(2) + TimeSpan.FromSeconds(1.5), $"took {r.Elapsed}"); // 2 s budget plus process start
    }

    [Fact]
    public void A_text_file_is_not_mistaken_for_dicom()
    {
        var path = Path.Combine(Path.GetTempPath(), $"notdicom-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "# hello, this is not DICOM at all\n");
        try
        {
            var r = CliRunner.Run("dump", path);
            Assert.Equal(1, r.ExitCode);
            Assert.StartsWith("error:", r.StdErr, StringComparison.Ordinal);
            Assert.Contains("not a DICOM file", r.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Lenient_dump_reads_up_to_the_damage()
    {
        var r = CliRunner.Run("dump", "--lenient", TestPaths.Sample("MR_truncated.dcm"));
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("PatientName", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("# warning: read stopped", r.StdOut, StringComparison.Ordinal);
    }
}
