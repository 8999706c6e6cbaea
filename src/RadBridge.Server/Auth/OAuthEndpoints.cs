using System.Collections.Immutable;
using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using RadBridge.Archive.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RadBridge.Server.Auth;

/// <summary>
/// The OAuth 2 endpoints OpenIddict passes through to us once it has validated the request: the token endpoint
/// (password, authorization code, refresh token grants) and the authorization endpoint (the web app's code + PKCE flow).
/// </summary>
internal static class OAuthEndpoints
{
    public static void MapOAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(RadBridgeAuthentication.TokenPath, ExchangeAsync).AllowAnonymous().ExcludeFromDescription();
        app.MapMethods(RadBridgeAuthentication.AuthorizePath, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).AllowAnonymous().ExcludeFromDescription();
    }

    private static async Task<IResult> ExchangeAsync(HttpContext http, UserManager<ArchiveUser> users, PasswordLogin login)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("the OpenIddict server did not handle the token request");
        if (request.IsPasswordGrantType())
        {
            // An account with the second factor on also sends its one-time code, as the "totp" parameter.
            var result = await login.CheckAsync(request.Username, request.Password, "password grant", http, (string?)request.GetParameter("totp")).ConfigureAwait(false);
            return result.User is { } user
                ? SignIn(new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role), user, request.GetScopes())
                : Refuse(Errors.InvalidGrant, result.Failure!);
        }
        if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            // OpenIddict has validated the code or refresh token; its principal is the one signed in earlier. The account
            // is read again so a locked or deleted user gets no new token and a changed role applies from now on.
            var earlier = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme).ConfigureAwait(false)).Principal;
            var id = earlier?.GetClaim(Claims.Subject);
            var user = id is null ? null : await users.FindByIdAsync(id).ConfigureAwait(false);
            if (user is null) return Refuse(Errors.InvalidGrant, "the account no longer exists");
            if (await users.IsLockedOutAsync(user).ConfigureAwait(false)) return Refuse(Errors.InvalidGrant, PasswordLoginResult.Locked);
            return SignIn(new ClaimsIdentity(earlier!.Claims, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role), user, earlier.GetScopes());
        }
        return Refuse(Errors.UnsupportedGrantType, "the grant type is not supported");
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, UserManager<ArchiveUser> users)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("the OpenIddict server did not handle the authorization request");
        var session = await http.AuthenticateAsync(RadBridgeAuthentication.CookieScheme).ConfigureAwait(false);
        var id = session.Principal?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var user = id is null ? null : await users.FindByIdAsync(id).ConfigureAwait(false);
        if (user is null || await users.IsLockedOutAsync(user).ConfigureAwait(false))
        {
            // To the login page, which comes back here with the same parameters once the user has logged in.
            var parameters = http.Request.HasFormContentType
                ? QueryString.Create((await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false)).ToList())
                : http.Request.QueryString;
            return Results.Challenge(new AuthenticationProperties { RedirectUri = http.Request.PathBase + http.Request.Path + parameters },
                [RadBridgeAuthentication.CookieScheme]);
        }
        // The web app is the archive's own first-party client: no consent screen.
        return SignIn(new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role), user, request.GetScopes());
    }

    /// <summary>Signs the user in with RadBridge's claims (fresh from the account), all destined for the access token.</summary>
    private static IResult SignIn(ClaimsIdentity identity, ArchiveUser user, ImmutableArray<string> scopes)
    {
        identity.SetClaim(Claims.Subject, user.Id)
            .SetClaim(Claims.Name, user.UserName)
            .SetClaim(ArchiveClaims.Organization, user.OrganizationId.ToString(CultureInfo.InvariantCulture))
            .SetClaim(ArchiveClaims.Role, user.Role)
            .SetClaim(Claims.Role, user.Role);
        identity.SetScopes(scopes);
        identity.SetDestinations(claim => claim.Type is Claims.Name or Claims.Subject && scopes.Contains(Scopes.OpenId)
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>An OAuth error response (400 with <c>error</c> and <c>error_description</c>), written by OpenIddict.</summary>
    private static IResult Refuse(string error, string description) =>
        Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
