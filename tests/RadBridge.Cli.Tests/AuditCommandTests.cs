using System.Xml.Linq;
using RadBridge.Archive;
using RadBridge.Archive.Audit;

namespace RadBridge.Cli.Tests;

/// <summary><c>radbridge audit verify|export</c> run as a process over an audit log written by the archive's writer.</summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "rb-cli-audit-" + Guid.NewGuid().ToString("N"));

    private async Task<string> WriteLogAsync(int count)
    {
        var location = new ArchiveLocation(_data);
        location.EnsureDirectories();
        var log = new HashChainedAuditLog(location);
        await using (log)
        {
            for (var i = 1; i <= count; i++)
            {
                await log.RecordAsync(new AuditEvent
                {
                    Time = new DateTimeOffset(2026, 11, 20 + i % 3, 9, 0, i, TimeSpan.Zero),
                    Actor = i % 2 == 0 ? "bob" : "alice",
                    OrganizationId = 1,
                    OrganizationName = "Clinic A",
                    Action = i == 1 ? AuditActions.Store : AuditActions.Retrieve,
                    Channel = "DICOMweb",
                    RemoteAddress = "127.0.0.1",
                    StudyInstanceUid = i % 2 == 0 ? "1.2.840.1" : "1.2.840.2",
                    Outcome = "success",
                });
            }
        }
        return Assert.Single(AuditLogFiles.List(location.AuditDirectory));
    }

    [Fact]
    public async Task Verify_reports_an_intact_log_and_the_record_where_a_text_edit_broke_it()
    {
        var file = await WriteLogAsync(5);
        var ok = CliRunner.Run("audit", "verify", "--data", _data);
        Assert.Equal(0, ok.ExitCode);
        Assert.StartsWith("audit log intact: 5 records", ok.StdOut, StringComparison.Ordinal);

        // Someone with a text editor turns bob's retrieve in record 4 into alice's.
        var lines = File.ReadAllLines(file);
        Assert.Contains("\"actor\":\"bob\"", lines[3], StringComparison.Ordinal);
        lines[3] = lines[3].Replace("\"actor\":\"bob\"", "\"actor\":\"alice\"", StringComparison.Ordinal);
        File.WriteAllLines(file, lines);

        var tampered = CliRunner.Run("audit", "verify", "--data", _data);
        Assert.Equal(1, tampered.ExitCode);
        var error = Assert.Single(tampered.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: audit record 4 (file {Path.GetFileName(file)} line 4): hash mismatch", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_finds_a_removed_record()
    {
        var file = await WriteLogAsync(5);
        File.WriteAllLines(file, File.ReadAllLines(file).Where((_, i) => i != 1));
        var r = CliRunner.Run("audit", "verify", "--data", _data);
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith("error: audit record 3 (file", r.StdErr, StringComparison.Ordinal);
        Assert.Contains("where 2 was expected", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_writes_dicom_audit_messages_and_jsonl_with_filters()
    {
        await WriteLogAsync(6);
        var xmlPath = Path.Combine(_data, "export.xml");
        var xml = CliRunner.Run("audit", "export", "--data", _data, "--out", xmlPath);
        Assert.Equal(0, xml.ExitCode);
        Assert.Contains("exported 6 audit records", xml.StdOut, StringComparison.Ordinal);
        var messages = XDocument.Load(xmlPath).Root!.Elements("AuditMessage").ToList();
        Assert.Equal(6, messages.Count);
        Assert.Equal("110104", messages[0].Element("EventIdentification")!.Element("EventID")!.Attribute("csd-code")!.Value);
        Assert.Equal("C", messages[0].Element("EventIdentification")!.Attribute("EventActionCode")!.Value);
        Assert.Equal("R", messages[1].Element("EventIdentification")!.Attribute("EventActionCode")!.Value);

        // Records 2 and 5 fall on 2026-11-22 (i % 3 == 2); of those only 2 is bob's.
        var jsonl = CliRunner.Run("audit", "export", "--data", _data, "--format", "jsonl", "--from", "2026-11-22", "--to", "2026-11-22");
        Assert.Equal(0, jsonl.ExitCode);
        var lines = jsonl.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal([2L, 5L], lines.Select(l => AuditLogLine.Parse(System.Text.Encoding.UTF8.GetBytes(l)).Sequence));

        var bobs = CliRunner.Run("audit", "export", "--data", _data, "--format", "jsonl", "--actor", "bob", "--study", "1.2.840.1");
        Assert.Equal(3, bobs.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void Bad_arguments_are_one_error_line()
    {
        Directory.CreateDirectory(_data);
        var format = CliRunner.Run("audit", "export", "--data", _data, "--format", "csv");
        Assert.Equal(1, format.ExitCode);
        Assert.StartsWith("error: audit export: --format must be", format.StdErr, StringComparison.Ordinal);

        var date = CliRunner.Run("audit", "export", "--data", _data, "--from", "yesterday");
        Assert.Equal(1, date.ExitCode);
        Assert.StartsWith("error: audit export: 'yesterday' is not a date", date.StdErr, StringComparison.Ordinal);

        var missing = CliRunner.Run("audit", "verify", "--data", Path.Combine(_data, "absent"));
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: audit verify: no data directory", missing.StdErr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
