using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;

namespace RadBridge.Archive.Tenancy;

/// <summary>
/// The partnership a first start creates in an empty data directory, so that a new installation can be tried at once:
/// a centre hospital whose readers report for two township clinics, a user for every role, an AE per organisation.
/// Passwords are random and shown once; they are also kept, readable by the owner only, in demo-credentials.txt.
/// </summary>
public static class DemoPartnership
{
    public const string Centre = "Central Hospital";
    public const string ClinicEast = "Township Clinic East";
    public const string ClinicWest = "Community Clinic West";

    // Technologists acquire at the clinics; readers, the administrator and the auditor work at the centre.
    private static readonly (string User, string Role, string Organization)[] Users =
    [
        ("admin", ArchiveRoles.Admin, Centre),
        ("radiologist", ArchiveRoles.Radiologist, Centre),
        ("expert", ArchiveRoles.Expert, Centre),
        ("trainee", ArchiveRoles.Trainee, Centre),
        ("auditor", ArchiveRoles.Auditor, Centre),
        ("tech.east", ArchiveRoles.Technologist, ClinicEast),
        ("tech.west", ArchiveRoles.Technologist, ClinicWest),
    ];

    private static readonly (string AeTitle, string Organization)[] Aes =
    [
        ("CENTRAL", Centre),
        ("CLINIC_EAST", ClinicEast),
        ("CLINIC_WEST", ClinicWest),
    ];

    // No look-alike characters (0/O, 1/l/I): these are read off a screen and typed.
    private const string PasswordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int PasswordLength = 20;

    /// <summary>
    /// Creates the partnership when the index has no organisation, writes the credentials file (mode 600) and returns
    /// the text to show once; null when the archive already has organisations.
    /// </summary>
    public static async Task<string?> SeedAsync(ArchiveLocation location, IDbContextFactory<ArchiveDbContext> contexts, IAuditSink audit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        ArgumentNullException.ThrowIfNull(contexts);
        await using (var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false))
        {
            if (await db.Organizations.AnyAsync(ct).ConfigureAwait(false)) return null;
        }
        var accounts = new ArchiveAccounts(contexts, audit, new AccountsActor("radbridge serve (demo setup)", "CLI"));
        await accounts.AddOrganizationAsync(Centre, isCentre: true, ct).ConfigureAwait(false);
        await accounts.AddOrganizationAsync(ClinicEast, isCentre: false, ct).ConfigureAwait(false);
        await accounts.AddOrganizationAsync(ClinicWest, isCentre: false, ct).ConfigureAwait(false);

        var text = new StringBuilder();
        text.AppendLine("Demo partnership created (shown once; also in demo-credentials.txt, readable by you only).")
            .AppendLine("Before real use change them (radbridge admin user password --user U --password-stdin), or start with --no-demo.")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"  {"user",-12} {"role",-13} {"password",-22} organisation");
        foreach (var (user, role, org) in Users)
        {
            var password = RandomNumberGenerator.GetString(PasswordAlphabet, PasswordLength);
            await accounts.AddUserAsync(org, role, user, password, ct).ConfigureAwait(false);
            text.AppendLine(CultureInfo.InvariantCulture, $"  {user,-12} {role,-13} {password,-22} {org}");
        }
        text.AppendLine();
        foreach (var (aet, org) in Aes)
        {
            await accounts.AddAeAsync(org, aet, ct: ct).ConfigureAwait(false);
            text.AppendLine(CultureInfo.InvariantCulture, $"  AE {aet,-16} sends as {org}");
        }
        var result = text.ToString();
        WriteOwnerOnly(location.DemoCredentialsPath, result);
        return result;
    }

    /// <summary>Creates the file with mode 600 from the start (no window in which it is readable by others).</summary>
    private static void WriteOwnerOnly(string path, string content)
    {
        File.Delete(path); // A stale file from an earlier index would keep its mode; a new one gets 600.
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        writer.Write(content);
        writer.Flush();
        stream.Flush(flushToDisk: true);
    }
}
