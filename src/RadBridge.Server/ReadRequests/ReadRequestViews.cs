using RadBridge.Workflow.Notifications;
using RadBridge.Workflow.ReadRequests;
using RadBridge.Workflow.Sla;

namespace RadBridge.Server.ReadRequests;

/// <summary>An organisation as the views name it.</summary>
public sealed record OrganizationRef(int Id, string Name);

/// <summary>The critical-finding state of a request's signed report.</summary>
public sealed record CriticalView(bool Flagged, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy);

/// <summary>
/// A read request as the API, the worklist and the hub show it (the issue-7 contract). Patient-identifying fields are
/// null for callers who may not see them (trainees).
/// </summary>
public sealed record ReadRequestView(
    string Id,
    string StudyInstanceUid,
    string? AccessionNumber,
    string? PatientName,
    string? PatientId,
    string? PatientSex,
    string? PatientBirthDate,
    string? Modality,
    string? BodyPart,
    string? Subspecialty,
    string? StudyDate,
    string? StudyDescription,
    int? NumberOfInstances,
    OrganizationRef Clinic,
    OrganizationRef Centre,
    string Priority,
    string ClinicalQuestion,
    string? Indication,
    IReadOnlyList<string> PriorStudyInstanceUids,
    string Status,
    string? Assignee,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    long SlaSecondsLeft,
    string SlaState,
    string? ReturnedReason,
    string? CancelReason,
    CriticalView Critical,
    int ReportVersion,
    DateTimeOffset? SignedAt,
    string? SignedBy)
{
    /// <summary>The same view without what identifies the patient.</summary>
    public ReadRequestView Redact() => this with { PatientName = null, PatientId = null, PatientBirthDate = null, PatientSex = null, AccessionNumber = null };
}

/// <summary>A page of the worklist.</summary>
public sealed record ReadRequestList(IReadOnlyList<ReadRequestView> Items, int Total);

/// <summary>A report version (the contract's report object).</summary>
public sealed record ReportView(
    int Version,
    string Findings,
    string Impression,
    string Language,
    string? TemplateId,
    IReadOnlyDictionary<string, string> StructuredFields,
    bool Critical,
    string Status,
    DateTimeOffset UpdatedAt,
    string Author,
    string? SignedBy,
    DateTimeOffset? SignedAt,
    string? AmendmentReason)
{
    public static ReportView From(ReportVersion v) => new(v.Version, v.Findings, v.Impression, v.Language, v.TemplateId, v.StructuredFields,
        v.Critical, WireNames.Of(v.Status), v.UpdatedAt, v.Author, v.SignedBy, v.SignedAt, v.AmendmentReason);
}

/// <summary>A notification as the API and the hub show it.</summary>
public sealed record NotificationView(long Id, string ReadRequestId, string Kind, string Message, string? RecipientRole, DateTimeOffset CreatedAt)
{
    public static NotificationView From(WorkflowNotification n) => new(n.Id, n.ReadRequestId, n.Kind, n.Message, n.RecipientRole, n.CreatedAt);
}

/// <summary>The lower-camel-case wire names of the workflow's enums, and their parsing.</summary>
public static class WireNames
{
    public static string Of(ReadRequestStatus status) => ReadRequestTransitions.WireName(status);

    public static string Of(ReadPriority priority) => ReadRequestTransitions.WireName(priority);

    public static string Of(SlaState state) => Camel(state.ToString());

    public static string Of(ReportStatus status) => Camel(status.ToString());

    public static bool TryParse<T>(string? value, out T result) where T : struct, Enum
    {
        result = default;
        // Names only: Enum.TryParse would also take "2" or "Stat, Urgent".
        if (string.IsNullOrWhiteSpace(value) || !value.All(char.IsAsciiLetter)) return false;
        return Enum.TryParse(value, ignoreCase: true, out result) && Enum.IsDefined(result);
    }

    private static string Camel(string name) => char.ToLowerInvariant(name[0]) + name[1..];
}
