namespace RadBridge.Reporting;

/// <summary>Whether a signed report is the reader's preliminary opinion or the final, verified report.</summary>
public enum ReportStatus
{
    Preliminary,
    Final,
}

/// <summary>One structured field of a report (e.g. Lung-RADS category), in the template's order.</summary>
/// <param name="Key">Stable key, e.g. <c>lungRads</c>.</param>
/// <param name="Label">What the reader saw, in the report's language, e.g. "Lung-RADS 分类".</param>
/// <param name="Value">The value chosen or typed.</param>
public sealed record ReportField(string Key, string Label, string Value);

/// <summary>Who signed: the account, the name printed under the report, and the reading centre.</summary>
public sealed record ReportSigner(string UserName, string DisplayName, string Organization);

/// <summary>A DICOM report document already stored for an earlier version (referenced by an amendment).</summary>
public sealed record ReportDocumentReference(string StudyInstanceUid, string SeriesInstanceUid, string SopClassUid, string SopInstanceUid);

/// <summary>
/// A report as signed by its reader: what the PDF and the DICOM objects are made from. One version of a read
/// request's report; an amendment is a new version with a reason.
/// </summary>
public sealed record SignedReport
{
    /// <summary>The read request the report answers (opaque id).</summary>
    public required string ReadRequestId { get; init; }

    /// <summary>1 for the first signed report, then one more for each amendment.</summary>
    public required int Version { get; init; }

    public required ReportStatus Status { get; init; }

    /// <summary>Why this version replaces the previous one; null for a first version.</summary>
    public string? AmendmentReason { get; init; }

    /// <summary><c>zh-CN</c> or <c>en</c>: the language of the text and of the printed labels.</summary>
    public required string Language { get; init; }

    public required string Findings { get; init; }

    public required string Impression { get; init; }

    public IReadOnlyList<ReportField> Fields { get; init; } = [];

    /// <summary>The report holds a critical finding that the clinic must acknowledge.</summary>
    public bool Critical { get; init; }

    public required ReportSigner Signer { get; init; }

    public required DateTimeOffset SignedAt { get; init; }

    /// <summary>The Basic Text SR of the version this one amends, referenced as its predecessor (null for version 1).</summary>
    public ReportDocumentReference? Predecessor { get; init; }

    /// <summary>True for an amendment (a version after the first, with its reason).</summary>
    public bool IsAmendment => Version > 1 || AmendmentReason is not null;
}
