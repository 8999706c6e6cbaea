using RadBridge.Dicom.Tests;

namespace RadBridge.Cli.Tests;

/// <summary>The admin CLI as a user runs it: a process per command against one data directory.</summary>
public sealed class AdminCommandTests : IDisposable
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "rb-admin-" + Guid.NewGuid().ToString("N"));

    private CliRunner.Result Admin(params string[] args) => CliRunner.Run([.. new[] { "admin" }.Concat(args), "--data", _data]);

    private static void AssertOneError(CliRunner.Result result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public void Organisations_users_and_aes_are_added_and_listed()
    {
        var org = Admin("org", "add", "--name", "Central Hospital", "--centre");
        Assert.True(org.ExitCode == 0, org.StdErr);
        Assert.Contains("organisation 'Central Hospital' added", org.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, Admin("org", "add", "--name", "Township Clinic East").ExitCode);

        var user = CliRunner.RunWithInput("a long enough password\n", "admin", "user", "add", "--data", _data,
            "--org", "Township Clinic East", "--role", "technologist", "--user", "tech.east", "--password-stdin");
        Assert.True(user.ExitCode == 0, user.StdErr);
        Assert.Contains("user 'tech.east' (technologist) added to 'Township Clinic East'", user.StdOut, StringComparison.Ordinal);

        var ae = Admin("ae", "add", "--org", "Township Clinic East", "--aet", "CLINIC_EAST", "--host", "127.0.0.1", "--port", "11113");
        Assert.True(ae.ExitCode == 0, ae.StdErr);
        Assert.Contains("AE 'CLINIC_EAST' registered to 'Township Clinic East' at 127.0.0.1:11113", ae.StdOut, StringComparison.Ordinal);

        var orgs = Admin("org", "list");
        Assert.Equal(0, orgs.ExitCode);
        var eastRow = orgs.StdOut.Split('\n').Single(l => l.Contains("Township Clinic East", StringComparison.Ordinal));
        Assert.Equal(["2", "Township", "Clinic", "East", "1", "1"], eastRow.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("yes", orgs.StdOut.Split('\n').Single(l => l.Contains("Central Hospital", StringComparison.Ordinal)), StringComparison.Ordinal);

        var users = Admin("user", "list", "--org", "Township Clinic East");
        Assert.Contains("tech.east", users.StdOut, StringComparison.Ordinal);
        Assert.Contains("(none)", Admin("user", "list", "--org", "Central Hospital").StdOut, StringComparison.Ordinal);
        var aes = Admin("ae", "list");
        Assert.Contains("CLINIC_EAST", aes.StdOut, StringComparison.Ordinal);
        Assert.Contains("11113", aes.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_are_one_error_line_naming_the_problem()
    {
        Assert.Equal(0, Admin("org", "add", "--name", "Clinic").ExitCode);
        AssertOneError(Admin("org", "add", "--name", "clinic"), "organisation 'Clinic' exists");

        AssertOneError(CliRunner.RunWithInput("a long enough password\n", "admin", "user", "add", "--data", _data,
            "--org", "Nowhere", "--role", "radiologist", "--user", "rad", "--password-stdin"), "organisation 'Nowhere' does not exist");
        AssertOneError(CliRunner.RunWithInput("a long enough password\n", "admin", "user", "add", "--data", _data,
            "--org", "Clinic", "--role", "doctor", "--user", "rad", "--password-stdin"), "role 'doctor' is not one of admin, technologist");
        AssertOneError(CliRunner.RunWithInput("short\n", "admin", "user", "add", "--data", _data,
            "--org", "Clinic", "--role", "radiologist", "--user", "rad", "--password-stdin"), "at least 10 characters");
        // Without --password-stdin and with no terminal, it asks for the flag rather than waiting.
        AssertOneError(CliRunner.RunWithInput("", "admin", "user", "add", "--data", _data,
            "--org", "Clinic", "--role", "radiologist", "--user", "rad"), "--password-stdin");
        Assert.Equal(0, CliRunner.RunWithInput("a long enough password", "admin", "user", "add", "--data", _data,
            "--org", "Clinic", "--role", "radiologist", "--user", "rad", "--password-stdin").ExitCode);
        AssertOneError(CliRunner.RunWithInput("a long enough password", "admin", "user", "add", "--data", _data,
            "--org", "Clinic", "--role", "expert", "--user", "RAD", "--password-stdin"), "user 'RAD' exists");
        var changed = CliRunner.RunWithInput("another long password\n", "admin", "user", "password", "--data", _data, "--user", "rad", "--password-stdin");
        Assert.True(changed.ExitCode == 0, changed.StdErr);
        Assert.Contains("password of user 'rad' changed", changed.StdOut, StringComparison.Ordinal);
        using (var db = RadBridge.Archive.Index.ArchiveDatabase.Open(new RadBridge.Archive.ArchiveLocation(_data)))
        using (var users = RadBridge.Archive.Tenancy.ArchiveIdentity.CreateUserManager(db))
        {
            var rad = (await users.FindByNameAsync("rad"))!;
            Assert.True(await users.CheckPasswordAsync(rad, "another long password"));
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        AssertOneError(CliRunner.RunWithInput("another long password\n", "admin", "user", "password", "--data", _data, "--user", "nobody", "--password-stdin"),
            "user 'nobody' does not exist");

        AssertOneError(Admin("ae", "add", "--org", "Clinic", "--aet", "WAY_TOO_LONG_AE_TITLE"), "longer than 16 characters");
        AssertOneError(Admin("ae", "add", "--org", "Clinic", "--aet", "A\\B"), "contains a backslash");
        Assert.Equal(0, Admin("ae", "add", "--org", "Clinic", "--aet", "CLINIC").ExitCode);
        AssertOneError(Admin("ae", "add", "--org", "Clinic", "--aet", "CLINIC"), "AE title 'CLINIC' is already registered to 'Clinic'");
        AssertOneError(Admin("ae", "add", "--org", "Clinic", "--aet", "OTHER", "--port", "104"), "needs a host");

        AssertOneError(Admin("share", "--study", "1.2.840.1", "--with", "Clinic"), "study '1.2.840.1' does not exist");
        AssertOneError(Admin("share", "--study", "1.2.840.1", "--with", "Elsewhere"), "organisation 'Elsewhere' does not exist");
    }

    [Fact]
    public async Task A_stored_study_is_shared_with_another_organisation()
    {
        Assert.Equal(0, Admin("org", "add", "--name", "Clinic").ExitCode);
        Assert.Equal(0, Admin("org", "add", "--name", "Centre", "--centre").ExitCode);
        // A study stored into the clinic, the way the server's ingest does it.
        var location = new RadBridge.Archive.ArchiveLocation(_data);
        var ingest = new RadBridge.Archive.Ingest.ArchiveIngest(location, new RadBridge.Archive.Index.ArchiveContextFactory(location), NoAudit.Instance);
        await using (ingest)
        {
            var temp = ingest.NewTempPath();
            File.Copy(TestPaths.Sample("CT_small.dcm"), temp);
            var result = await ingest.IngestAsync(temp, new RadBridge.Archive.Ingest.IngestSource(1, "test", "TEST", null), CancellationToken.None);
            Assert.Equal(RadBridge.Archive.Ingest.IngestOutcome.Stored, result.Outcome);
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var uid = RadBridge.Dicom.DicomFile.Open(TestPaths.Sample("CT_small.dcm")).Dataset.GetString(RadBridge.Dicom.DicomTags.StudyInstanceUID)!;

        var share = Admin("share", "--study", uid, "--with", "Centre");
        Assert.True(share.ExitCode == 0, share.StdErr);
        Assert.Contains($"study {uid} shared with 'Centre'", share.StdOut, StringComparison.Ordinal);
        Assert.Contains("was already shared", Admin("share", "--study", uid, "--with", "Centre").StdOut, StringComparison.Ordinal);
        AssertOneError(Admin("share", "--study", uid, "--with", "Clinic"), "belongs to 'Clinic' already");
    }

    private sealed class NoAudit : RadBridge.Archive.Audit.IAuditSink
    {
        public static readonly NoAudit Instance = new();

        public ValueTask RecordAsync(RadBridge.Archive.Audit.AuditEvent auditEvent, CancellationToken ct = default) => ValueTask.CompletedTask;
    }

    [Fact]
    public void A_bad_postgres_connection_string_is_one_error_line()
    {
        var result = Admin("org", "list", "--db", "Host=127.0.0.1;Port=1;Username=x;Password=y;Database=z;Timeout=2");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: admin org list: ", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // The command under test never created it.
        }
    }
}
