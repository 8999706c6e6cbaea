using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using RadBridge.Archive.Index;
using RadBridge.Server.Auth;

namespace RadBridge.Server.Api;

/// <summary>Who the caller is, as the archive sees them (any of Bearer, Basic or the web login).</summary>
/// <param name="User">The user name.</param>
/// <param name="Organization">The organisation's name.</param>
/// <param name="OrganizationId">The organisation's id.</param>
/// <param name="Role">One of admin, technologist, radiologist, expert, trainee, auditor.</param>
/// <param name="Centre">Whether the organisation is the partnership's centre hospital.</param>
public sealed record MeResponse(string User, string? Organization, int OrganizationId, string Role, bool Centre);

/// <summary>The account endpoints of the API: for now <c>GET /api/me</c>, which the web app shows in its header.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/api/me", async Task<IResult> (HttpContext http, IDbContextFactory<ArchiveDbContext> contexts, CancellationToken ct) =>
            {
                if (http.GetArchiveCaller("API") is not { } caller) return Results.Forbid();
                await using var db = await contexts.CreateDbContextAsync(ct).ConfigureAwait(false);
                var org = await db.Organizations.Where(o => o.Id == caller.OrganizationId).Select(o => new { o.Name, o.IsCentre })
                    .FirstOrDefaultAsync(ct).ConfigureAwait(false);
                return Results.Ok(new MeResponse(caller.Name, org?.Name, caller.OrganizationId, caller.Role, org?.IsCentre ?? false));
            })
            .RequireAuthorization()
            .WithName("GetMe")
            .WithSummary("The authenticated user, their organisation and role")
            .Produces<MeResponse>()
            .Produces(StatusCodes.Status401Unauthorized);
        return app;
    }
}
