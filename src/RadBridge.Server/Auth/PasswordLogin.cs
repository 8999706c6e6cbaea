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
    public const string CodeRequired = "one-time code required";
    public const string InvalidCode = "invalid one-time code";

    /// <summary>The password was right but the account's second factor needs a one-time code (none was given).</summary>
    public bool NeedsCode => Failure == CodeRequired;
}

/// <summary>
/// Checks a user name and password for the token endpoint's password grant and the login page: Identity's hash and
/// lockout (5 failures lock the account for 15 minutes), the one-time code of an account with a second factor (a wrong
/// code counts as a failure towards the lockout), and an audit event for every attempt, failed or not.
/// </summary>
internal sealed class PasswordLogin(UserManager<ArchiveUser> users, IAuditSink audit, TotpSecondFactor totp)
{
    // Verified against when the user does not exist, so an unknown name costs the same time as a wrong password.
    private static readonly Lazy<string> DecoyHash = new(() =>
        new PasswordHasher<ArchiveUser>().HashPassword(new ArchiveUser { Role = ArchiveRoles.Trainee }, Guid.NewGuid().ToString()));

    /// <summary>
    /// The password of <paramref name="userName"/>, then, for an account with the second factor on, its one-time
    /// <paramref name="code"/> (without one the result says <see cref="PasswordLoginResult.NeedsCode"/>).
    /// </summary>
    public Task<PasswordLoginResult> CheckAsync(string? userName, string? password, string via, HttpContext http, string? code = null) =>
        CheckCoreAsync(userName, password, via, http, code, secondFactor: true);

    /// <summary>
    /// Re-authentication of a user who is signed in already (e.g. before signing a report): the password with lockout
    /// and audit as for a login, but no one-time code — the session passed the second factor when it was opened.
    /// </summary>
    public Task<PasswordLoginResult> ReauthenticateAsync(string userName, string? password, string via, HttpContext http) =>
        CheckCoreAsync(userName, password, via, http, code: null, secondFactor: false);

    private async Task<PasswordLoginResult> CheckCoreAsync(string? userName, string? password, string via, HttpContext http, string? code, bool secondFactor)
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
        if (user.TwoFactorEnabled && secondFactor)
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                await RecordAsync(userName, user, remote, "failure", $"{via}: password accepted, one-time code required", http.RequestAborted).ConfigureAwait(false);
                return new(null, PasswordLoginResult.CodeRequired);
            }
            return await CheckCodeAsync(user, code, via, http).ConfigureAwait(false);
        }
        return await SucceedAsync(user, via, remote, http.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// The second step of a login whose password was accepted earlier (the login page's code form): the one-time code
    /// of <paramref name="user"/>, with lockout and audit as for a password.
    /// </summary>
    public async Task<PasswordLoginResult> CheckCodeAsync(ArchiveUser user, string? code, string via, HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(http);
        var remote = http.Connection.RemoteIpAddress?.ToString();
        if (await users.IsLockedOutAsync(user).ConfigureAwait(false))
        {
            await RecordAsync(user.UserName ?? "", user, remote, "failure", $"{via}: account locked", http.RequestAborted).ConfigureAwait(false);
            return new(null, PasswordLoginResult.Locked);
        }
        if (!await totp.VerifyAsync(user, code).ConfigureAwait(false))
        {
            await users.AccessFailedAsync(user).ConfigureAwait(false);
            var lockedNow = await users.IsLockedOutAsync(user).ConfigureAwait(false);
            await RecordAsync(user.UserName ?? "", user, remote, "failure", $"{via}: wrong one-time code{(lockedNow ? "; account locked" : "")}", http.RequestAborted).ConfigureAwait(false);
            return new(null, lockedNow ? PasswordLoginResult.Locked : PasswordLoginResult.InvalidCode);
        }
        return await SucceedAsync(user, via + " with one-time code", remote, http.RequestAborted).ConfigureAwait(false);
    }

    private async Task<PasswordLoginResult> SucceedAsync(ArchiveUser user, string via, string? remote, CancellationToken ct)
    {
        if (await users.GetAccessFailedCountAsync(user).ConfigureAwait(false) > 0)
        {
            await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
        }
        await RecordAsync(user.UserName ?? "", user, remote, "success", via, ct).ConfigureAwait(false);
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
