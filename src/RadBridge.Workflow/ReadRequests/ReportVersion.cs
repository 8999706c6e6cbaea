namespace RadBridge.Workflow.ReadRequests;

/// <summary>Where a report version stands (wire names: draft, preliminary, final).</summary>
public enum ReportStatus
{
    Draft,
    Preliminary,
    Final,
}

/// <summary>What a reader writes (the body of the autosave).</summary>
public sealed record ReportContent(
    string? Findings,
    string? Impression,
    string? Language = null,
    string? TemplateId = null,
    IReadOnlyDictionary<string, string>? StructuredFields = null,
    bool Critical = false)
{
    public const int MaxTextLength = 64 * 1024;
}

/// <summary>
/// One version of a request's report. Version 1 is the first draft; autosaves overwrite the current version while it is
/// a draft or preliminary; signing makes it final; an amendment starts version n+1 (with a reason) from the final text.
/// </summary>
public sealed class ReportVersion
{
    private ReportVersion()
    {
    }

    internal ReportVersion(string readRequestId, int version, string author, DateTimeOffset now)
    {
        ReadRequestId = readRequestId;
        Version = version;
        Author = author;
        CreatedAt = now;
        UpdatedAt = now;
    }

    public long Id { get; private set; }
    public string ReadRequestId { get; private set; } = "";
    public int Version { get; private set; }
    public ReportStatus Status { get; internal set; }
    public string Findings { get; private set; } = "";
    public string Impression { get; private set; } = "";

    /// <summary>"zh-CN" or "en" (BCP 47), the language the report is written in.</summary>
    public string Language { get; private set; } = "zh-CN";
    public string? TemplateId { get; private set; }

    /// <summary>Structured fields (e.g. BI-RADS category) as a JSON object of strings.</summary>
    public string StructuredFieldsJson { get; private set; } = "{}";
    public bool Critical { get; private set; }
    public string Author { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? SignedBy { get; internal set; }
    public DateTimeOffset? SignedAt { get; internal set; }
    public string? AmendmentReason { get; internal set; }

    /// <summary>The Basic Text SR stored into the study for this (final) version; null until stored.</summary>
    public string? SrSeriesInstanceUid { get; private set; }
    public string? SrSopInstanceUid { get; private set; }
    public string? SrSopClassUid { get; private set; }

    /// <summary>The Encapsulated PDF stored into the study for this version (the report.pdf the clinic downloads).</summary>
    public string? PdfSeriesInstanceUid { get; private set; }
    public string? PdfSopInstanceUid { get; private set; }
    public DateTimeOffset? DocumentsStoredAt { get; private set; }

    /// <summary>Remembers the DICOM objects that carry this signed version in its study.</summary>
    public void RecordDocuments(string srSeries, string srSop, string srSopClass, string pdfSeries, string pdfSop, DateTimeOffset now)
    {
        if (Status != ReportStatus.Final)
        {
            throw new WorkflowException(WorkflowRefusal.IllegalTransition, $"report version {Version} is not signed; only a final report is stored in the study");
        }
        (SrSeriesInstanceUid, SrSopInstanceUid, SrSopClassUid, PdfSeriesInstanceUid, PdfSopInstanceUid, DocumentsStoredAt) =
            (srSeries, srSop, srSopClass, pdfSeries, pdfSop, now);
    }

    public IReadOnlyDictionary<string, string> StructuredFields =>
        System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(StructuredFieldsJson) ?? [];

    internal void Overwrite(ReportContent content, DateTimeOffset now)
    {
        Findings = Bounded(content.Findings, "findings");
        Impression = Bounded(content.Impression, "impression");
        if (content.Language is { Length: > 0 } language)
        {
            if (language.Length > 16) throw new WorkflowException(WorkflowRefusal.InvalidInput, $"the language '{language}' is not a language tag");
            Language = language;
        }
        TemplateId = content.TemplateId is { Length: > 128 }
            ? throw new WorkflowException(WorkflowRefusal.InvalidInput, "the template id is longer than 128 characters")
            : content.TemplateId ?? TemplateId;
        if (content.StructuredFields is { } fields)
        {
            if (fields.Count > 200) throw new WorkflowException(WorkflowRefusal.InvalidInput, "a report has at most 200 structured fields");
            StructuredFieldsJson = System.Text.Json.JsonSerializer.Serialize(fields);
        }
        Critical = content.Critical;
        UpdatedAt = now;
    }

    internal ReportVersion NextVersion(string author, string reason, DateTimeOffset now)
    {
        var next = new ReportVersion(ReadRequestId, Version + 1, author, now)
        {
            Findings = Findings,
            Impression = Impression,
            Language = Language,
            TemplateId = TemplateId,
            StructuredFieldsJson = StructuredFieldsJson,
            Critical = Critical,
            AmendmentReason = reason,
            Status = ReportStatus.Draft,
        };
        return next;
    }

    private static string Bounded(string? text, string what) =>
        (text?.Length ?? 0) > ReportContent.MaxTextLength
            ? throw new WorkflowException(WorkflowRefusal.InvalidInput, $"the {what} are longer than {ReportContent.MaxTextLength} characters")
            : text ?? "";
}
