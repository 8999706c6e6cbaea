using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Audit;
using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.Server.Auth;

namespace RadBridge.Server.Api;

public sealed record NewOrganizationRequest(string? Name, bool IsCentre);

public sealed record NewUserRequest(string? Organization, string? Role, string? UserName, string? Password);

public sealed record NewPasswordRequest(string? Password);

public sealed record NewAeRequest(string? Organization, string? AeTitle, string? Host, int? Port);

/// <summary>
/// The partnership's accounts over HTTP for the web app's admin page: what <c>radbridge admin</c> manages
/// (organisations, users and their passwords, registered AEs), through the same <see cref="ArchiveAccounts"/>, so the
/// validation and the audit records are the CLI's. Only an administrator of the centre hospital may call it: the
/// accounts are the whole partnership's, not one clinic's.
/// </summary>
public static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var admin = app.MapGroup("/api/admin")
            .RequireAuthorization()
            .AddEndpointFilter(RequireCentreAdminAsync)
            .WithTags("Administration")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        admin.MapGet("/organizations", (AccountsFactory accounts, HttpContext http, CancellationToken ct) =>
                accounts.For(http).ListOrganizationsAsync(ct))
            .WithSummary("Every organisation of the partnership, with its user and AE counts");
        admin.MapPost("/organizations", (NewOrganizationRequest body, AccountsFactory accounts, HttpContext http, CancellationToken ct) =>
                ChangeAsync(async () =>
                {
                    var org = await accounts.For(http).AddOrganizationAsync(body.Name ?? "", body.IsCentre, ct).ConfigureAwait(false);
                    return Results.Created($"/api/admin/organizations/{org.Id}", new OrganizationSummary(org.Id, org.Name, org.IsCentre, 0, 0, org.CreatedAt));
                }))
            .WithSummary("Adds an organisation (a clinic, or the centre hospital)")
            .Produces<OrganizationSummary>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest);

        admin.MapGet("/users", (string? organization, AccountsFactory accounts, HttpContext http, CancellationToken ct) =>
                ChangeAsync(async () => Results.Ok(await accounts.For(http).ListUsersAsync(organization, ct).ConfigureAwait(false))))
            .WithSummary("The users, of one organisation when given");
        admin.MapPost("/users", (NewUserRequest body, AccountsFactory accounts, HttpContext http, CancellationToken ct) =>
                ChangeAsync(async () =>
                {
                    var user = await accounts.For(http).AddUserAsync(body.Organization ?? "", body.Role ?? "", body.UserName ?? "", body.Password ?? "", ct).ConfigureAwait(false);
                    return Results.Created($"/api/admin/users/{Uri.EscapeDataString(user.UserName!)}",
                        new UserSummary(user.UserName!, body.Organization!.Trim(), user.Role, null));
                }))
            .WithSummary("Adds a user with a role to an organisation")
            .Produces<UserSummary>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest);
        admin.MapPut("/users/{userName}/password", (string userName, NewPasswordRequest body, AccountsFactory accounts, HttpContext http, CancellationToken ct) =>
                ChangeAsync(async () =>
                {
                    await accounts.For(http).SetPasswordAsync(userName, body.Password ?? "", ct).ConfigureAwait(false);
                    return Results.NoContent();
                }))
            .WithSummary("Sets a user's password (and clears a lockout)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status400BadRequest);

        admin.MapGet("/aes", (string? organization, AccountsFactory accounts, HttpContext http, CancellationToken ct) =>
                ChangeAsync(async () => Results.Ok(await accounts.For(http).ListAesAsync(organization, ct).ConfigureAwait(false))))
            .WithSummary("The registered DICOM AEs, of one organisation when given");
        admin.MapPost("/aes", (NewAeRequest body, AccountsFactory accounts, HttpContext http, CancellationToken ct) =>
                ChangeAsync(async () =>
                {
                    var ae = await accounts.For(http).AddAeAsync(body.Organization ?? "", body.AeTitle ?? "", body.Host, body.Port, ct).ConfigureAwait(false);
                    return Results.Created($"/api/admin/aes/{Uri.EscapeDataString(ae.AeTitle)}", new AeSummary(ae.AeTitle, body.Organization!.Trim(), ae.Host, ae.Port));
                }))
            .WithSummary("Registers a DICOM AE title to an organisation (with host and port for C-MOVE)")
            .Produces<AeSummary>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary>A refused change (bad name, duplicate, unknown organisation) is a 400 with the reason; it is already audited.</summary>
    private static async Task<IResult> ChangeAsync(Func<Task<IResult>> change)
    {
        try
        {
            return await change().ConfigureAwait(false);
        }
        catch (ArchiveAccountException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest, title: "refused");
        }
    }

    private static async ValueTask<object?> RequireCentreAdminAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetArchiveCaller("API") is not { Role: ArchiveRoles.Admin } caller)
        {
            return Results.Problem("only an administrator may manage accounts", statusCode: StatusCodes.Status403Forbidden);
        }
        var contexts = http.RequestServices.GetService(typeof(IDbContextFactory<ArchiveDbContext>)) as IDbContextFactory<ArchiveDbContext>
            ?? throw new InvalidOperationException("the archive database is not registered");
        await using var db = await contexts.CreateDbContextAsync(http.RequestAborted).ConfigureAwait(false);
        if (!await db.Organizations.AnyAsync(o => o.Id == caller.OrganizationId && o.IsCentre, http.RequestAborted).ConfigureAwait(false))
        {
            return Results.Problem("only an administrator of the centre hospital may manage the partnership's accounts", statusCode: StatusCodes.Status403Forbidden);
        }
        return await next(context).ConfigureAwait(false);
    }
}

/// <summary><see cref="ArchiveAccounts"/> acting for the API caller, so each change is audited under their name and address.</summary>
public sealed class AccountsFactory(IDbContextFactory<ArchiveDbContext> contexts, IAuditSink audit)
{
    public ArchiveAccounts For(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var caller = http.GetArchiveCaller("API") ?? throw new InvalidOperationException("an admin endpoint ran without an authenticated caller");
        return new ArchiveAccounts(contexts, audit, new AccountsActor(caller.Name, "API", caller.RemoteAddress));
    }
}
