using Microsoft.AspNetCore.Identity;

namespace RadBridge.Archive.Tenancy;

/// <summary>The roles of the partnership's users (one per user).</summary>
public static class ArchiveRoles
{
    public const string Admin = "admin";
    public const string Technologist = "technologist";
    public const string Radiologist = "radiologist";
    public const string Expert = "expert";
    public const string Trainee = "trainee";
    public const string Auditor = "auditor";

    public static IReadOnlyList<string> All { get; } = [Admin, Technologist, Radiologist, Expert, Trainee, Auditor];

    /// <summary>Roles that may read patient data (images, metadata, queries) of the studies their organisation sees.</summary>
    public static bool CanReadPatientData(string role) => role is Admin or Technologist or Radiologist or Expert or Trainee;

    /// <summary>Roles that may store instances (STOW) into their organisation.</summary>
    public static bool CanStore(string role) => role is Admin or Technologist or Radiologist or Expert;

    /// <summary>Roles that may delete studies, series and instances of their organisation.</summary>
    public static bool CanDelete(string role) => role is Admin;

    /// <summary>Roles that may read the audit log.</summary>
    public static bool CanReadAudit(string role) => role is Admin or Auditor;

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

/// <summary>A person who logs in: ASP.NET Identity's user (hashed password, lockout) with an organisation and a role.</summary>
public sealed class ArchiveUser : IdentityUser
{
    public int OrganizationId { get; set; }
    public Organization? Organization { get; set; }

    /// <summary>One of <see cref="ArchiveRoles"/>.</summary>
    public required string Role { get; set; }
    public string? DisplayName { get; set; }
}
