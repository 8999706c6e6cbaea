using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.Dicom;
using Spectre.Console;

namespace RadBridge.Cli.Commands;

/// <summary>
/// <c>radbridge admin</c>: organisations, users, registered AEs and study shares of an archive's data directory. Works
/// with the server stopped or running (the same SQLite WAL file with a busy timeout, or PostgreSQL with <c>--db</c>);
/// a running server sees a new user at once, a changed or removed one within 60 s (its Basic credential cache).
/// </summary>
internal static class AdminCommand
{
    private static readonly Option<string?> Data = new("--data") { Description = "Data directory (default: $RADBRIDGE_DATA, else ./data)", Recursive = true };
    private static readonly Option<string?> Db = new("--db") { Description = "PostgreSQL connection string (default: $RADBRIDGE_DB, else SQLite in the data directory)", Recursive = true };

    public static Command Create() => new("admin", "Manage organisations, users, AEs and study shares of an archive")
    {
        Data, Db, Organizations(), Users(), Aes(), Share(),
    };

    private static Command Organizations()
    {
        var name = new Option<string>("--name") { Description = "The organisation's name (unique)", Required = true };
        var centre = new Option<bool>("--centre") { Description = "The partnership's centre hospital (its readers report for the clinics)" };
        var add = new Command("add", "Add an organisation (a centre hospital or a clinic)") { name, centre };
        add.SetAction((parse, ct) => RunAsync("admin org add", parse, async (accounts, c) =>
        {
            var org = await accounts.AddOrganizationAsync(parse.GetValue(name)!, parse.GetValue(centre), c);
            Console.Out.WriteLine($"organisation '{org.Name}' added (id {org.Id.ToString(CultureInfo.InvariantCulture)}{(org.IsCentre ? ", centre" : "")})");
        }, ct));
        var list = new Command("list", "List the organisations");
        list.SetAction((parse, ct) => RunAsync("admin org list", parse, async (accounts, c) =>
        {
            var rows = await accounts.ListOrganizationsAsync(c);
            WriteTable(["id", "name", "centre", "users", "AEs"],
                rows.Select(o => new[] { o.Id.ToString(CultureInfo.InvariantCulture), o.Name, o.IsCentre ? "yes" : "", o.Users.ToString(CultureInfo.InvariantCulture), o.Aes.ToString(CultureInfo.InvariantCulture) }));
        }, ct));
        return new Command("org", "Organisations (tenants)") { add, list };
    }

    private static Command Users()
    {
        var org = new Option<string>("--org") { Description = "The user's organisation", Required = true };
        var role = new Option<string>("--role") { Description = $"One of {string.Join(", ", ArchiveRoles.All)}", Required = true };
        var user = new Option<string>("--user") { Description = "The user name (letters, digits, - . _ @ +)", Required = true };
        var passwordStdin = new Option<bool>("--password-stdin") { Description = "Read the password from the first line of standard input" };
        var add = new Command("add", $"Add a user (password: at least {ArchiveIdentity.MinimumPasswordLength} characters)") { org, role, user, passwordStdin };
        add.SetAction((parse, ct) => RunAsync("admin user add", parse, async (accounts, c) =>
        {
            var password = ReadPassword(parse.GetValue(passwordStdin));
            var created = await accounts.AddUserAsync(parse.GetValue(org)!, parse.GetValue(role)!, parse.GetValue(user)!, password, c);
            Console.Out.WriteLine($"user '{created.UserName}' ({created.Role}) added to '{parse.GetValue(org)!.Trim()}'");
        }, ct));
        var who = new Option<string>("--user") { Description = "The user name", Required = true };
        var newPasswordStdin = new Option<bool>("--password-stdin") { Description = "Read the new password from the first line of standard input" };
        var password = new Command("password", "Set a user's password (also clears a lockout)") { who, newPasswordStdin };
        password.SetAction((parse, ct) => RunAsync("admin user password", parse, async (accounts, c) =>
        {
            var changed = await accounts.SetPasswordAsync(parse.GetValue(who)!, ReadPassword(parse.GetValue(newPasswordStdin)), c);
            Console.Out.WriteLine($"password of user '{changed.UserName}' changed");
        }, ct));
        var listOrg = new Option<string?>("--org") { Description = "Only this organisation's users" };
        var list = new Command("list", "List the users") { listOrg };
        list.SetAction((parse, ct) => RunAsync("admin user list", parse, async (accounts, c) =>
        {
            var rows = await accounts.ListUsersAsync(parse.GetValue(listOrg), c);
            WriteTable(["user", "role", "organisation", "locked until"],
                rows.Select(u => new[] { u.UserName, u.Role, u.Organization, u.LockedOutUntil?.ToString("u", CultureInfo.InvariantCulture) ?? "" }));
        }, ct));
        return new Command("user", "Users (ASP.NET Identity accounts with an organisation and a role)") { add, password, list };
    }

    private static Command Aes()
    {
        var org = new Option<string>("--org") { Description = "The organisation the AE stores into and queries", Required = true };
        var aet = new Option<string>("--aet") { Description = "The AE title (1-16 characters, no backslash)", Required = true };
        var host = new Option<string?>("--host") { Description = "Associations from this AE must come from this host; also the C-MOVE destination" };
        var port = new Option<int?>("--port") { Description = "The AE's listening port (C-MOVE destination; needs --host)" };
        var add = new Command("add", "Register a DICOM AE to an organisation") { org, aet, host, port };
        add.SetAction((parse, ct) => RunAsync("admin ae add", parse, async (accounts, c) =>
        {
            var ae = await accounts.AddAeAsync(parse.GetValue(org)!, parse.GetValue(aet)!, parse.GetValue(host), parse.GetValue(port), c);
            var address = ae.Host is null ? "" : $" at {ae.Host}{(ae.Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "")}";
            Console.Out.WriteLine($"AE '{ae.AeTitle}' registered to '{parse.GetValue(org)!.Trim()}'{address}");
        }, ct));
        var listOrg = new Option<string?>("--org") { Description = "Only this organisation's AEs" };
        var list = new Command("list", "List the registered AEs") { listOrg };
        list.SetAction((parse, ct) => RunAsync("admin ae list", parse, async (accounts, c) =>
        {
            var rows = await accounts.ListAesAsync(parse.GetValue(listOrg), c);
            WriteTable(["AE title", "organisation", "host", "port"],
                rows.Select(a => new[] { a.AeTitle, a.Organization, a.Host ?? "", a.Port?.ToString(CultureInfo.InvariantCulture) ?? "" }));
        }, ct));
        return new Command("ae", "DICOM AEs registered to organisations") { add, list };
    }

    private static Command Share()
    {
        var study = new Option<string>("--study") { Description = "Study Instance UID", Required = true };
        var with = new Option<string>("--with") { Description = "The organisation to share it with", Required = true };
        var command = new Command("share", "Share a study with another organisation (e.g. a clinic's study with the centre for reading)") { study, with };
        command.SetAction((parse, ct) => RunAsync("admin share", parse, async (accounts, c) =>
        {
            var uid = parse.GetValue(study)!.Trim();
            var added = await accounts.ShareStudyAsync(uid, parse.GetValue(with)!, c);
            Console.Out.WriteLine(added ? $"study {uid} shared with '{parse.GetValue(with)!.Trim()}'"
                : $"study {uid} was already shared with '{parse.GetValue(with)!.Trim()}'");
        }, ct));
        return command;
    }

    /// <summary>Opens the archive's accounts (creating the schema if new), runs one action, and maps failures to one error line.</summary>
    private static async Task<int> RunAsync(string subject, ParseResult parse, Func<ArchiveAccounts, CancellationToken, Task> action, CancellationToken ct)
    {
        try
        {
            var location = new ArchiveLocation(ArchiveLocation.DefaultDataDirectory(parse.GetValue(Data)),
                parse.GetValue(Db) ?? Environment.GetEnvironmentVariable("RADBRIDGE_DB"));
            await ArchiveDatabase.EnsureSchemaAsync(location, ct);
            // Every account change is appended to the archive's hash-chained audit log (shared with a running server).
            var audit = new HashChainedAuditLog(location);
            await using var disposeAudit = audit;
            var accounts = new ArchiveAccounts(new ArchiveContextFactory(location), audit, AccountsActor.Cli());
            await action(accounts, ct);
            return 0;
        }
        catch (DicomException ex)
        {
            CliErrors.Report(subject, ex.Message);
            return CliErrors.Failure;
        }
        catch (Exception ex) when (ex is DbException or DbUpdateException or IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            CliErrors.Report(subject, ex.GetBaseException().Message);
            return CliErrors.Failure;
        }
    }

    /// <summary>The password from standard input (--password-stdin), else asked for on the terminal; never from the command line (ps shows it).</summary>
    private static string ReadPassword(bool fromStdin)
    {
        if (fromStdin)
        {
            return Console.In.ReadLine() is { } line ? line.TrimEnd('\r', '\n') : throw new ArchiveAccountException("no password on standard input");
        }
        if (Console.IsInputRedirected) throw new ArchiveAccountException("give the password on standard input with --password-stdin");
        var password = AnsiConsole.Prompt(new TextPrompt<string>("Password:").Secret());
        var again = AnsiConsole.Prompt(new TextPrompt<string>("Password again:").Secret());
        return password == again ? password : throw new ArchiveAccountException("the two passwords differ");
    }

    /// <summary>Plain aligned columns: readable, and stable for scripts (no box drawing, no wrapping).</summary>
    private static void WriteTable(string[] header, IEnumerable<string[]> rows)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows);
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            Console.Out.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
        if (all.Count == 1) Console.Out.WriteLine("(none)");
    }
}
