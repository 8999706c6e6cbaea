using RadBridge.Archive.Index;
using RadBridge.Archive.Tenancy;
using RadBridge.Workflow.ReadRequests;

namespace RadBridge.Server.ReadRequests;

/// <summary>
/// The tenant rules of read requests, as database filters and as the parties a caller is to a request: a clinic sees
/// its organisation's requests; the centre's users see those routed to the centre; trainees see them without patient
/// identification; an auditor (no access to patient data) sees none.
/// </summary>
internal static class ReadRequestParties
{
    /// <summary>The requests <paramref name="caller"/> may see, as a query the database answers.</summary>
    public static IQueryable<ReadRequest> VisibleReadRequests(this ArchiveDbContext db, ArchiveCaller caller)
    {
        if (!caller.CanReadPatientData) return db.ReadRequests.Where(_ => false);
        var org = caller.OrganizationId;
        return db.ReadRequests.Where(r => r.ClinicOrganizationId == org || r.CentreOrganizationId == org);
    }

    /// <summary>Whether the caller's views have the patient-identifying fields removed.</summary>
    public static bool Redacted(ArchiveCaller caller) => caller.Role == ArchiveRoles.Trainee;

    /// <summary>Roles that may ask for a reading of their organisation's studies.</summary>
    public static bool CanRequest(string role) => role is ArchiveRoles.Admin or ArchiveRoles.Technologist or ArchiveRoles.Radiologist or ArchiveRoles.Expert;

    /// <summary>Roles that read and sign reports.</summary>
    public static bool IsReaderRole(string role) => role is ArchiveRoles.Radiologist or ArchiveRoles.Expert;

    public static WorkflowParty For(ArchiveCaller caller, int clinicOrganizationId, int centreOrganizationId)
    {
        var parties = WorkflowParty.None;
        if (caller.OrganizationId == clinicOrganizationId && CanRequest(caller.Role)) parties |= WorkflowParty.Clinic;
        if (caller.OrganizationId == centreOrganizationId && IsReaderRole(caller.Role)) parties |= WorkflowParty.Reader;
        if (caller.OrganizationId == centreOrganizationId && caller.Role == ArchiveRoles.Admin) parties |= WorkflowParty.CentreAdmin;
        return parties;
    }

    public static WorkflowActor Actor(ArchiveCaller caller, ReadRequest request) =>
        new(caller.Name, For(caller, request.ClinicOrganizationId, request.CentreOrganizationId));
}
