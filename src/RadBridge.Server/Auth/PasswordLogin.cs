using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Auth;

/// <summary>The outcome of a password check: the user, or why not (the text the client sees).</summary>
internal sealed record PasswordLoginResult(ArchiveUser? User, string? Failure)
{
    public const string Invalid = "invalid username or password";
    public const string Locked = "account locked";
}

/// <summary>
/// Checks a user name and password for the token endpoint's password grant and the login page: Identity's hash and
/// lockout (5 failures lock the account for 15 minutes), and an audit event for every attempt, failed or not.
/// </summary>
internal sealed class PasswordLogin(UserManager<ArchiveUser> users, IAuditSink audit)
{
    // Verified against when the user does not exist, so an unknown name costs the same time as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<ArchiveUser>().HashPassword(new ArchiveUser { Role = ArchiveRoles.Trainee }, Guid.NewGuid().ToString()));

    public async Task<PasswordLoginResult> CheckAsync(string? userName, string? password, string via, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var remote = http.Connection.RemoteIpAddress?.ToString();
        if (string.IsNullOrEmpty(userName) || string.IsNullOrEmpty(password))
        {
            await RecordAsync(userName ?? "", null, remote, "failure", $"{via}: no user name or password", http.RequestAborted).ConfigureAwait(false);
            return new(null, PasswordLoginResult.Invalid);
        }
        var user = await users.FindByNameAsync(userName).ConfigureAwait(false);
        if (user is null)
        {
            users.PasswordHasher.VerifyHashedPassword(new ArchiveUser { Role = ArchiveRoles.Trainee }, DecoyHash.Value, password);
            await RecordAsync(userName, null, remote, "failure", $"{via}: unknown user", http.RequestAborted).ConfigureAwait(false);
            return new(null, PasswordLoginResult.Invalid);
        }
        if (await users.IsLockedOutAsync(user).ConfigureAwait(false))
        {
            await RecordAsync(userName, user, remote, "failure", $"{via}: account locked", http.RequestAborted).ConfigureAwait(false);
            return new(null, PasswordLoginResult.Locked);
        }
        if (!await users.CheckPasswordAsync(user, password).ConfigureAwait(false))
        {
            await users.AccessFailedAsync(user).ConfigureAwait(false);
            var lockedNow = await users.IsLockedOutAsync(user).ConfigureAwait(false);
            await RecordAsync(userName, user, remote, "failure", $"{via}: wrong password{(lockedNow ? "; account locked" : "")}", http.RequestAborted).ConfigureAwait(false);
            return new(null, lockedNow ? PasswordLoginResult.Locked : PasswordLoginResult.Invalid);
        }
        if (await users.GetAccessFailedCountAsync(user).ConfigureAwait(false) > 0)
        {
            await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
        }
        await RecordAsync(userName, user, remote, "success", via, http.RequestAborted).ConfigureAwait(false);
        return new(user, null);
    }

    private ValueTask RecordAsync(string userName, ArchiveUser? user, string? remote, string outcome, string detail, CancellationToken ct) =>
        audit.RecordAsync(new AuditEvent
        {
            Actor = userName,
            OrganizationId = user?.OrganizationId,
            Action = AuditActions.Login,
            Channel = "API",
            RemoteAddress = remote,
            Outcome = outcome,
            Detail = detail,
        }, ct);
}
