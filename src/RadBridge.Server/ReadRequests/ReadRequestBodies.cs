namespace RadBridge.Server.ReadRequests;

/// <summary>The body of <c>POST /api/read-requests</c>.</summary>
/// <param name="StudyInstanceUid">A study of the caller's organisation.</param>
/// <param name="Priority">routine, urgent or stat.</param>
/// <param name="ClinicalQuestion">What the clinic wants to know.</param>
/// <param name="Indication">Clinical history, symptoms.</param>
/// <param name="BodyPart">e.g. CHEST; taken from the study's series when absent.</param>
/// <param name="Modality">e.g. CT; taken from the study when absent.</param>
/// <param name="Subspecialty">e.g. neuro, for routing.</param>
/// <param name="PriorStudyInstanceUids">Prior studies of the patient the reader should compare with.</param>
public sealed record CreateReadRequestBody(
    string? StudyInstanceUid,
    string? Priority,
    string? ClinicalQuestion,
    string? Indication = null,
    string? BodyPart = null,
    string? Modality = null,
    string? Subspecialty = null,
    IReadOnlyList<string>? PriorStudyInstanceUids = null);

/// <summary>The body of <c>PUT /api/read-requests/{id}/report</c> (autosave of the draft).</summary>
public sealed record ReportBody(
    string? Findings,
    string? Impression,
    string? Language = null,
    string? TemplateId = null,
    IReadOnlyDictionary<string, string>? StructuredFields = null,
    bool? Critical = null);

/// <summary>The body of return, cancel and amend.</summary>
public sealed record ReasonBody(string? Reason);

/// <summary>The body of assign: the reader's user name.</summary>
public sealed record AssignBody(string? User);

/// <summary>The body of sign: the signer's password, checked again (re-authentication).</summary>
public sealed record SignBody(string? Password);

/// <summary>The filters and order of <c>GET /api/read-requests</c>.</summary>
public sealed record ReadRequestQuery(
    IReadOnlyList<string>? Statuses = null,
    IReadOnlyList<string>? Priorities = null,
    string? Modality = null,
    int? Clinic = null,
    bool Mine = false,
    string? Sort = null,
    int Limit = ReadRequestQuery.DefaultLimit,
    int Offset = 0)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
}
