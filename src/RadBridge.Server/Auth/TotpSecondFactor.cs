using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using OtpNet;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Auth;

/// <summary>A started enrolment: the secret to put into an authenticator app, also as an otpauth:// URI (for a QR code).</summary>
/// <param name="Secret">The shared key, base32 (RFC 4648) as authenticator apps take it.</param>
/// <param name="OtpauthUri">The key URI (Google Authenticator key URI format): TOTP, SHA-1, 6 digits, 30 s.</param>
/// <param name="Enabled">False until the first code is confirmed.</param>
public sealed record TotpEnrolment(string Secret, string OtpauthUri, bool Enabled);

/// <summary>
/// The optional second login factor: time-based one-time codes (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps) from
/// an authenticator app. The shared key is Identity's authenticator key (kept in the user's tokens); the factor is on
/// once the user has confirmed a first code (Identity's <c>TwoFactorEnabled</c>). A code is accepted one
/// step early or late (clock drift) and only once: the last step used is remembered, so a code seen over a shoulder
/// or in a log cannot be replayed.
/// </summary>
internal sealed class TotpSecondFactor(UserManager<ArchiveUser> users, TimeProvider clock)
{
    public const string Issuer = "RadBridge";
    private const string TokenProvider = "RadBridge";
    private const string LastStepToken = "TotpLastStep";
    private const int StepSeconds = 30;
    // Where Identity's UserStore keeps the authenticator key (UserStoreBase.InternalLoginProvider, AuthenticatorKeyTokenName).
    private const string AuthenticatorKeyProvider = "[AspNetUserStore]";
    private const string AuthenticatorKeyName = "AuthenticatorKey";

    /// <summary>Creates a new key for <paramref name="user"/> (replacing an unconfirmed one); not yet enabled.</summary>
    /// <exception cref="InvalidOperationException">The factor is already on: it must be turned off (with a code) first.</exception>
    public async Task<TotpEnrolment> BeginEnrolmentAsync(ArchiveUser user)
    {
        if (user.TwoFactorEnabled) throw new InvalidOperationException("the one-time code is already enabled; disable it with a current code first");
        // A new key for every enrolment (and a fresh replay guard); removed first for the reason given at ReplaceTokenAsync.
        Check(await users.RemoveAuthenticationTokenAsync(user, AuthenticatorKeyProvider, AuthenticatorKeyName).ConfigureAwait(false));
        Check(await users.RemoveAuthenticationTokenAsync(user, TokenProvider, LastStepToken).ConfigureAwait(false));
        Check(await users.ResetAuthenticatorKeyAsync(user).ConfigureAwait(false));
        var secret = await users.GetAuthenticatorKeyAsync(user).ConfigureAwait(false)
            ?? throw new InvalidOperationException("the user store keeps no authenticator key");
        return new TotpEnrolment(secret, OtpauthUri(user.UserName!, secret), Enabled: false);
    }

    /// <summary>Turns the factor on when <paramref name="code"/> is a current code of the enrolled key.</summary>
    public async Task<bool> ConfirmAsync(ArchiveUser user, string? code)
    {
        if (!await VerifyAsync(user, code).ConfigureAwait(false)) return false;
        Check(await users.SetTwoFactorEnabledAsync(user, true).ConfigureAwait(false));
        return true;
    }

    /// <summary>Turns the factor off (and forgets the key) when <paramref name="code"/> is a current code.</summary>
    public async Task<bool> DisableAsync(ArchiveUser user, string? code)
    {
        if (!user.TwoFactorEnabled || !await VerifyAsync(user, code).ConfigureAwait(false)) return false;
        Check(await users.SetTwoFactorEnabledAsync(user, false).ConfigureAwait(false));
        Check(await users.RemoveAuthenticationTokenAsync(user, AuthenticatorKeyProvider, AuthenticatorKeyName).ConfigureAwait(false));
        return true;
    }

    /// <summary>Whether <paramref name="code"/> is a current, unused code of the user's key; a match is remembered.</summary>
    public async Task<bool> VerifyAsync(ArchiveUser user, string? code)
    {
        code = code?.Replace(" ", "", StringComparison.Ordinal).Trim();
        if (code is not { Length: 6 } || !code.All(char.IsAsciiDigit)) return false;
        var secret = await users.GetAuthenticatorKeyAsync(user).ConfigureAwait(false);
        if (string.IsNullOrEmpty(secret)) return false;
        var totp = new Totp(Base32Encoding.ToBytes(secret), step: StepSeconds);
        var last = await users.GetAuthenticationTokenAsync(user, TokenProvider, LastStepToken).ConfigureAwait(false);
        var lastStep = long.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : long.MinValue;
        // The steps are enumerated here rather than taken from Otp.NET's VerifyTotp, whose reported matched step is the
        // current one even when the code matched the next step (which would let that code be replayed a step later).
        var current = clock.GetUtcNow().ToUnixTimeSeconds() / StepSeconds;
        long? step = null;
        for (var candidate = current - 1; candidate <= current + 1; candidate++)
        {
            var expected = totp.ComputeTotp(DateTimeOffset.FromUnixTimeSeconds(candidate * StepSeconds).UtcDateTime);
            if (candidate > lastStep && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(code))) step = candidate;
        }
        if (step is null) return false;
        await ReplaceTokenAsync(user, TokenProvider, LastStepToken, step.Value.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Sets a user token by removing the old row first: the archive's contexts do not track queried entities
    /// (QueryTrackingBehavior.NoTracking), so Identity's in-place update of an existing token would never be saved.
    /// </summary>
    private async Task ReplaceTokenAsync(ArchiveUser user, string provider, string name, string value)
    {
        Check(await users.RemoveAuthenticationTokenAsync(user, provider, name).ConfigureAwait(false));
        Check(await users.SetAuthenticationTokenAsync(user, provider, name, value).ConfigureAwait(false));
    }

    internal static string OtpauthUri(string userName, string secret)
    {
        var label = Uri.EscapeDataString($"{Issuer}:{userName}");
        return $"otpauth://totp/{label}?secret={secret}&issuer={Uri.EscapeDataString(Issuer)}&algorithm=SHA1&digits=6&period=30";
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
