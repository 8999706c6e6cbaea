using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Validation.AspNetCore;
using RadBridge.Archive;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace RadBridge.Server.Auth;

/// <summary>
/// Authentication of <c>radbridge serve</c>: ASP.NET Identity accounts, OpenIddict's token server (password grant for
/// tools, authorization code + PKCE for the web app, refresh tokens; JWT access tokens signed with a persisted key),
/// and one default scheme that accepts a Bearer token, HTTP Basic (on /dicomweb and /api) or the web login cookie, so
/// <c>RequireAuthorization()</c> on an endpoint works with all three.
/// </summary>
public static class RadBridgeAuthentication
{
    /// <summary>The default scheme: forwards to Bearer, Basic or the cookie by what the request carries.</summary>
    public const string Scheme = "RadBridge";
    public const string CookieScheme = "RadBridge.Cookie";
    public const string WebClientId = "radbridge-web";
    public const string LoginPath = "/account/login";
    public const string TokenPath = "/connect/token";
    public const string AuthorizePath = "/connect/authorize";

    public static IServiceCollection AddRadBridgeAuthentication(this IServiceCollection services, ArchiveLocation location)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(location);
        location.EnsureDirectories();

        services.AddIdentityCore<ArchiveUser>(ArchiveIdentity.Configure).AddEntityFrameworkStores<ArchiveDbContext>();
        services.AddScoped<PasswordLogin>();
        services.AddScoped<TotpSecondFactor>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<BasicCredentialCache>();

        // The cookie and antiforgery tokens must survive a restart too: keys beside the signing keys (owner-only folder).
        services.AddDataProtection()
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(location.KeysDirectory, "data-protection")))
            .SetApplicationName("RadBridge");
        services.AddAntiforgery(o => o.Cookie.Name = "radbridge.antiforgery");

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = Scheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddPolicyScheme(Scheme, "Bearer token, HTTP Basic or web login", o => o.ForwardDefaultSelector = SelectScheme)
            .AddScheme<AuthenticationSchemeOptions, BasicAuthenticationHandler>(BasicAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "radbridge.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.ExpireTimeSpan = TimeSpan.FromHours(8);
                o.SlidingExpiration = true;
                o.LoginPath = LoginPath;
                o.Events.OnRedirectToLogin = RedirectOnlyTheAuthorizationEndpoint;
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
        services.AddAuthorization();

        var signing = SigningKeys.LoadOrCreate(Path.Combine(location.KeysDirectory, SigningKeys.SigningFile));
        var encryption = SigningKeys.LoadOrCreate(Path.Combine(location.KeysDirectory, SigningKeys.EncryptionFile));
        services.AddOpenIddict()
            .AddCore(o => o.UseEntityFrameworkCore().UseDbContext<ArchiveDbContext>())
            .AddServer(o =>
            {
                o.SetTokenEndpointUris(TokenPath.TrimStart('/'))
                 .SetAuthorizationEndpointUris(AuthorizePath.TrimStart('/'));
                o.AllowPasswordFlow()
                 .AllowAuthorizationCodeFlow()
                 .RequireProofKeyForCodeExchange()
                 .AllowRefreshTokenFlow();
                // Tools (curl, scripts, the tests) call the token endpoint without registering a client.
                o.AcceptAnonymousClients();
                o.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.OfflineAccess);
                o.RegisterClaims(ArchiveClaims.Organization, ArchiveClaims.Role, Claims.Name, Claims.Role);
                o.AddSigningKey(signing).AddEncryptionKey(encryption);
                // Plain signed JWTs, so any service (and the web app) can read the claims; codes and refresh tokens stay encrypted.
                o.DisableAccessTokenEncryption();
                o.SetAccessTokenLifetime(TimeSpan.FromHours(1)).SetRefreshTokenLifetime(TimeSpan.FromDays(14));
                // HTTP is allowed because serve listens on loopback by default; a deployment gives --tls-cert (README).
                o.UseAspNetCore()
                 .EnableTokenEndpointPassthrough()
                 .EnableAuthorizationEndpointPassthrough()
                 .DisableTransportSecurityRequirement();
            })
            .AddValidation(o =>
            {
                o.UseLocalServer();
                o.UseAspNetCore();
            });
        services.AddHostedService<WebClientRegistration>();
        services.AddHostedService<TokenPruning>();
        return services;
    }

    /// <summary>Maps the token and authorization endpoints and the login page.</summary>
    public static WebApplication MapRadBridgeAuth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapOAuthEndpoints();
        app.MapLoginPage();
        return app;
    }

    /// <summary>
    /// Bearer when the request carries a token; Basic when it carries Basic credentials on /dicomweb or /api (the tools'
    /// paths: elsewhere a browser's remembered Basic credentials would act like an ambient cookie); else the login cookie.
    /// </summary>
    internal static string SelectScheme(HttpContext context)
    {
        // Browsers cannot set headers on a WebSocket: the hub's clients send the token as access_token in the query string
        // (which OpenIddict's validation reads). Only on /hubs, where it is needed: elsewhere a URL token leaks into logs.
        if (context.Request.Path.StartsWithSegments("/hubs") && context.Request.Query.ContainsKey("access_token"))
        {
            return OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
        }
        string? authorization = context.Request.Headers.Authorization;
        if (authorization is not null)
        {
            if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                return OpenIddictValidationAspNetCoreDefaults.AuthenticationScheme;
            }
            if (authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) && AcceptsBasic(context.Request.Path))
            {
                return BasicAuthenticationHandler.SchemeName;
            }
        }
        return CookieScheme;
    }

    internal static bool AcceptsBasic(PathString path) =>
        path.StartsWithSegments("/dicomweb") || path.StartsWithSegments("/api") || path.StartsWithSegments("/wado");

    /// <summary>
    /// Only the authorization endpoint sends a browser to the login page; an API or DICOMweb call without credentials
    /// gets 401 with the schemes it may use (a redirect to an HTML form would confuse every tool).
    /// </summary>
    private static Task RedirectOnlyTheAuthorizationEndpoint(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> context)
    {
        if (context.Request.Path.StartsWithSegments(AuthorizePath))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.Append("WWW-Authenticate", "Bearer");
        if (AcceptsBasic(context.Request.Path)) context.Response.Headers.Append("WWW-Authenticate", "Basic realm=\"RadBridge\", charset=\"UTF-8\"");
        return Task.CompletedTask;
    }
}
