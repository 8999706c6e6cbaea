using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using RadBridge.Archive.Tenancy;
using RadBridge.Server.Auth;

namespace RadBridge.Server.Api;

/// <summary>A one-time code sent to confirm or turn off the second factor.</summary>
public sealed record TotpCodeRequest(string? Code);

/// <summary>Whether the caller's account asks for a one-time code at login.</summary>
public sealed record TotpStatus(bool Enabled);

/// <summary>
/// The caller's own second factor: <c>POST /api/me/totp</c> starts an enrolment (the secret and its otpauth:// URI for
/// the authenticator app), <c>POST /api/me/totp/confirm</c> turns it on with a first code, <c>DELETE /api/me/totp</c>
/// turns it off with a current code, <c>GET /api/me/totp</c> tells whether it is on.
/// </summary>
public static class TotpApi
{
    public static IEndpointRouteBuilder MapTotpApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/me/totp").RequireAuthorization().WithTags("Account");

        group.MapGet("", async Task<IResult> (HttpContext http, UserManager<ArchiveUser> users) =>
                await CurrentUserAsync(http, users).ConfigureAwait(false) is { } user ? TypedResults.Ok(new TotpStatus(user.TwoFactorEnabled)) : TypedResults.Forbid())
            .WithName("GetTotpStatus")
            .WithSummary("Whether the caller's account asks for a one-time code at login")
            .Produces<TotpStatus>();

        group.MapPost("", async Task<IResult> (HttpContext http, UserManager<ArchiveUser> users, TotpSecondFactor totp) =>
            {
                if (await CurrentUserAsync(http, users).ConfigureAwait(false) is not { } user) return TypedResults.Forbid();
                if (user.TwoFactorEnabled)
                {
                    return TypedResults.Problem("the one-time code is already enabled; turn it off with a current code first (DELETE /api/me/totp)", statusCode: StatusCodes.Status409Conflict);
                }
                return TypedResults.Ok(await totp.BeginEnrolmentAsync(user).ConfigureAwait(false));
            })
            .WithName("BeginTotpEnrolment")
            .WithSummary("Starts (or restarts) the enrolment of an authenticator app: returns the secret and its otpauth:// URI")
            .WithDescription("The factor is not on until a first code is confirmed with POST /api/me/totp/confirm. TOTP per RFC 6238: SHA-1, 6 digits, 30 s.")
            .Produces<TotpEnrolment>()
            .ProducesProblem(StatusCodes.Status409Conflict);

        group.MapPost("/confirm", async Task<IResult> (TotpCodeRequest body, HttpContext http, UserManager<ArchiveUser> users, TotpSecondFactor totp, BasicCredentialCache basic) =>
            {
                if (await CurrentUserAsync(http, users).ConfigureAwait(false) is not { } user) return TypedResults.Forbid();
                if (!await totp.ConfirmAsync(user, body?.Code).ConfigureAwait(false))
                {
                    return TypedResults.Problem("the code does not match the enrolled secret (or was used already); start with POST /api/me/totp", statusCode: StatusCodes.Status400BadRequest);
                }
                // Basic credentials remembered before now must not outlive the change (Basic is refused from now on).
                basic.Clear();
                return TypedResults.Ok(new TotpStatus(true));
            })
            .WithName("ConfirmTotpEnrolment")
            .WithSummary("Turns the second factor on with a first code from the authenticator app")
            .Produces<TotpStatus>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

        group.MapDelete("", async Task<IResult> (string? code, HttpContext http, UserManager<ArchiveUser> users, TotpSecondFactor totp) =>
            {
                if (await CurrentUserAsync(http, users).ConfigureAwait(false) is not { } user) return TypedResults.Forbid();
                if (!await totp.DisableAsync(user, code).ConfigureAwait(false))
                {
                    return TypedResults.Problem("the second factor is off already, or the code is not a current one", statusCode: StatusCodes.Status400BadRequest);
                }
                return TypedResults.Ok(new TotpStatus(false));
            })
            .WithName("DisableTotp")
            .WithSummary("Turns the second factor off; needs a current code (?code=123456)")
            .Produces<TotpStatus>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<ArchiveUser?> CurrentUserAsync(HttpContext http, UserManager<ArchiveUser> users) =>
        http.GetArchiveCaller("API") is { } caller ? await users.FindByNameAsync(caller.Name).ConfigureAwait(false) : null;
}
