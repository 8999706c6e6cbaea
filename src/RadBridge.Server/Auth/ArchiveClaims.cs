using System.Security.Claims;
using RadBridge.Archive.Tenancy;

namespace RadBridge.Server.Auth;

/// <summary>The claims every RadBridge principal carries, whichever scheme authenticated it (Basic, Bearer JWT).</summary>
public static class ArchiveClaims
{
    public const string Organization = "rb_org";
    public const string Role = "rb_role";
    public const string Name = "name";

    public static IEnumerable<Claim> For(ArchiveUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        yield return new Claim(Name, user.UserName!);
        yield return new Claim(ClaimTypes.Name, user.UserName!);
        yield return new Claim(ClaimTypes.NameIdentifier, user.Id);
        yield return new Claim(Organization, user.OrganizationId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return new Claim(Role, user.Role);
        yield return new Claim(ClaimTypes.Role, user.Role);
    }

    /// <summary>
    /// The caller behind an authenticated request, or null when the principal lacks RadBridge's claims (which the
    /// endpoints answer with 401/403, never by guessing a tenant).
    /// </summary>
    public static ArchiveCaller? GetArchiveCaller(this Microsoft.AspNetCore.Http.HttpContext context, string channel = "DICOMweb")
    {
        ArgumentNullException.ThrowIfNull(context);
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true) return null;
        var name = user.FindFirst(Name)?.Value ?? user.Identity.Name;
        var org = user.FindFirst(Organization)?.Value;
        var role = user.FindFirst(Role)?.Value;
        if (name is null || role is null || !int.TryParse(org, System.Globalization.CultureInfo.InvariantCulture, out var orgId)) return null;
        return new ArchiveCaller(name, orgId, role, channel, context.Connection.RemoteIpAddress?.ToString());
    }
}
