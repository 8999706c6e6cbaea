using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Auth;

/// <summary>
/// HTTP Basic for tools (curl, scripts of the DCMTK era) on <c>/dicomweb</c>: the same Identity accounts, password
/// hashes and lockout as the token endpoint. Only meaningful over HTTPS outside loopback, as the README says.
/// </summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    UserManager<ArchiveUser> users,
    BasicCredentialCache cache) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Basic";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue("Authorization", out var header) ||
            !AuthenticationHeaderValue.TryParse(header.ToString(), out var value) ||
            !string.Equals(value.Scheme, SchemeName, StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }
        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter ?? ""));
        }
        catch (FormatException)
        {
            return AuthenticateResult.Fail("the Basic credentials are not base64");
        }
        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return AuthenticateResult.Fail("the Basic credentials are not user:password");
        if (cache.TryGet(decoded, out var cached)) return Success(cached);
        var user = await users.FindByNameAsync(decoded[..colon]).ConfigureAwait(false);
        if (user is null) return AuthenticateResult.Fail("unknown user or wrong password");
        if (await users.IsLockedOutAsync(user).ConfigureAwait(false)) return AuthenticateResult.Fail("the account is locked out");
        if (!await users.CheckPasswordAsync(user, decoded[(colon + 1)..]).ConfigureAwait(false))
        {
            await users.AccessFailedAsync(user).ConfigureAwait(false);
            return AuthenticateResult.Fail("unknown user or wrong password");
        }
        if (await users.GetAccessFailedCountAsync(user).ConfigureAwait(false) > 0) await users.ResetAccessFailedCountAsync(user).ConfigureAwait(false);
        // A password alone must not get past a second factor: such an account takes a token (password grant with its code).
        if (user.TwoFactorEnabled) return AuthenticateResult.Fail("the account uses a one-time code: Basic is refused, use a token from /connect/token");
        var claims = ArchiveClaims.For(user).ToArray();
        cache.Add(decoded, claims);
        return Success(claims);
    }

    private static AuthenticateResult Success(Claim[] claims) =>
        AuthenticateResult.Success(new AuthenticationTicket(
            new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ArchiveClaims.Name, ClaimTypes.Role)), SchemeName));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"RadBridge\", charset=\"UTF-8\"";
        return base.HandleChallengeAsync(properties);
    }
}

/// <summary>
/// Remembers recently verified Basic credentials for a minute. Identity's password hash costs tens of milliseconds by
/// design; a script making thousands of QIDO calls must not pay it on each. Keyed by a salted SHA-256 of
/// "user:password", so the cache never holds a password; a failed login or an account change clears it.
/// </summary>
public sealed class BasicCredentialCache
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private readonly byte[] _salt = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Claim[] Claims, DateTimeOffset Expires)> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string credentials, out Claim[] claims)
    {
        if (_entries.TryGetValue(Key(credentials), out var entry) && entry.Expires > DateTimeOffset.UtcNow)
        {
            claims = entry.Claims;
            return true;
        }
        claims = [];
        return false;
    }

    public void Add(string credentials, Claim[] claims)
    {
        if (_entries.Count > 10_000) _entries.Clear();
        _entries[Key(credentials)] = (claims, DateTimeOffset.UtcNow + Lifetime);
    }

    /// <summary>Forgets everything (an account was changed, locked or deleted).</summary>
    public void Clear() => _entries.Clear();

    private string Key(string credentials) =>
        Convert.ToHexString(System.Security.Cryptography.HMACSHA256.HashData(_salt, Encoding.UTF8.GetBytes(credentials)));
}
