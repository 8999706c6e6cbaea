using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;

namespace RadBridge.Archive.Tenancy;

/// <summary>Who changes accounts, for the audit log: the admin CLI (an operating-system user) or an API caller.</summary>
/// <param name="Name">The person or process ("cli:alice", a user name).</param>
/// <param name="Channel">"CLI" or "API".</param>
/// <param name="RemoteAddress">Where an API request came from.</param>
public sealed record AccountsActor(string Name, string Channel, string? RemoteAddress = null)
{
    /// <summary>The admin CLI run by the current operating-system user.</summary>
    public static AccountsActor Cli() => new("cli:" + Environment.UserName, "CLI");
}

public sealed record OrganizationSummary(int Id, string Name, bool IsCentre, int Users, int Aes, DateTimeOffset CreatedAt);

public sealed record UserSummary(string UserName, string Organization, string Role, DateTimeOffset? LockedOutUntil);

public sealed record AeSummary(string AeTitle, string Organization, string? Host, int? Port);

/// <summary>
/// The one place that creates and changes organisations, users, registered AEs and study shares — for the admin CLI,
/// the demo seeding and (later) the admin API. It validates every input with a message naming the problem
/// (<see cref="ArchiveAccountException"/>), and audits every change, successful or refused.
/// </summary>
/// <remarks>
/// Safe beside a running server: each operation is one short transaction on the shared database (SQLite WAL with a
/// busy timeout, or PostgreSQL), and the unique indexes settle a race between two processes adding the same name.
/// A running server sees new accounts at once; its Basic credential cache may keep honouring a removed user or an
/// old role for up to 60 s.
/// </remarks>
public sealed class ArchiveAccounts(IDbContextFactory<ArchiveDbContext> contexts, IAuditSink audit, AccountsActor actor)
{
    public const int MaxOrganizationNameLength = 128;

    public Task<Organization> AddOrganizationAsync(string name, bool isCentre, CancellationToken ct = default) =>
        AuditedAsync(AuditActions.Administer, $"add organisation '{name}'{(isCentre ? " (centre)" : "")}", null, async () =>
        {
            var clean = ValidOrganizationName(name);
            await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            if (await FindOrganizationAsync(db, clean, ct).ConfigureAwait(false) is { } existing)
            {
                throw new ArchiveAccountException($"organisation '{existing.Name}' exists");
            }
            var org = new Organization { Name = clean, IsCentre = isCentre, CreatedAt = DateTimeOffset.UtcNow };
            db.Organizations.Add(org);
            await SaveUniqueAsync(db, $"organisation '{clean}' exists", ct).ConfigureAwait(false);
            return (org, org);
        }, ct);

    public Task<ArchiveUser> AddUserAsync(string organization, string role, string userName, string password, CancellationToken ct = default) =>
        AuditedAsync(AuditActions.Administer, $"add user '{userName}' ({role}) to '{organization}'", null, async () =>
        {
            ArgumentNullException.ThrowIfNull(password);
            if (!ArchiveRoles.IsKnown(role))
            {
                throw new ArchiveAccountException($"role '{role}' is not one of {string.Join(", ", ArchiveRoles.All)}");
            }
            if (string.IsNullOrWhiteSpace(userName)) throw new ArchiveAccountException("the user name is empty");
            if (password.Length < ArchiveIdentity.MinimumPasswordLength)
            {
                throw new ArchiveAccountException($"the password must be at least {ArchiveIdentity.MinimumPasswordLength} characters");
            }
            await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            var org = await RequireOrganizationAsync(db, organization, ct).ConfigureAwait(false);
            using var users = ArchiveIdentity.CreateUserManager(db);
            if (await users.FindByNameAsync(userName).ConfigureAwait(false) is not null)
            {
                throw new ArchiveAccountException($"user '{userName}' exists");
            }
            var user = new ArchiveUser { UserName = userName, OrganizationId = org.Id, Role = role };
            Microsoft.AspNetCore.Identity.IdentityResult result;
            try
            {
                result = await users.CreateAsync(user, password).ConfigureAwait(false);
            }
            catch (DbUpdateException ex) when (ex.InnerException is DbException)
            {
                // The unique index on the normalised name settled a race with another process adding the same user.
                throw new ArchiveAccountException($"user '{userName}' exists", ex);
            }
            if (!result.Succeeded)
            {
                throw new ArchiveAccountException($"user '{userName}': {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }
            return (user, org);
        }, ct);

    /// <summary>
    /// Sets a new password (e.g. to replace a demo password, or after a lockout): a new security stamp, and any lockout
    /// and failure count cleared.
    /// </summary>
    public Task<ArchiveUser> SetPasswordAsync(string userName, string password, CancellationToken ct = default) =>
        AuditedAsync(AuditActions.Administer, $"set the password of user '{userName}'", null, async () =>
        {
            ArgumentNullException.ThrowIfNull(password);
            if (password.Length < ArchiveIdentity.MinimumPasswordLength)
            {
                throw new ArchiveAccountException($"the password must be at least {ArchiveIdentity.MinimumPasswordLength} characters");
            }
            await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            using var users = ArchiveIdentity.CreateUserManager(db);
            var user = await users.FindByNameAsync(userName ?? "").ConfigureAwait(false)
                ?? throw new ArchiveAccountException($"user '{userName}' does not exist");
            user.PasswordHash = users.PasswordHasher.HashPassword(user, password);
            user.LockoutEnd = null;
            user.AccessFailedCount = 0;
            // One update: the hash, the cleared lockout and a new stamp are saved together.
            var result = await users.UpdateSecurityStampAsync(user).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new ArchiveAccountException($"user '{userName}': {string.Join(" ", result.Errors.Select(e => e.Description))}");
            }
            var org = await db.Organizations.FirstAsync(o => o.Id == user.OrganizationId, ct).ConfigureAwait(false);
            return (user, org);
        }, ct);

    public Task<RegisteredAe> AddAeAsync(string organization, string aeTitle, string? host = null, int? port = null, CancellationToken ct = default) =>
        AuditedAsync(AuditActions.Administer, $"register AE '{aeTitle}' to '{organization}'{(host is null ? "" : $" at {host}:{port}")}", null, async () =>
        {
            var title = ValidAeTitle(aeTitle);
            var (cleanHost, cleanPort) = ValidAddress(host, port);
            await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            var org = await RequireOrganizationAsync(db, organization, ct).ConfigureAwait(false);
            if (await db.RegisteredAes.Where(a => a.AeTitle == title).Select(a => a.Organization!.Name).FirstOrDefaultAsync(ct).ConfigureAwait(false) is { } owner)
            {
                throw new ArchiveAccountException($"AE title '{title}' is already registered to '{owner}'");
            }
            var ae = new RegisteredAe { OrganizationId = org.Id, AeTitle = title, Host = cleanHost, Port = cleanPort };
            db.RegisteredAes.Add(ae);
            await SaveUniqueAsync(db, $"AE title '{title}' is already registered", ct).ConfigureAwait(false);
            return (ae, org);
        }, ct);

    /// <summary>Shares a study (by Study Instance UID) with an organisation. False when it was already shared with it.</summary>
    public Task<bool> ShareStudyAsync(string studyInstanceUid, string organization, CancellationToken ct = default) =>
        AuditedAsync(AuditActions.Share, $"share study with '{organization}'", studyInstanceUid, async () =>
        {
            var uid = studyInstanceUid?.Trim() ?? "";
            if (uid.Length == 0) throw new ArchiveAccountException("the Study Instance UID is empty");
            await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
            var org = await RequireOrganizationAsync(db, organization, ct).ConfigureAwait(false);
            var study = await db.Studies.Where(s => s.StudyInstanceUid == uid).Select(s => new { s.Id, s.OrganizationId })
                .FirstOrDefaultAsync(ct).ConfigureAwait(false)
                ?? throw new ArchiveAccountException($"study '{uid}' does not exist");
            if (study.OrganizationId == org.Id) throw new ArchiveAccountException($"study '{uid}' belongs to '{org.Name}' already");
            if (await db.StudyShares.AnyAsync(s => s.StudyId == study.Id && s.OrganizationId == org.Id, ct).ConfigureAwait(false))
            {
                return (false, org);
            }
            db.StudyShares.Add(new StudyShare { StudyId = study.Id, OrganizationId = org.Id, SharedAt = DateTimeOffset.UtcNow, SharedBy = actor.Name });
            try
            {
                await db.SaveChangesAsync(ct).ConfigureAwait(false);
            }
            catch (DbUpdateException ex) when (ex.InnerException is DbException)
            {
                // The primary key settled a race with another process sharing it at the same moment.
                return (false, org);
            }
            return (true, org);
        }, ct);

    public async Task<IReadOnlyList<OrganizationSummary>> ListOrganizationsAsync(CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var rows = await db.Organizations.OrderBy(o => o.Name)
            .Select(o => new
            {
                o.Id, o.Name, o.IsCentre, o.CreatedAt,
                Users = db.Users.Count(u => u.OrganizationId == o.Id),
                Aes = db.RegisteredAes.Count(a => a.OrganizationId == o.Id),
            })
            .ToListAsync(ct).ConfigureAwait(false);
        return [.. rows.Select(r => new OrganizationSummary(r.Id, r.Name, r.IsCentre, r.Users, r.Aes, r.CreatedAt))];
    }

    /// <summary>The users, of one organisation when <paramref name="organization"/> is given.</summary>
    public async Task<IReadOnlyList<UserSummary>> ListUsersAsync(string? organization = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var query = db.Users.AsQueryable();
        if (organization is not null)
        {
            var org = await RequireOrganizationAsync(db, organization, ct).ConfigureAwait(false);
            query = query.Where(u => u.OrganizationId == org.Id);
        }
        var rows = await query.OrderBy(u => u.UserName)
            .Select(u => new { u.UserName, Org = u.Organization!.Name, u.Role, u.LockoutEnd })
            .ToListAsync(ct).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        return [.. rows.Select(r => new UserSummary(r.UserName!, r.Org, r.Role, r.LockoutEnd > now ? r.LockoutEnd : null))];
    }

    public async Task<IReadOnlyList<AeSummary>> ListAesAsync(string? organization = null, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
        var query = db.RegisteredAes.AsQueryable();
        if (organization is not null)
        {
            var org = await RequireOrganizationAsync(db, organization, ct).ConfigureAwait(false);
            query = query.Where(a => a.OrganizationId == org.Id);
        }
        var rows = await query.OrderBy(a => a.AeTitle)
            .Select(a => new AeSummary(a.AeTitle, a.Organization!.Name, a.Host, a.Port))
            .ToListAsync(ct).ConfigureAwait(false);
        return rows;
    }

    /// <summary>Runs one change and appends its audit event: success, or failure with the refusal's message.</summary>
    private async Task<T> AuditedAsync<T>(string action, string what, string? studyUid, Func<Task<(T Result, Organization Org)>> change, CancellationToken ct)
    {
        T result;
        Organization org;
        try
        {
            (result, org) = await change().ConfigureAwait(false);
        }
        catch (ArchiveAccountException ex)
        {
            await audit.RecordAsync(Event(action, studyUid, "failure", $"{what}: {ex.Message}", null), ct).ConfigureAwait(false);
            throw;
        }
        await audit.RecordAsync(Event(action, studyUid, "success", what, org), ct).ConfigureAwait(false);
        return result;
    }

    private AuditEvent Event(string action, string? studyUid, string outcome, string detail, Organization? org) => new()
    {
        Actor = actor.Name,
        Channel = actor.Channel,
        RemoteAddress = actor.RemoteAddress,
        Action = action,
        OrganizationId = org?.Id,
        OrganizationName = org?.Name,
        StudyInstanceUid = studyUid,
        Outcome = outcome,
        Detail = detail,
    };

    private static async Task<Organization?> FindOrganizationAsync(ArchiveDbContext db, string name, CancellationToken ct)
    {
        var exact = await db.Organizations.FirstOrDefaultAsync(o => o.Name == name, ct).ConfigureAwait(false);
        if (exact is not null) return exact;
        // Names differing only in case are the same institution to a person typing --org. A partnership has a handful
        // of organisations, and SQL's UPPER folds only ASCII in SQLite, so compare them here.
        var all = await db.Organizations.ToListAsync(ct).ConfigureAwait(false);
        return all.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
    }

    private static async Task<Organization> RequireOrganizationAsync(ArchiveDbContext db, string? name, CancellationToken ct) =>
        string.IsNullOrWhiteSpace(name) ? throw new ArchiveAccountException("the organisation name is empty")
        : await FindOrganizationAsync(db, name.Trim(), ct).ConfigureAwait(false)
          ?? throw new ArchiveAccountException($"organisation '{name.Trim()}' does not exist");

    private static async Task SaveUniqueAsync(ArchiveDbContext db, string duplicateMessage, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct).ConfigureAwait(false);
        }
        catch (DbUpdateException ex) when (ex.InnerException is DbException)
        {
            // The unique index settled a race with another process adding the same name.
            throw new ArchiveAccountException(duplicateMessage, ex);
        }
    }

    internal static string ValidOrganizationName(string? name)
    {
        var clean = name?.Trim() ?? "";
        if (clean.Length == 0) throw new ArchiveAccountException("the organisation name is empty");
        if (clean.Length > MaxOrganizationNameLength)
        {
            throw new ArchiveAccountException($"the organisation name is longer than {MaxOrganizationNameLength} characters");
        }
        if (clean.Any(char.IsControl)) throw new ArchiveAccountException("the organisation name contains a control character");
        return clean;
    }

    /// <summary>PS3.5 AE: 1–16 characters of the default repertoire, no backslash or control character; spaces at the ends are not significant.</summary>
    internal static string ValidAeTitle(string? aeTitle)
    {
        var title = aeTitle?.Trim(' ') ?? "";
        if (title.Length == 0) throw new ArchiveAccountException("the AE title is empty");
        if (title.Length > 16) throw new ArchiveAccountException($"AE title '{title}' is longer than 16 characters");
        if (title.Contains('\\', StringComparison.Ordinal)) throw new ArchiveAccountException($"AE title '{title}' contains a backslash");
        if (title.Any(c => char.IsControl(c) || c > '\x7e'))
        {
            throw new ArchiveAccountException($"AE title '{title.ReplaceLineEndings(" ")}' contains a control or non-ASCII character");
        }
        return title;
    }

    internal static (string? Host, int? Port) ValidAddress(string? host, int? port)
    {
        var cleanHost = string.IsNullOrWhiteSpace(host) ? null : host.Trim();
        if (cleanHost is not null && Uri.CheckHostName(cleanHost) == UriHostNameType.Unknown)
        {
            throw new ArchiveAccountException($"host '{cleanHost}' is not a host name or IP address");
        }
        if (port is { } p)
        {
            if (p is < 1 or > 65535) throw new ArchiveAccountException($"port {p.ToString(CultureInfo.InvariantCulture)} is not between 1 and 65535");
            if (cleanHost is null) throw new ArchiveAccountException("a port needs a host (C-MOVE sends to host:port)");
        }
        return (cleanHost, port);
    }
}
