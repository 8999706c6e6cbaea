using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Auth;

/// <summary>
/// The minimal login page the authorization endpoint sends a browser to: a plain HTML form (antiforgery-protected)
/// that checks the password like the token endpoint does and sets the session cookie. For an account with the second
/// factor on, a right password leads to a second form that asks for the 6-digit code; between the two, the browser holds
/// only a sealed, 5-minute ticket naming the user (never the password).
/// </summary>
internal static class LoginPage
{
    private const string PendingPurpose = "RadBridge.Login.PendingSecondFactor";
    private static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(5);

    public static void MapLoginPage(this IEndpointRouteBuilder app)
    {
        app.MapGet(RadBridgeAuthentication.LoginPath, (HttpContext http, IAntiforgery antiforgery) =>
            Page(http, antiforgery, http.Request.Query["ReturnUrl"], error: null, StatusCodes.Status200OK)).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(RadBridgeAuthentication.LoginPath, LoginAsync).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery();
    }

    private static async Task<IResult> LoginAsync(HttpContext http, IAntiforgery antiforgery, PasswordLogin login,
        IDataProtectionProvider protection, UserManager<ArchiveUser> users)
    {
        if (!http.Request.HasFormContentType) return Results.BadRequest("the login form is posted as application/x-www-form-urlencoded");
        try
        {
            await antiforgery.ValidateRequestAsync(http).ConfigureAwait(false);
        }
        catch (AntiforgeryValidationException)
        {
            return Results.BadRequest("the login form expired or did not come from this server; reload the page");
        }
        var form = await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false);
        string? returnUrl = form["returnUrl"];
        var pending = protection.CreateProtector(PendingPurpose).ToTimeLimitedDataProtector();
        PasswordLoginResult result;
        if (form.ContainsKey("pending"))
        {
            // The second step: the ticket says whose password was accepted; the code decides.
            string? userId = null;
            try
            {
                userId = pending.Unprotect(form["pending"].ToString());
            }
            catch (System.Security.Cryptography.CryptographicException)
            {
                // Expired or forged: back to the first step.
            }
            var pendingUser = userId is null ? null : await users.FindByIdAsync(userId).ConfigureAwait(false);
            if (pendingUser is null) return Page(http, antiforgery, returnUrl, "the login expired; enter your password again", StatusCodes.Status401Unauthorized);
            result = await login.CheckCodeAsync(pendingUser, form["code"], "web login", http).ConfigureAwait(false);
            if (result.User is null && result.Failure == PasswordLoginResult.InvalidCode)
            {
                return CodePage(http, antiforgery, returnUrl, form["pending"].ToString(), result.Failure, StatusCodes.Status401Unauthorized);
            }
        }
        else
        {
            result = await login.CheckAsync(form["username"], form["password"], "web login", http).ConfigureAwait(false);
            if (result.NeedsCode && await users.FindByNameAsync(form["username"].ToString()).ConfigureAwait(false) is { } withCode)
            {
                return CodePage(http, antiforgery, returnUrl, pending.Protect(withCode.Id, PendingLifetime), error: null, StatusCodes.Status200OK);
            }
        }
        if (result.User is not { } user)
        {
            return Page(http, antiforgery, returnUrl, result.Failure, StatusCodes.Status401Unauthorized);
        }
        var identity = new ClaimsIdentity(ArchiveClaims.For(user), RadBridgeAuthentication.CookieScheme, ArchiveClaims.Name, ClaimTypes.Role);
        await http.SignInAsync(RadBridgeAuthentication.CookieScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl! : "/");
    }

    /// <summary>Only a path on this server: an open redirect would let a phishing link borrow the login page.</summary>
    internal static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));

    private static IResult Page(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error, int status) =>
        Form(http, antiforgery, returnUrl, error, status, """
            <label for="username">User name</label><input id="username" name="username" autocomplete="username" required autofocus>
            <label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
            <button type="submit">Log in</button>
            """);

    /// <summary>The second step: the 6-digit code of the authenticator app, with the sealed ticket of the first step.</summary>
    private static IResult CodePage(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string pendingTicket, string? error, int status) =>
        Form(http, antiforgery, returnUrl, error, status, $"""
            <input type="hidden" name="pending" value="{HtmlEncoder.Default.Encode(pendingTicket)}">
            <label for="code">One-time code from your authenticator app</label><input id="code" name="code" inputmode="numeric" maxlength="7" autocomplete="one-time-code" required autofocus>
            <button type="submit">Verify</button>
            """);

    private static IResult Form(HttpContext http, IAntiforgery antiforgery, string? returnUrl, string? error, int status, string fields)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var e = HtmlEncoder.Default;
        var html = $$"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>RadBridge · Log in</title>
            <style>body{font-family:system-ui,sans-serif;max-width:22rem;margin:4rem auto;padding:0 1rem}label,input,button{display:block;width:100%;box-sizing:border-box}input{margin:.25rem 0 1rem;padding:.5rem}button{padding:.6rem}.error{color:#b00020}</style></head>
            <body>
            <h1>RadBridge</h1>
            {{(error is null ? "" : $"<p class=\"error\" role=\"alert\">{e.Encode(error)}</p>")}}
            <form method="post" action="{{e.Encode(RadBridgeAuthentication.LoginPath)}}">
            <input type="hidden" name="{{e.Encode(tokens.FormFieldName)}}" value="{{e.Encode(tokens.RequestToken ?? "")}}">
            <input type="hidden" name="returnUrl" value="{{e.Encode(returnUrl ?? "")}}">
            {{fields}}
            </form>
            </body>
            </html>
            """;
        // The page must not be framed (clickjacking) nor cached (it carries an antiforgery token).
        http.Response.Headers.XFrameOptions = "DENY";
        http.Response.Headers.CacheControl = "no-store";
        return Results.Content(html, "text/html; charset=utf-8", statusCode: status);
    }
}
