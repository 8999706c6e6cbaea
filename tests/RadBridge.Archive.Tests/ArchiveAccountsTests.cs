using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Archive.Tests;

public sealed class ArchiveAccountsTests
{
    private static ArchiveAccounts Accounts(TestArchive archive) =>
        new(archive.Contexts, archive.Audit, new AccountsActor("tester", "CLI"));

    [Fact]
    public async Task Organisation_names_are_unique_ignoring_case_and_validated()
    {
        await using var archive = await TestArchive.CreateAsync();
        var accounts = Accounts(archive);
        var centre = await accounts.AddOrganizationAsync("  Central Hospital ", isCentre: true);
        Assert.Equal("Central Hospital", centre.Name);
        Assert.True(centre.IsCentre);

        var dup = await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.AddOrganizationAsync("central hospital", false));
        Assert.Equal("organisation 'Central Hospital' exists", dup.Message);
        Assert.Contains("empty", (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.AddOrganizationAsync("  ", false))).Message, StringComparison.Ordinal);
        Assert.Contains("control character", (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.AddOrganizationAsync("A\nB", false))).Message, StringComparison.Ordinal);
        Assert.Contains("longer than 128", (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.AddOrganizationAsync(new string('x', 129), false))).Message, StringComparison.Ordinal);

        var list = await accounts.ListOrganizationsAsync();
        Assert.Equal(["Central Hospital", "Clinic A", "Clinic B"], list.Select(o => o.Name));
        // The success and each refusal are in the audit log, refusals with the reason.
        var events = archive.Audit.Events.Where(e => e.Action == AuditActions.Administer).ToList();
        Assert.Equal(5, events.Count);
        Assert.Equal("success", events[0].Outcome);
        Assert.Equal(centre.Id, events[0].OrganizationId);
        Assert.All(events.Skip(1), e => Assert.Equal("failure", e.Outcome));
        Assert.Contains("exists", events[1].Detail, StringComparison.Ordinal);
        Assert.All(events, e => Assert.Equal(("tester", "CLI"), (e.Actor, e.Channel)));
    }

    [Fact]
    public async Task Users_are_created_with_identity_hashes_and_refused_with_named_problems()
    {
        await using var archive = await TestArchive.CreateAsync();
        var accounts = Accounts(archive);
        var user = await accounts.AddUserAsync("clinic a", ArchiveRoles.Technologist, "tech.a", "correct horse battery");
        Assert.Equal(archive.ClinicA, user.OrganizationId);

        await using (var db = archive.Open())
        {
            var stored = await db.Users.SingleAsync(u => u.UserName == "tech.a");
            Assert.Equal("TECH.A", stored.NormalizedUserName);
            Assert.False(string.IsNullOrEmpty(stored.SecurityStamp));
            Assert.True(stored.LockoutEnabled);
            Assert.DoesNotContain("correct horse", stored.PasswordHash!, StringComparison.Ordinal);
            // The server's UserManager (same configuration) accepts the password and refuses another.
            using var users = ArchiveIdentity.CreateUserManager(db);
            var found = await users.FindByNameAsync("TECH.A");
            Assert.NotNull(found);
            Assert.True(await users.CheckPasswordAsync(found, "correct horse battery"));
            Assert.False(await users.CheckPasswordAsync(found, "correct horse batterY"));
        }

        async Task<string> Refused(string org, string role, string name, string password) =>
            (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.AddUserAsync(org, role, name, password))).Message;
        Assert.Equal("user 'tech.a' exists", await Refused("Clinic B", ArchiveRoles.Radiologist, "tech.a", "another long password"));
        Assert.Equal("organisation 'Nowhere' does not exist", await Refused("Nowhere", ArchiveRoles.Radiologist, "rad", "another long password"));
        Assert.Equal("role 'doctor' is not one of admin, technologist, radiologist, expert, trainee, auditor",
            await Refused("Clinic B", "doctor", "rad", "another long password"));
        Assert.Equal("the password must be at least 10 characters", await Refused("Clinic B", ArchiveRoles.Radiologist, "rad", "short"));
        Assert.Contains("rad ical", await Refused("Clinic B", ArchiveRoles.Radiologist, "rad ical", "another long password"), StringComparison.Ordinal);

        var list = await accounts.ListUsersAsync();
        Assert.Equal(("tech.a", "Clinic A", ArchiveRoles.Technologist), (list.Single().UserName, list.Single().Organization, list.Single().Role));
        Assert.Empty(await accounts.ListUsersAsync("Clinic B"));
    }

    [Fact]
    public async Task A_new_password_replaces_the_old_one_and_clears_a_lockout()
    {
        await using var archive = await TestArchive.CreateAsync();
        var accounts = Accounts(archive);
        await accounts.AddUserAsync("Clinic A", ArchiveRoles.Radiologist, "rad", "the first password");
        string stamp;
        await using (var db = archive.Open())
        {
            using var users = ArchiveIdentity.CreateUserManager(db);
            var user = (await users.FindByNameAsync("rad"))!;
            stamp = user.SecurityStamp!;
            for (var i = 0; i < ArchiveIdentity.MaxFailedAccessAttempts; i++) await users.AccessFailedAsync(user);
            Assert.True(await users.IsLockedOutAsync(user));
        }
        Assert.Contains("at least 10", (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.SetPasswordAsync("rad", "short"))).Message, StringComparison.Ordinal);
        Assert.Equal("user 'nobody' does not exist", (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.SetPasswordAsync("nobody", "the second password"))).Message);

        await accounts.SetPasswordAsync("rad", "the second password");
        await using (var db = archive.Open())
        {
            using var users = ArchiveIdentity.CreateUserManager(db);
            var user = (await users.FindByNameAsync("rad"))!;
            Assert.False(await users.IsLockedOutAsync(user));
            Assert.NotEqual(stamp, user.SecurityStamp);
            Assert.False(await users.CheckPasswordAsync(user, "the first password"));
            Assert.True(await users.CheckPasswordAsync(user, "the second password"));
        }
    }

    [Theory]
    [InlineData("", "the AE title is empty")]
    [InlineData("   ", "the AE title is empty")]
    [InlineData("SEVENTEEN_CHARS_X", "AE title 'SEVENTEEN_CHARS_X' is longer than 16 characters")]
    [InlineData("BAD\\AE", "AE title 'BAD\\AE' contains a backslash")]
    [InlineData("BAD\tAE", "contains a control or non-ASCII character")]
    [InlineData("影像", "contains a control or non-ASCII character")]
    public async Task Bad_ae_titles_are_refused(string aet, string message)
    {
        await using var archive = await TestArchive.CreateAsync();
        var ex = await Assert.ThrowsAsync<ArchiveAccountException>(() => Accounts(archive).AddAeAsync("Clinic A", aet));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ae_titles_are_unique_and_addresses_checked()
    {
        await using var archive = await TestArchive.CreateAsync();
        var accounts = Accounts(archive);
        var ae = await accounts.AddAeAsync("Clinic A", " CLINIC_A ", "127.0.0.1", 11113);
        Assert.Equal(("CLINIC_A", "127.0.0.1", (int?)11113), (ae.AeTitle, ae.Host, ae.Port));
        await accounts.AddAeAsync("Clinic B", "SENDER_ONLY");

        Assert.Equal("AE title 'CLINIC_A' is already registered to 'Clinic A'",
            (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.AddAeAsync("Clinic B", "CLINIC_A"))).Message);
        Assert.Contains("not between 1 and 65535", (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.AddAeAsync("Clinic B", "X1", "h", 70000))).Message, StringComparison.Ordinal);
        Assert.Contains("needs a host", (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.AddAeAsync("Clinic B", "X2", null, 104))).Message, StringComparison.Ordinal);
        Assert.Contains("not a host name", (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.AddAeAsync("Clinic B", "X3", "bad host!", 104))).Message, StringComparison.Ordinal);

        var list = await accounts.ListAesAsync();
        Assert.Equal(["CLINIC_A", "SENDER_ONLY"], list.Select(a => a.AeTitle));
        Assert.Equal("Clinic B", list[1].Organization);
    }

    [Fact]
    public async Task A_study_is_shared_once_with_an_existing_other_organisation()
    {
        await using var archive = await TestArchive.CreateAsync();
        await archive.StoreAsync(TestPaths.Sample("CT_small.dcm"), archive.ClinicA);
        string uid;
        await using (var db = archive.Open()) uid = await db.Studies.Select(s => s.StudyInstanceUid).SingleAsync();
        var accounts = Accounts(archive);

        Assert.Equal($"study '{uid}' belongs to 'Clinic A' already",
            (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.ShareStudyAsync(uid, "Clinic A"))).Message);
        Assert.Equal("study '1.2.3.4' does not exist", (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.ShareStudyAsync("1.2.3.4", "Clinic B"))).Message);
        Assert.Equal("organisation 'Centre' does not exist", (await Assert.ThrowsAsync<ArchiveAccountException>(() => accounts.ShareStudyAsync(uid, "Centre"))).Message);

        await using (var db = archive.Open()) Assert.Empty(await db.VisibleStudies(archive.ClinicB).ToListAsync());
        Assert.True(await accounts.ShareStudyAsync(uid, "Clinic B"));
        Assert.False(await accounts.ShareStudyAsync(uid, "clinic b"));
        await using (var db = archive.Open())
        {
            Assert.Equal(uid, (await db.VisibleStudies(archive.ClinicB).SingleAsync()).StudyInstanceUid);
            Assert.Equal("tester", (await db.StudyShares.SingleAsync()).SharedBy);
        }
        var shares = archive.Audit.Events.Where(e => e.Action == AuditActions.Share).ToList();
        Assert.Equal(["failure", "failure", "failure", "success", "success"], shares.Select(e => e.Outcome));
        Assert.Equal([uid, "1.2.3.4", uid, uid, uid], shares.Select(e => e.StudyInstanceUid));
    }

    [Fact]
    public async Task Demo_partnership_is_seeded_once_with_an_owner_only_credentials_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), "rb-demo-" + Guid.NewGuid().ToString("N"));
        var location = new ArchiveLocation(dir);
        try
        {
            await Index.ArchiveDatabase.EnsureSchemaAsync(location);
            var contexts = new Index.ArchiveContextFactory(location);
            var audit = new RadBridge.Tests.Shared.RecordingAudit();
            var text = await DemoPartnership.SeedAsync(location, contexts, audit);
            Assert.NotNull(text);
            Assert.Equal(text, await File.ReadAllTextAsync(location.DemoCredentialsPath));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(location.DemoCredentialsPath));
            }
            var accounts = new ArchiveAccounts(contexts, audit, new AccountsActor("t", "CLI"));
            var orgs = await accounts.ListOrganizationsAsync();
            Assert.Equal(3, orgs.Count);
            Assert.Equal(DemoPartnership.Centre, orgs.Single(o => o.IsCentre).Name);
            var users = await accounts.ListUsersAsync();
            Assert.Equal(ArchiveRoles.All.Order(), users.Select(u => u.Role).Distinct().Order());
            Assert.All(users.Where(u => u.Role == ArchiveRoles.Technologist), u => Assert.NotEqual(DemoPartnership.Centre, u.Organization));
            Assert.Equal(3, (await accounts.ListAesAsync()).Count);

            // Every printed password works, and no two are the same.
            var passwords = new HashSet<string>();
            await using (var db = Index.ArchiveDatabase.Open(location))
            {
                using var manager = ArchiveIdentity.CreateUserManager(db);
                foreach (var u in users)
                {
                    var line = text.Split('\n').Single(l => l.TrimStart().StartsWith(u.UserName + " ", StringComparison.Ordinal));
                    var password = line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[2];
                    Assert.True(password.Length >= 16);
                    Assert.True(passwords.Add(password));
                    Assert.True(await manager.CheckPasswordAsync((await manager.FindByNameAsync(u.UserName))!, password));
                }
            }
            Assert.Null(await DemoPartnership.SeedAsync(location, contexts, audit));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }
}
