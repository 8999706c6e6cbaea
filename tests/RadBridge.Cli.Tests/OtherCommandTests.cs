using RadBridge.Dicom;
using RadBridge.Dicom.Tests;

namespace RadBridge.Cli.Tests;

public class OtherCommandTests
{
    [Fact]
    public void Uid_prints_valid_unique_uuid_derived_uids()
    {
        var r = CliRunner.Run("uid", "--count", "5");
        Assert.Equal(0, r.ExitCode);
        var uids = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, uids.Distinct().Count());
        Assert.All(uids, u => Assert.True(u.StartsWith("2.25.", StringComparison.Ordinal) && DicomUid.IsValid(u), u));
    }

    [Fact]
    public void Validate_is_quiet_for_a_clean_file_and_reports_problems_one_per_line()
    {
        var clean = CliRunner.Run("validate", TestPaths.Sample("CT_small.dcm"));
        Assert.Equal(0, clean.ExitCode);

        var ds = new DicomDataset()
            .AddOrUpdate(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.7")
            .AddOrUpdate(DicomTags.SOPInstanceUID, "1.2.3.04")
            .AddOrUpdate(DicomTags.Modality, "ot")
            .AddOrUpdate(DicomTags.StudyDate, DicomVR.DA, "2024-01-01");
        var path = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.dcm");
        new DicomFile(ds).Save(path);
        try
        {
            var r = CliRunner.Run("validate", path);
            Assert.Equal(1, r.ExitCode);
            var lines = r.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Contains(lines, l => l.Contains("(0008,0018)", StringComparison.Ordinal) && l.Contains("not a valid UID", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("(0008,0060)", StringComparison.Ordinal) && l.Contains("CS value", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains("(0008,0020)", StringComparison.Ordinal) && l.Contains("not a date", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Anonymize_removes_the_chinese_name_and_marks_identity_removed()
    {
        var output = Path.Combine(Path.GetTempPath(), $"anon-{Guid.NewGuid():N}.dcm");
        try
        {
            var r = CliRunner.Run("anonymize", TestPaths.Sample("chrX1.dcm"), output);
            Assert.Equal(0, r.ExitCode);
            var ds = DicomFile.Open(output).Dataset;
            Assert.Equal("ANONYMOUS", ds.GetString(DicomTags.PatientName));
            Assert.Equal("YES", ds.GetString(DicomTags.PatientIdentityRemoved));
            var original = DicomFile.Open(TestPaths.Sample("chrX1.dcm")).Dataset;
            Assert.NotEqual(original.GetString(DicomTags.StudyInstanceUID), ds.GetString(DicomTags.StudyInstanceUID));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Fact]
    public void Anonymize_refuses_an_unknown_option_clearly()
    {
        var r = CliRunner.Run("anonymize", TestPaths.Sample("CT_small.dcm"), "/tmp/never.dcm", "--option", "keep-everything");
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error:", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("unknown option", r.StdErr, StringComparison.Ordinal);
    }
}
